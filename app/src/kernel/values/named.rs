//! A thing with an Arabic and an English name (a clinic, a specialty, a visit type).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
}

impl Named {
    pub fn name(&self, locale: crate::kernel::i18n::Locale) -> &str {
        match locale {
            crate::kernel::i18n::Locale::Ar => &self.name_ar,
            crate::kernel::i18n::Locale::En => &self.name_en,
        }
    }
}
