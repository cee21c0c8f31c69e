//! Break-glass: a doctor who has never seen a patient may open their chart in an emergency,
//! after saying why. The reason is kept with the grant and with every read made under it, and
//! an admin reviews each grant afterwards.

use crate::kernel::values::text::TextRule;

/// How long a grant lets the chart open before a new reason is needed.
pub const GRANT_MINUTES: i64 = 60;
const REASON: TextRule = TextRule::lines(500);
/// "Emergency" alone says nothing a reviewer can check.
const MIN_REASON_CHARS: usize = 10;
const REVIEW_NOTE: TextRule = TextRule::lines(500);

/// The doctor's stated reason: required, 10 to 500 characters.
pub fn parse_reason(input: &str) -> Result<String, &'static str> {
    let reason = REASON.parse_required(input)?;
    if reason.chars().count() < MIN_REASON_CHARS {
        return Err("err-break-glass-reason-short");
    }
    Ok(reason)
}

/// The reviewer's remark, optional.
pub fn parse_review_note(input: &str) -> Result<String, &'static str> {
    REVIEW_NOTE.parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_must_say_something_a_reviewer_can_check() {
        assert_eq!(parse_reason("   "), Err("err-text-required"));
        assert_eq!(parse_reason("طوارئ"), Err("err-break-glass-reason-short"));
        assert_eq!(
            parse_reason("  مريض فاقد الوعي في الطوارئ  ").as_deref(),
            Ok("مريض فاقد الوعي في الطوارئ")
        );
        assert_eq!(parse_reason(&"أ".repeat(501)), Err("err-text-too-long"));
        assert_eq!(
            parse_reason("unconscious\u{0}patient"),
            Err("err-text-control")
        );
        assert_eq!(parse_review_note(""), Ok(String::new()));
    }
}
