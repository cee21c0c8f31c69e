//! Name matching that forgives how Arabic is typed: diacritics, hamza and alef forms, taa
//! marbuta/haa, alef maqsura/yaa, the definite article, and Latin case.

/// Folds one word or phrase to its search form.
pub fn normalize(input: &str) -> String {
    let folded: String = input
        .chars()
        .filter_map(|c| match c {
            // Harakat, tanween, shadda, sukun, superscript alef and tatweel carry no identity.
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' => Some('ي'),
            'ؤ' => Some('و'),
            'ئ' => Some('ي'),
            c => Some(c),
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .filter(|w| !w.is_empty())
        .map(strip_article)
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_article(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => match word.strip_prefix("al") {
            Some(rest) if rest.chars().count() >= 3 => rest,
            _ => word,
        },
    }
}

/// Every word of the query starts some word of the name, in any order.
pub fn matches(query: &str, name: &str) -> bool {
    let name = normalize(name);
    let words: Vec<&str> = name.split(' ').collect();
    let query = normalize(query);
    !query.is_empty()
        && query
            .split(' ')
            .all(|q| words.iter().any(|w| w.starts_with(q)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_hamza_taa_marbuta_yaa_diacritics_and_article() {
        assert_eq!(normalize("أحمد"), normalize("احمد"));
        assert_eq!(normalize("إبراهيم"), "ابراهيم");
        assert_eq!(normalize("فاطمة"), normalize("فاطمه"));
        assert_eq!(normalize("مصطفى"), normalize("مصطفي"));
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("الشهري"), "شهري");
        assert_eq!(normalize("عبد الله"), "عبد له");
    }

    #[test]
    fn matches_partial_words_in_any_order_and_latin_names() {
        assert!(matches("الشهري خالد", "خالد محمد علي الشهري"));
        assert!(matches("شهري", "خالد الشهري"));
        assert!(matches("اسامه", "أسامة"));
        assert!(matches("ريم غامد", "ريم عبد الله فهد الغامدي"));
        assert!(matches("Khalid al-Shehri", "Khalid Al-Shehri"));
        assert!(matches("shehri", "Khalid Al-Shehri"));
        assert!(!matches("سارة", "خالد الشهري"));
        assert!(!matches("   ", "خالد"));
    }
}
