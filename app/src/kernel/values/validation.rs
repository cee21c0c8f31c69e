use serde::{Deserialize, Serialize};

/// One invalid form field: which field, and the Fluent key of the message to show beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &str, key: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            key: key.to_owned(),
        });
    }

    /// Records the error of a parse result under `field` and returns the value when valid.
    pub fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(key) => {
                self.push(field, key);
                None
            }
        }
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.key.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
