//! iCalendar (RFC 5545) files for "add to calendar".

use jiff::Timestamp;

pub struct IcsEvent<'a> {
    pub uid: &'a str,
    pub start: Timestamp,
    pub end: Timestamp,
    pub stamp: Timestamp,
    pub summary: &'a str,
    pub location: &'a str,
    pub cancelled: bool,
}

fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes text values: backslash, semicolon, comma and newlines carry meaning in iCalendar.
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

pub fn render(event: &IcsEvent) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Mueen//Clinic booking//AR".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", text(event.uid)),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.start)),
        format!("DTEND:{}", utc(event.end)),
        format!("SUMMARY:{}", text(event.summary)),
        format!("LOCATION:{}", text(event.location)),
        format!(
            "STATUS:{}",
            if event.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_utc_times_crlf_lines_and_escaped_text() {
        let ics = render(&IcsEvent {
            uid: "abc@mueen",
            start: "2026-12-06T06:00:00Z".parse().expect("ts"),
            end: "2026-12-06T06:30:00Z".parse().expect("ts"),
            stamp: "2026-11-25T10:00:00Z".parse().expect("ts"),
            summary: "موعد مع د. خالد الشهري",
            location: "Riyadh, Olaya; Gate 2",
            cancelled: false,
        });
        assert!(ics.contains("\r\nDTSTART:20261206T060000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261206T063000Z\r\n"));
        assert!(ics.contains("SUMMARY:موعد مع د. خالد الشهري\r\n"));
        assert!(ics.contains("LOCATION:Riyadh\\, Olaya\\; Gate 2\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line breaks"
        );
    }
}
