//! Free text as people type it into a form (a booking reason, a note, a holiday's name, a
//! search): trimmed, within a length, and without NUL or other control characters — which
//! PostgreSQL refuses (a 500 before) or which hide text from whoever reads it later. A
//! multi-line field keeps its line breaks and tabs.

/// One line of text (`multiline` false) or several; `max` counts characters, not bytes.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    pub max: usize,
    pub multiline: bool,
}

impl TextRule {
    pub const fn line(max: usize) -> Self {
        Self {
            max,
            multiline: false,
        }
    }

    pub const fn lines(max: usize) -> Self {
        Self {
            max,
            multiline: true,
        }
    }

    /// The trimmed text, possibly empty; `err-text-control` for control characters and
    /// `err-text-too-long` past `max`.
    pub fn parse(self, input: &str) -> Result<String, &'static str> {
        let text = input.trim();
        let allowed = |c: char| self.multiline && matches!(c, '\n' | '\r' | '\t');
        if text.chars().any(|c| c.is_control() && !allowed(c)) {
            return Err("err-text-control");
        }
        if text.chars().count() > self.max {
            return Err("err-text-too-long");
        }
        Ok(text.to_owned())
    }

    /// As `parse`, but empty text is `err-text-required`.
    pub fn parse_required(self, input: &str) -> Result<String, &'static str> {
        match self.parse(input)? {
            text if text.is_empty() => Err("err-text-required"),
            text => Ok(text),
        }
    }

    /// As `parse`, with empty text as `None`.
    pub fn parse_optional(self, input: &str) -> Result<Option<String>, &'static str> {
        Ok(Some(self.parse(input)?).filter(|t| !t.is_empty()))
    }
}

/// What a search box takes: one line of at most 100 characters; too long says so as a search.
pub fn parse_search(input: &str) -> Result<String, &'static str> {
    TextRule::line(100).parse(input).map_err(|key| match key {
        "err-text-too-long" => "err-search-too-long",
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_control_characters_are_refused_but_line_breaks_kept_where_allowed() {
        assert_eq!(TextRule::line(50).parse("حمى\0"), Err("err-text-control"));
        assert_eq!(
            TextRule::line(50).parse("a\u{1b}[31m"),
            Err("err-text-control")
        );
        assert_eq!(
            TextRule::line(50).parse("one\ntwo"),
            Err("err-text-control")
        );
        assert_eq!(
            TextRule::lines(50).parse(" one\r\ntwo\t "),
            Ok("one\r\ntwo".into())
        );
        assert_eq!(TextRule::lines(50).parse("x\0"), Err("err-text-control"));
    }

    #[test]
    fn length_counts_characters_and_empty_is_up_to_the_field() {
        assert_eq!(TextRule::line(3).parse("صداع"), Err("err-text-too-long"));
        assert_eq!(TextRule::line(4).parse(" صداع "), Ok("صداع".into()));
        assert_eq!(
            TextRule::line(4).parse_required("  "),
            Err("err-text-required")
        );
        assert_eq!(TextRule::line(4).parse_optional("  "), Ok(None));
    }

    #[test]
    fn a_search_names_its_own_length_error() {
        assert_eq!(parse_search(&"ا".repeat(101)), Err("err-search-too-long"));
        assert_eq!(parse_search("سارة\0"), Err("err-text-control"));
        assert_eq!(parse_search(" سارة "), Ok("سارة".into()));
    }
}
