/// A password as typed, checked against the length policy. Never serialised or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

impl Password {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let len = input.chars().count();
        if len == 0 {
            Err("err-password-required")
        } else if len < MIN_LEN {
            Err("err-password-short")
        } else if len > MAX_LEN {
            Err("err-password-long")
        } else if input.chars().all(|c| c.is_ascii_digit()) {
            // All-digit passwords are usually a phone or ID number: the first thing an attacker tries.
            Err("err-password-digits-only")
        } else {
            Ok(Self(input.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_rejects_digit_only() {
        assert_eq!(Password::parse("").err(), Some("err-password-required"));
        assert_eq!(Password::parse("short1").err(), Some("err-password-short"));
        assert_eq!(
            Password::parse(&"x".repeat(129)).err(),
            Some("err-password-long")
        );
        assert_eq!(
            Password::parse("0501234567").err(),
            Some("err-password-digits-only")
        );
        assert!(Password::parse("كلمة سر طويلة").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("secret-pass").ok()),
            "Some(Password(***))"
        );
    }
}
