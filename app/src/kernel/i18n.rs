//! Fluent messages for Arabic (default) and English, compiled into both the server and the WASM
//! bundle so a page renders the same text before and after hydration.

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Ar,
    En,
}

pub const LOCALE_COOKIE: &str = "lang";

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ar => "ar",
            Locale::En => "en",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Locale::Ar => "rtl",
            Locale::En => "ltr",
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Ar => Locale::En,
            Locale::En => Locale::Ar,
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Locale::Ar),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The cookie wins; then the first supported language in `Accept-Language` by weight;
    /// Arabic otherwise.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        if let Some(locale) = cookie.and_then(Locale::from_code) {
            return locale;
        }
        let mut offers: Vec<(f32, Locale)> = accept_language
            .unwrap_or_default()
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let locale = Locale::from_code(pieces.next()?)?;
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((weight, locale))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0));
        offers.first().map(|(_, l)| *l).unwrap_or_default()
    }
}

macro_rules! ftl_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../../../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/auth.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/errors.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/admin.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/booking.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/calendar.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/family.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/setup.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/branches.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/records.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/prescriptions.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/attachments.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/portal.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/orders.ftl")),
            include_str!(concat!("../../../locales/", $lang, "/notifications.ftl")),
        ]
    };
}

const AR_FILES: [&str; 15] = ftl_files!("ar");
const EN_FILES: [&str; 15] = ftl_files!("en");

fn build_bundle(
    lang: unic_langid::LanguageIdentifier,
    files: &[&str],
) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Bidi isolation marks would leak into inputs and test selectors; we isolate with <bdi> instead.
    bundle.set_use_isolating(false);
    for source in files {
        let resource = FluentResource::try_new((*source).to_owned())
            .unwrap_or_else(|(_, errors)| panic!("invalid .ftl file: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("duplicate Fluent key: {errors:?}"));
    }
    bundle
}

static AR: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| build_bundle(unic_langid::langid!("ar-SA"), &AR_FILES));
static EN: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| build_bundle(unic_langid::langid!("en-US"), &EN_FILES));

fn bundle(locale: Locale) -> &'static FluentBundle<FluentResource> {
    match locale {
        Locale::Ar => &AR,
        Locale::En => &EN,
    }
}

/// Formats message `key`; a missing key shows the key itself so it is noticed, never a panic.
pub fn translate(locale: Locale, key: &str, args: Option<&FluentArgs>) -> String {
    let bundle = bundle(locale);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut errors = vec![];
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// Every error message (`err-*`), formatted without arguments: what the browser needs to show
/// the answers it gets while a page is open. Built once per locale.
pub fn error_messages(locale: Locale) -> &'static std::collections::HashMap<String, String> {
    type Table = std::collections::HashMap<String, String>;
    fn build(files: &[&str], locale: Locale) -> Table {
        files
            .iter()
            .filter_map(|src| FluentResource::try_new((*src).to_owned()).ok())
            .flat_map(|resource| {
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) if m.id.name.starts_with("err-") => {
                            Some(m.id.name.to_owned())
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .map(|key| {
                let text = translate(locale, &key, None);
                (key, text)
            })
            .collect()
    }
    static AR_ERRORS: LazyLock<Table> = LazyLock::new(|| build(&AR_FILES, Locale::Ar));
    static EN_ERRORS: LazyLock<Table> = LazyLock::new(|| build(&EN_FILES, Locale::En));
    match locale {
        Locale::Ar => &AR_ERRORS,
        Locale::En => &EN_ERRORS,
    }
}

/// `error_messages` as the JSON file the browser fetches once (`server::assets`), and the
/// address it is served at. The address names the content, so a browser keeps the file for
/// good and a page carries only the address, not the table (about 12 kB on every page with a
/// form, and its serialization on every render).
#[cfg(feature = "ssr")]
pub struct MessagesFile {
    pub path: String,
    pub json: String,
}

/// Where the error messages' files are served.
#[cfg(feature = "ssr")]
pub const MESSAGES_DIR: &str = "/i18n/";

#[cfg(feature = "ssr")]
pub fn error_messages_file(locale: Locale) -> &'static MessagesFile {
    fn build(locale: Locale) -> MessagesFile {
        use sha2::Digest;
        // Sorted, so the file and its address are the same on every server of a release.
        let table: std::collections::BTreeMap<_, _> = error_messages(locale).iter().collect();
        let json = serde_json::to_string(&table).unwrap_or_else(|_| "{}".into());
        let digest = sha2::Sha256::digest(json.as_bytes());
        let name = format!(
            "errors-{}-{}.json",
            locale.code(),
            hex::encode(&digest[..8])
        );
        MessagesFile {
            path: format!("{MESSAGES_DIR}{name}"),
            json,
        }
    }
    static AR_FILE: LazyLock<MessagesFile> = LazyLock::new(|| build(Locale::Ar));
    static EN_FILE: LazyLock<MessagesFile> = LazyLock::new(|| build(Locale::En));
    match locale {
        Locale::Ar => &AR_FILE,
        Locale::En => &EN_FILE,
    }
}

/// The current page's locale, provided once by the root component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct I18n {
    pub locale: Locale,
}

impl I18n {
    pub fn t(&self, key: &str) -> String {
        translate(self.locale, key, None)
    }

    /// The Arabic or the English form of a value stored in both.
    pub fn pick<'a>(&self, ar: &'a str, en: &'a str) -> &'a str {
        match self.locale {
            Locale::Ar => ar,
            Locale::En => en,
        }
    }

    /// A person's name: the Latin form on English pages when there is one.
    pub fn name<'a>(&self, arabic: &'a str, latin: Option<&'a str>) -> &'a str {
        match (self.locale, latin) {
            (Locale::En, Some(latin)) => latin,
            _ => arabic,
        }
    }

    pub fn t_with(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // `n` is a count, so plural variants apply; anything else (names, phone numbers
            // with a leading zero) stays text.
            let value = if *name == "n" {
                FluentValue::try_number(value.as_str())
            } else {
                FluentValue::from(value.clone())
            };
            fluent_args.set(*name, value);
        }
        translate(self.locale, key, Some(&fluent_args))
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n {
        locale: Locale::default(),
    })
}

/// The locale a request's headers choose: the language cookie, else `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn locale_of(headers: &http::HeaderMap) -> Locale {
    let cookie = crate::kernel::cookies::cookie(headers, LOCALE_COOKIE);
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Locale::negotiate(cookie, accept)
}

/// Reads the locale the server chose: from the request on the server, from `<html lang>` in
/// the browser, so hydration renders identical text.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        with_context::<http::request::Parts, _>(|parts| locale_of(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), target_arch = "wasm32"))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), not(target_arch = "wasm32")))]
    {
        Locale::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(files: &[&str]) -> BTreeSet<String> {
        files
            .iter()
            .flat_map(|src| {
                let resource = FluentResource::try_new((*src).to_owned()).expect("parses");
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every `.ftl` file of one language as it is on disk, by file name.
    fn on_disk(lang: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../locales")
            .join(lang);
        std::fs::read_dir(&dir)
            .expect("locales dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable ftl");
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                (name.unwrap_or_default(), keys(&[text.as_str()]))
            })
            .collect()
    }

    #[test]
    fn every_message_exists_in_both_locales_file_by_file() {
        let ar = on_disk("ar");
        let en = on_disk("en");
        assert_eq!(
            ar.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "the two languages have different .ftl files"
        );
        for (file, ar_keys) in &ar {
            let en_keys = &en[file];
            let only_ar: Vec<_> = ar_keys.difference(en_keys).collect();
            let only_en: Vec<_> = en_keys.difference(ar_keys).collect();
            assert!(
                only_ar.is_empty(),
                "{file}: missing in English: {only_ar:?}"
            );
            assert!(only_en.is_empty(), "{file}: missing in Arabic: {only_en:?}");
        }
        let total: usize = ar.values().map(BTreeSet::len).sum();
        assert!(total > 20, "suspiciously few messages: {total}");
    }

    #[test]
    fn every_file_on_disk_is_in_the_bundles() {
        for (lang, files) in [("ar", &AR_FILES), ("en", &EN_FILES)] {
            let bundled = keys(files);
            for (file, file_keys) in on_disk(lang) {
                let left_out: Vec<_> = file_keys.difference(&bundled).collect();
                assert!(
                    left_out.is_empty(),
                    "{lang}/{file} is not compiled into the bundle (add it to ftl_files!): {left_out:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_used_in_code_is_defined() {
        let defined = keys(&AR_FILES);
        // A key's first segment (`err`, `setup`, …) marks string literals as keys; it comes from
        // the messages themselves, so a new feature's keys are checked as soon as it has one.
        let prefixes: BTreeSet<String> = defined
            .iter()
            .filter_map(|k| k.split('-').next())
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}-"))
            .collect();
        let mut missing = vec![];
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for path in rust_files(std::path::Path::new(src)) {
            let text = std::fs::read_to_string(&path).expect("readable source");
            // Tests may name keys that do not exist on purpose.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            for key in quoted_keys(text, &prefixes)
                .into_iter()
                .chain(translated_literals(text))
            {
                if !defined.contains(&key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "undefined Fluent keys: {missing:#?}");
    }

    #[test]
    fn the_key_scan_finds_keys_of_any_prefix() {
        let prefixes: BTreeSet<String> = ["rec-".to_owned()].into();
        let code = r#"i18n.t("visit-title"); let k = "rec-allergy"; class="ms-2 text-start""#;
        assert_eq!(quoted_keys(code, &prefixes), ["rec-allergy"]);
        assert_eq!(translated_literals(code), ["visit-title"]);
    }

    fn is_key_shaped(s: &str) -> bool {
        s.contains('-')
            && !s.ends_with('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    /// String literals shaped like our keys whose first segment is a key prefix.
    fn quoted_keys(text: &str, prefixes: &BTreeSet<String>) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| prefixes.iter().any(|p| s.starts_with(p.as_str())) && is_key_shaped(s))
            .map(str::to_owned)
            .collect()
    }

    /// Literals handed straight to `t(…)` / `t_with(…)`, whatever they look like.
    fn translated_literals(text: &str) -> Vec<String> {
        let mut out = vec![];
        for call in [".t(\"", ".t_with(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                if let Some(end) = rest.find('"') {
                    if is_key_shaped(&rest[..end]) {
                        out.push(rest[..end].to_owned());
                    }
                }
            }
        }
        out
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for entry in std::fs::read_dir(dir).expect("src dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn negotiates_cookie_then_accept_language_then_arabic() {
        assert_eq!(Locale::negotiate(Some("en"), Some("ar")), Locale::En);
        assert_eq!(Locale::negotiate(None, Some("en-GB,en;q=0.9")), Locale::En);
        assert_eq!(
            Locale::negotiate(None, Some("fr-FR, en;q=0.5, ar;q=0.8")),
            Locale::Ar
        );
        assert_eq!(Locale::negotiate(Some("xx"), None), Locale::Ar);
        assert_eq!(Locale::negotiate(None, None), Locale::Ar);
    }

    #[test]
    fn formats_arguments() {
        let i18n = I18n { locale: Locale::En };
        assert_eq!(
            i18n.t_with("common-welcome-user", &[("name", "Sara".into())]),
            "Welcome, Sara"
        );
        assert_eq!(i18n.t("no-such-key"), "no-such-key");
    }

    #[test]
    fn counts_take_the_plural_form_of_each_language() {
        let strip = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
        let ar = I18n { locale: Locale::Ar };
        let en = I18n { locale: Locale::En };
        let count =
            |i18n: I18n, n: &str| strip(i18n.t_with("staff-week-count", &[("n", n.into())]));
        assert_eq!(count(ar, "0"), "لا مواعيد هذا الأسبوع");
        assert_eq!(count(ar, "2"), "موعدان هذا الأسبوع");
        assert_eq!(count(ar, "5"), "5 مواعيد هذا الأسبوع");
        assert_eq!(count(ar, "12"), "12 موعداً هذا الأسبوع");
        assert_eq!(count(en, "1"), "One appointment this week");
        assert_eq!(count(en, "7"), "7 appointments this week");
        // Only `n` is a number: a phone number keeps its leading zero.
        let phone = strip(en.t_with("common-welcome-user", &[("name", "0501234567".into())]));
        assert_eq!(phone, "Welcome, 0501234567");
    }
}
