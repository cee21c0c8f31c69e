//! A message's words: subject, plain text and HTML in the recipient's language, with the visit's
//! date in both calendars and its time in the clinic's zone; and, for a booking, moved or
//! cancelled, its calendar file. Pure: the facts come from the caller.

use crate::kernel::i18n::{I18n, Locale};
use crate::kernel::ui::when::{gregorian_label, hijri_label, time_label, zoned};
use crate::notifications::domain::message::MessageKind;
use crate::scheduling::domain::ics;
use jiff::Timestamp;
use uuid::Uuid;

/// What a message is about, as read when it is sent.
#[derive(Debug, Clone)]
pub struct Facts {
    pub kind: MessageKind,
    pub appointment_id: Uuid,
    /// Whom the message greets: the patient, or their guardian.
    pub recipient_name: String,
    pub patient_name: String,
    pub doctor_name: String,
    pub clinic_ar: String,
    pub clinic_en: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub timezone: String,
    /// A waitlist offer's hold.
    pub hold_until: Option<Timestamp>,
    /// Where the patient sees the appointment.
    pub link: String,
    /// One-tap links: "I will come" and "cancel", for messages about a visit still ahead.
    pub confirm_link: Option<String>,
    pub cancel_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// One line for an SMS: what happened and the link.
    pub short: String,
    /// A WhatsApp template's body parameters, in order: patient, doctor, clinic, date, Hijri
    /// date, time, and (an offer) the hold's end.
    pub params: Vec<String>,
    /// The one-tap tokens (confirm, cancel), for WhatsApp's quick-reply buttons.
    pub taps: Option<(String, String)>,
    /// The visit as an iCalendar file, for the messages that change a calendar.
    pub ics: Option<String>,
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn compose(facts: &Facts, locale: Locale) -> Composed {
    let i18n = I18n { locale };
    let clinic = match locale {
        Locale::Ar => facts.clinic_ar.clone(),
        Locale::En => facts.clinic_en.clone(),
    };
    let date = zoned(facts.start, &facts.timezone).date();
    let until = facts
        .hold_until
        .map(|t| time_label(i18n, t, &facts.timezone))
        .unwrap_or_default();
    let args = [
        ("patient", facts.patient_name.clone()),
        ("doctor", facts.doctor_name.clone()),
        ("clinic", clinic.clone()),
        ("date", gregorian_label(i18n, date)),
        ("hijri", hijri_label(i18n, date)),
        ("time", time_label(i18n, facts.start, &facts.timezone)),
        ("until", until),
    ];
    let params: Vec<String> = args
        .iter()
        .filter(|(name, value)| *name != "until" || !value.is_empty())
        .map(|(_, value)| value.clone())
        .collect();
    let token = |link: &Option<String>| {
        link.as_ref()
            .and_then(|l| l.rsplit('/').next().map(str::to_owned))
    };
    let tap_tokens = token(&facts.confirm_link).zip(token(&facts.cancel_link));
    let code = facts.kind.code();
    let subject = i18n.t_with(&format!("notify-{code}-subject"), &args);
    let greeting = i18n.t_with("notify-greeting", &[("name", facts.recipient_name.clone())]);
    let body = i18n.t_with(&format!("notify-{code}-body"), &args);
    let link = i18n.t_with("notify-link", &[("link", facts.link.clone())]);
    let signature = i18n.t_with("notify-signature", &[("clinic", clinic.clone())]);
    let ics = matches!(
        facts.kind,
        MessageKind::Booked | MessageKind::Rescheduled | MessageKind::Cancelled
    )
    .then(|| {
        let summary = format!("{} — {}", facts.doctor_name, clinic);
        let location = format!("{} / {}", facts.clinic_ar, facts.clinic_en);
        ics::render(&ics::IcsEvent {
            uid: &format!("{}@mueen", facts.appointment_id),
            start: facts.start,
            end: facts.end,
            stamp: Timestamp::now(),
            summary: &summary,
            location: &location,
            cancelled: facts.kind == MessageKind::Cancelled,
        })
    });
    let attached = ics
        .as_ref()
        .map(|_| i18n.t("notify-calendar-file"))
        .unwrap_or_default();
    let taps: Vec<(String, &String)> = [
        ("notify-confirm-link", &facts.confirm_link),
        ("notify-cancel-link", &facts.cancel_link),
    ]
    .into_iter()
    .filter_map(|(key, url)| {
        url.as_ref()
            .map(|u| (i18n.t_with(key, &[("link", String::new())]), u))
    })
    .collect();
    let mut text = format!("{greeting}\n\n{body}\n\n{link}\n");
    for (label, url) in &taps {
        text.push_str(&format!("{}{url}\n", label));
    }
    if !attached.is_empty() {
        text.push_str(&format!("{attached}\n"));
    }
    text.push_str(&format!("\n{signature}\n"));
    let (lang, dir, align) = match locale {
        Locale::Ar => ("ar", "rtl", "right"),
        Locale::En => ("en", "ltr", "left"),
    };
    let taps_html: String = taps
        .iter()
        .map(|(label, url)| {
            format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(url),
                escape(label.trim_end_matches([':', ' ']))
            )
        })
        .collect();
    let attached_html = if attached.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", escape(&attached))
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title></head>\
         <body dir=\"{dir}\" style=\"direction:{dir};text-align:{align};font-family:Tahoma,Arial,sans-serif\">\
         <p>{greeting}</p><p>{body}</p>\
         <p><a href=\"{href}\">{link_text}</a></p>{taps_html}{attached_html}<p>{signature}</p></body></html>",
        title = escape(&subject),
        greeting = escape(&greeting),
        body = escape(&body),
        href = escape(&facts.link),
        link_text = escape(&i18n.t_with("notify-link", &[("link", String::new())])),
        signature = escape(&signature),
    );
    let short = format!("{body} {}", facts.link);
    Composed {
        subject,
        text,
        html,
        short,
        params,
        taps: tap_tokens,
        ics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: MessageKind) -> Facts {
        Facts {
            kind,
            appointment_id: Uuid::nil(),
            recipient_name: "سارة".into(),
            patient_name: "ليان <b>".into(),
            doctor_name: "ريم الحربي".into(),
            clinic_ar: "عيادة مُعين".into(),
            clinic_en: "Mueen Clinic".into(),
            // 1 December 2026, 10:30 in Riyadh = 21 Jumada al-Akhirah 1448.
            start: "2026-12-01T07:30:00Z".parse().expect("ts"),
            end: "2026-12-01T07:50:00Z".parse().expect("ts"),
            timezone: "Asia/Riyadh".into(),
            hold_until: None,
            link: "https://clinic.example/appointments?a=1&b=2".into(),
            confirm_link: None,
            cancel_link: None,
        }
    }

    #[test]
    fn arabic_booking_names_both_calendars_and_the_local_time_and_attaches_the_visit() {
        let m = compose(&facts(MessageKind::Booked), Locale::Ar);
        assert_eq!(m.subject, "تأكيد موعد في عيادة مُعين");
        assert!(m.text.starts_with("مرحبًا سارة،"));
        assert!(m.text.contains("1 ديسمبر 2026"), "{}", m.text);
        assert!(m.text.contains("21 جمادى الآخرة 1448"), "{}", m.text);
        assert!(m.text.contains("10:30"), "local time, not UTC: {}", m.text);
        assert!(m.html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(
            m.html.contains("ليان &lt;b&gt;"),
            "names are escaped in HTML"
        );
        assert!(m.html.contains("a=1&amp;b=2"));
        let ics = m.ics.expect("a booking carries its calendar file");
        assert!(ics.contains("STATUS:CONFIRMED"));
        assert!(ics.contains("DTSTART:20261201T073000Z"));
    }

    #[test]
    fn english_reminder_has_no_file_and_a_cancellation_cancels_the_calendar_entry() {
        let m = compose(&facts(MessageKind::Reminder), Locale::En);
        assert!(m.subject.starts_with("Reminder"));
        assert!(m.html.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(m.text.contains("Mueen Clinic"));
        assert!(m.ics.is_none());
        assert!(m
            .short
            .ends_with("https://clinic.example/appointments?a=1&b=2"));
        assert!(!m.short.contains('\n'), "one line for an SMS");
        let c = compose(&facts(MessageKind::Cancelled), Locale::En);
        assert!(c.ics.expect("file").contains("STATUS:CANCELLED"));
    }

    #[test]
    fn a_reminder_carries_its_one_tap_links_in_text_and_html() {
        let mut f = facts(MessageKind::Reminder);
        f.confirm_link = Some("https://clinic.example/t/aa".into());
        f.cancel_link = Some("https://clinic.example/t/bb".into());
        let m = compose(&f, Locale::Ar);
        assert!(
            m.text
                .contains("سأحضر (تأكيد بلمسة): https://clinic.example/t/aa"),
            "{}",
            m.text
        );
        assert!(
            m.text.contains("إلغاء الموعد: https://clinic.example/t/bb"),
            "{}",
            m.text
        );
        assert!(
            m.html
                .contains(r#"<a href="https://clinic.example/t/aa">سأحضر (تأكيد بلمسة)</a>"#),
            "{}",
            m.html
        );
    }

    #[test]
    fn a_waitlist_offer_says_until_when_it_is_held() {
        let mut f = facts(MessageKind::WaitlistOffer);
        f.hold_until = Some("2026-11-30T09:15:00Z".parse().expect("ts"));
        let m = compose(&f, Locale::En);
        assert!(m.text.contains("until 12:15"), "{}", m.text);
    }
}
