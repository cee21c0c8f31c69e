use serde::{Deserialize, Serialize};

/// The four-part Arabic name used on Saudi IDs: first, father, grandfather, family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArabicFullName {
    pub first: String,
    pub father: String,
    pub grandfather: String,
    pub family: String,
}

impl ArabicFullName {
    pub fn display(&self) -> String {
        format!(
            "{} {} {} {}",
            self.first, self.father, self.grandfather, self.family
        )
    }
}

/// Parses one part of an Arabic name: Arabic letters (with optional diacritics) and single
/// inner spaces, so compound names such as "عبد الله" are accepted.
pub fn parse_arabic_part(input: &str) -> Result<String, &'static str> {
    let collapsed = collapse_spaces(input);
    if collapsed.is_empty() {
        return Err("err-name-required");
    }
    let letters = collapsed.chars().filter(|c| !c.is_whitespace()).count();
    if letters < 2 {
        return Err("err-name-short");
    }
    if collapsed.chars().count() > 40 {
        return Err("err-name-long");
    }
    if !collapsed.chars().all(|c| c == ' ' || is_arabic_letter(c)) {
        return Err("err-name-arabic-only");
    }
    Ok(collapsed)
}

/// An optional Latin-script rendering of the full name, as on a passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatinName(String);

impl LatinName {
    pub fn parse_optional(input: &str) -> Result<Option<Self>, &'static str> {
        let collapsed = collapse_spaces(input);
        if collapsed.is_empty() {
            return Ok(None);
        }
        if collapsed.chars().count() < 2 {
            return Err("err-name-short");
        }
        if collapsed.chars().count() > 120 {
            return Err("err-name-long");
        }
        if !collapsed
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
        {
            return Err("err-name-latin-only");
        }
        Ok(Some(Self(collapsed)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn collapse_spaces(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0621}'..='\u{063A}' // hamza .. ghain
        | '\u{0641}'..='\u{064A}' // faa .. yaa
        | '\u{064B}'..='\u{0652}' // harakat
        | '\u{0670}'              // superscript alef
        | '\u{0671}'..='\u{06D3}' // extended letters (Persian/Urdu names are common among residents)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_arabic_parts_including_compound_names_and_diacritics() {
        assert_eq!(parse_arabic_part("  محمد ").as_deref(), Ok("محمد"));
        assert_eq!(parse_arabic_part("عبد   الله").as_deref(), Ok("عبد الله"));
        assert!(parse_arabic_part("مُحَمَّد").is_ok());
        assert!(parse_arabic_part("آل سعود").is_ok());
    }

    #[test]
    fn rejects_latin_digits_blank_and_single_letters() {
        assert_eq!(parse_arabic_part(""), Err("err-name-required"));
        assert_eq!(parse_arabic_part("م"), Err("err-name-short"));
        assert_eq!(parse_arabic_part("Mohammed"), Err("err-name-arabic-only"));
        assert_eq!(parse_arabic_part("محمد2"), Err("err-name-arabic-only"));
        assert_eq!(parse_arabic_part("<script>"), Err("err-name-arabic-only"));
        assert_eq!(parse_arabic_part(&"ب".repeat(41)), Err("err-name-long"));
    }

    #[test]
    fn latin_name_is_optional_and_latin_only() {
        assert_eq!(LatinName::parse_optional("  "), Ok(None));
        let name = LatinName::parse_optional("Sara  Al-Qahtani").expect("valid");
        assert_eq!(name.map(|n| n.0).as_deref(), Some("Sara Al-Qahtani"));
        assert_eq!(
            LatinName::parse_optional("سارة"),
            Err("err-name-latin-only")
        );
    }
}
