//! How an SMS is billed: by segments. A text in the GSM 03.38 alphabet goes 160 characters to a
//! message (153 each when split, the rest carries the joining header); anything else, Arabic
//! included, goes as UCS-2: 70 UTF-16 units to a message, 67 when split. The GSM extension
//! characters (`€ [ ] { } ^ ~ \ |` and form feed) take two places each.

/// The encoding an SMS must be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SmsEncoding {
    Gsm7,
    Ucs2,
}

/// What sending a text costs in segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Segments {
    pub encoding: SmsEncoding,
    /// Places used: GSM septets, or UTF-16 units.
    pub units: usize,
    pub count: usize,
}

const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED: &str = "\u{c}^{}\\[~]|€";

/// The segments `text` needs.
pub fn segments(text: &str) -> Segments {
    let gsm: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (encoding, units, single, part) = match gsm {
        Some(septets) => (SmsEncoding::Gsm7, septets, 160, 153),
        None => (SmsEncoding::Ucs2, text.encode_utf16().count(), 70, 67),
    };
    let count = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    Segments {
        encoding,
        units,
        count,
    }
}

/// The estimated price of `segments` in halalas, at `per_segment` halalas each.
pub fn cost_halalas(segments: &Segments, per_segment: u32) -> u64 {
    segments.count as u64 * u64::from(per_segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_gsm_up_to_160_then_153_a_segment() {
        assert_eq!(segments("").count, 0);
        let s = segments(&"a".repeat(160));
        assert_eq!((s.encoding, s.units, s.count), (SmsEncoding::Gsm7, 160, 1));
        assert_eq!(segments(&"a".repeat(161)).count, 2);
        assert_eq!(segments(&"a".repeat(306)).count, 2);
        assert_eq!(segments(&"a".repeat(307)).count, 3);
    }

    #[test]
    fn extension_characters_take_two_places() {
        let s = segments(&format!("{}€", "a".repeat(158)));
        assert_eq!((s.units, s.count), (160, 1));
        assert_eq!(segments(&format!("{}[", "a".repeat(159))).count, 2);
    }

    #[test]
    fn arabic_is_ucs2_70_then_67_a_segment() {
        let s = segments(&"م".repeat(70));
        assert_eq!((s.encoding, s.units, s.count), (SmsEncoding::Ucs2, 70, 1));
        assert_eq!(segments(&"م".repeat(71)).count, 2);
        assert_eq!(segments(&"م".repeat(134)).count, 2);
        assert_eq!(segments(&"م".repeat(135)).count, 3);
        // One Arabic letter turns a whole Latin text into UCS-2.
        assert_eq!(segments(&format!("{}ع", "a".repeat(69))).count, 1);
        assert_eq!(segments(&format!("{}ع", "a".repeat(70))).count, 2);
    }

    #[test]
    fn characters_outside_the_basic_plane_take_two_units() {
        let s = segments("😀");
        assert_eq!((s.encoding, s.units), (SmsEncoding::Ucs2, 2));
    }

    #[test]
    fn a_realistic_arabic_reminder_and_its_cost() {
        let text = "تذكير: موعدك مع د. ريم الغامدي غداً الساعة 10:30 صباحاً في مجمع معين الطبي. للتأكيد أو الإلغاء: https://mueen.sa/t/abc";
        let s = segments(text);
        assert_eq!(s.encoding, SmsEncoding::Ucs2);
        assert_eq!(s.count, text.encode_utf16().count().div_ceil(67));
        assert_eq!(cost_halalas(&s, 7), s.count as u64 * 7);
    }
}
