//! What a patient is told, on which channel, and when: the planning rules, free of I/O.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of message a patient gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    Booked,
    Rescheduled,
    Cancelled,
    WaitlistOffer,
    Reminder,
}

impl MessageKind {
    /// The message an outbox event calls for; `None` for events a patient is not sent anything
    /// about (check-in, consultation steps, a no-show, offers answered). `rescheduled` says
    /// whether a created appointment replaces another.
    pub fn of_event(event: &str, rescheduled: bool) -> Option<Self> {
        match event {
            "appointment.created" if rescheduled => Some(Self::Rescheduled),
            "appointment.created" => Some(Self::Booked),
            "appointment.cancelled" => Some(Self::Cancelled),
            "waitlist.offered" => Some(Self::WaitlistOffer),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Rescheduled => "rescheduled",
            Self::Cancelled => "cancelled",
            Self::WaitlistOffer => "waitlist_offer",
            Self::Reminder => "reminder",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Booked,
            Self::Rescheduled,
            Self::Cancelled,
            Self::WaitlistOffer,
            Self::Reminder,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// Reminders are what a patient may turn off; the rest tell of a change to a booking and
    /// are always sent.
    pub fn optional(self) -> bool {
        self == Self::Reminder
    }
}

/// The ways a message can go out. `Log` writes it to the server log: the one channel on when
/// nothing is configured, so a fresh `make run` sends nothing anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Log,
    Email,
    Sms,
    WhatsApp,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Log,
        Channel::Email,
        Channel::Sms,
        Channel::WhatsApp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Log => "log",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::WhatsApp => "whatsapp",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What a patient agreed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub channels: Vec<Channel>,
    pub reminders: bool,
}

impl Preferences {
    /// As stored: channel codes (an unknown one, left by an older release, is skipped).
    pub fn stored(codes: &[String], reminders: bool) -> Self {
        Self {
            channels: codes.iter().filter_map(|c| Channel::from_code(c)).collect(),
            reminders,
        }
    }
}

/// The channels a message may go out on, in order: those the clinic runs (`running`, in the
/// clinic's order of preference) that the patient allows. A message is sent on the first; the
/// rest are its fallbacks when a channel fails for good. A message about a change to a booking
/// is never dropped: with none allowed it goes on the clinic's first channel. A reminder the
/// patient turned off goes nowhere.
pub fn channels_for(
    kind: MessageKind,
    running: &[Channel],
    prefs: Option<&Preferences>,
) -> Vec<Channel> {
    let Some(prefs) = prefs else {
        return running.to_vec();
    };
    if kind.optional() && !prefs.reminders {
        return vec![];
    }
    let allowed: Vec<Channel> = running
        .iter()
        .copied()
        .filter(|c| prefs.channels.contains(c))
        .collect();
    match (allowed.is_empty(), kind.optional(), running.first()) {
        (true, false, Some(first)) => vec![*first],
        _ => allowed,
    }
}

/// The channel to try after `failed` gave up on a message: the next the patient allows, in the
/// clinic's order; `None` when no other is left.
pub fn fallback_after(
    kind: MessageKind,
    failed: Channel,
    running: &[Channel],
    prefs: Option<&Preferences>,
) -> Option<Channel> {
    let order = channels_for(kind, running, prefs);
    let after = order.iter().position(|c| *c == failed).map_or(0, |i| i + 1);
    order[after.min(order.len())..]
        .iter()
        .copied()
        .find(|c| *c != failed)
}

/// What a message's idempotency key was made from (`idempotency_key`'s `source`), so its
/// fallback on another channel gets the key that channel would have had.
pub fn source_of(key: &str, channel: Channel, recipient: Uuid) -> Option<&str> {
    key.strip_suffix(&format!(":{}:{recipient}", channel.code()))
}

/// When the reminders for a visit at `start` are due: `start - ahead` for each lead time,
/// leaving out those already past at `now` (a visit booked for tomorrow morning gets no
/// "24 hours before" reminder). Returns (lead time in minutes, due).
pub fn reminder_times(
    start: Timestamp,
    leads: &[SignedDuration],
    now: Timestamp,
) -> Vec<(i64, Timestamp)> {
    let mut out: Vec<(i64, Timestamp)> = leads
        .iter()
        .filter(|lead| lead.is_positive())
        .filter_map(|lead| Some((lead.as_mins(), start.checked_sub(*lead).ok()?)))
        .filter(|(_, due)| *due > now)
        .collect();
    out.sort_by_key(|(_, due)| *due);
    out.dedup_by_key(|(minutes, _)| *minutes);
    out
}

/// Why a reminder due now is no longer sent, if it is not: its visit was cancelled, moved to
/// another time (the new time has reminders of its own), or has begun.
pub fn reminder_void(
    planned_start: Timestamp,
    booked: bool,
    start: Timestamp,
    now: Timestamp,
) -> Option<&'static str> {
    if !booked {
        Some("the visit is no longer booked")
    } else if start != planned_start {
        Some("the visit was moved")
    } else if start <= now {
        Some("the visit has begun")
    } else {
        None
    }
}

/// The key that makes planning a message twice add nothing: what it is about (`source`: an
/// outbox event or a reminder), the channel and the recipient.
pub fn idempotency_key(source: &str, channel: Channel, recipient: Uuid) -> String {
    format!("{source}:{}:{recipient}", channel.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("instant")
    }

    #[test]
    fn only_changes_a_patient_cares_about_are_sent() {
        assert_eq!(
            MessageKind::of_event("appointment.created", false),
            Some(MessageKind::Booked)
        );
        assert_eq!(
            MessageKind::of_event("appointment.created", true),
            Some(MessageKind::Rescheduled)
        );
        assert_eq!(
            MessageKind::of_event("appointment.cancelled", false),
            Some(MessageKind::Cancelled)
        );
        assert_eq!(
            MessageKind::of_event("waitlist.offered", false),
            Some(MessageKind::WaitlistOffer)
        );
        for quiet in [
            "appointment.checked_in",
            "appointment.completed",
            "appointment.no_show",
            "appointment.rescheduled",
            "waitlist.accepted",
            "anything",
        ] {
            assert_eq!(MessageKind::of_event(quiet, false), None, "{quiet}");
        }
        for kind in [MessageKind::Booked, MessageKind::Reminder] {
            assert_eq!(MessageKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn a_patient_gets_the_running_channels_they_allow() {
        let running = [Channel::WhatsApp, Channel::Sms, Channel::Email];
        assert_eq!(
            channels_for(MessageKind::Booked, &running, None),
            running.to_vec()
        );
        let prefs = Preferences {
            channels: vec![Channel::Email, Channel::Log],
            reminders: true,
        };
        assert_eq!(
            channels_for(MessageKind::Reminder, &running, Some(&prefs)),
            vec![Channel::Email]
        );
    }

    #[test]
    fn a_failed_channel_falls_back_to_the_next_the_patient_allows_once() {
        let running = [Channel::WhatsApp, Channel::Sms, Channel::Email];
        let kind = MessageKind::Booked;
        assert_eq!(
            fallback_after(kind, Channel::WhatsApp, &running, None),
            Some(Channel::Sms)
        );
        assert_eq!(
            fallback_after(kind, Channel::Sms, &running, None),
            Some(Channel::Email)
        );
        assert_eq!(fallback_after(kind, Channel::Email, &running, None), None);
        let email_only = Preferences {
            channels: vec![Channel::Email],
            reminders: true,
        };
        assert_eq!(
            fallback_after(kind, Channel::Email, &running, Some(&email_only)),
            None,
            "never a channel the patient did not allow"
        );
        let recipient = Uuid::from_u128(7);
        let key = idempotency_key("event:12", Channel::Sms, recipient);
        assert_eq!(source_of(&key, Channel::Sms, recipient), Some("event:12"));
        assert_eq!(source_of(&key, Channel::Email, recipient), None);
    }

    #[test]
    fn reminders_can_be_turned_off_but_a_cancellation_always_goes() {
        let running = [Channel::Sms, Channel::Email];
        let off = Preferences {
            channels: vec![],
            reminders: false,
        };
        assert!(channels_for(MessageKind::Reminder, &running, Some(&off)).is_empty());
        assert_eq!(
            channels_for(MessageKind::Cancelled, &running, Some(&off)),
            vec![Channel::Sms]
        );
        assert!(channels_for(MessageKind::Cancelled, &[], Some(&off)).is_empty());
    }

    #[test]
    fn reminders_are_due_before_the_visit_and_never_in_the_past() {
        let leads = [
            SignedDuration::from_hours(24),
            SignedDuration::from_hours(2),
        ];
        let start = ts("2026-12-10T07:00:00Z");
        assert_eq!(
            reminder_times(start, &leads, ts("2026-12-06T00:00:00Z")),
            vec![
                (1440, ts("2026-12-09T07:00:00Z")),
                (120, ts("2026-12-10T05:00:00Z"))
            ]
        );
        assert_eq!(
            reminder_times(start, &leads, ts("2026-12-09T20:00:00Z")),
            vec![(120, ts("2026-12-10T05:00:00Z"))],
            "booked the evening before: only the 2-hour reminder"
        );
        assert!(reminder_times(start, &leads, ts("2026-12-10T06:00:00Z")).is_empty());
        assert!(
            reminder_times(start, &[SignedDuration::ZERO], ts("2026-12-01T00:00:00Z")).is_empty()
        );
    }

    #[test]
    fn a_reminder_goes_only_for_a_visit_still_booked_at_its_time() {
        let start = ts("2026-12-10T07:00:00Z");
        let now = ts("2026-12-10T05:00:00Z");
        assert_eq!(reminder_void(start, true, start, now), None);
        assert!(
            reminder_void(start, false, start, now).is_some(),
            "cancelled"
        );
        assert!(
            reminder_void(start, true, ts("2026-12-11T07:00:00Z"), now).is_some(),
            "moved"
        );
        assert!(reminder_void(start, true, start, start).is_some(), "begun");
    }

    #[test]
    fn the_key_names_source_channel_and_recipient() {
        let who = Uuid::nil();
        assert_eq!(
            idempotency_key("event:42", Channel::Sms, who),
            format!("event:42:sms:{who}")
        );
        assert_ne!(
            idempotency_key("event:42", Channel::Sms, who),
            idempotency_key("event:42", Channel::Email, who)
        );
    }
}
