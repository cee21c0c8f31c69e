//! The life of an appointment. Every status change anywhere goes through `transition`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "appointment_status", rename_all = "snake_case")
)]
pub enum Status {
    /// A waitlist offer holding a freed time until the patient accepts or the hold runs out.
    Held,
    Booked,
    CheckedIn,
    InConsultation,
    Completed,
    NoShow,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    CheckIn,
    StartConsultation,
    Complete,
    MarkNoShow,
    Cancel,
    AcceptOffer,
    DeclineOffer,
    ExpireOffer,
}

impl Status {
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Held => "appt-status-held",
            Status::Booked => "appt-status-booked",
            Status::CheckedIn => "appt-status-checked-in",
            Status::InConsultation => "appt-status-in-consultation",
            Status::Completed => "appt-status-completed",
            Status::NoShow => "appt-status-no-show",
            Status::Cancelled => "appt-status-cancelled",
        }
    }

    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Booked | Status::CheckedIn | Status::InConsultation
        )
    }
}

impl Action {
    /// The kind of change the access policy decides who may make.
    pub fn access(self) -> crate::kernel::access::StatusChange {
        use crate::kernel::access::StatusChange;
        match self {
            Action::Cancel => StatusChange::Cancel,
            Action::AcceptOffer | Action::DeclineOffer => StatusChange::AnswerOffer,
            Action::CheckIn | Action::StartConsultation | Action::Complete | Action::MarkNoShow => {
                StatusChange::ClinicStep
            }
            Action::ExpireOffer => StatusChange::Lapse,
        }
    }

    /// The audit / outbox name of the change.
    pub fn event(self) -> &'static str {
        match self {
            Action::CheckIn => "appointment.checked_in",
            Action::StartConsultation => "appointment.consultation_started",
            Action::Complete => "appointment.completed",
            Action::MarkNoShow => "appointment.no_show",
            Action::Cancel => "appointment.cancelled",
            Action::AcceptOffer => "waitlist.accepted",
            Action::DeclineOffer => "waitlist.declined",
            Action::ExpireOffer => "waitlist.expired",
        }
    }
}

/// Applies `action` to an appointment in `from` that starts at `starts_at` (seconds since the
/// epoch), seen at `now`. A no-show can only be recorded once the start time has passed.
pub fn transition(
    from: Status,
    action: Action,
    now: i64,
    starts_at: i64,
) -> Result<Status, &'static str> {
    use Action::*;
    use Status::*;
    match (from, action) {
        (Booked, CheckIn) => Ok(CheckedIn),
        (CheckedIn, StartConsultation) => Ok(InConsultation),
        (InConsultation, Complete) => Ok(Completed),
        (Booked, MarkNoShow) if now >= starts_at => Ok(NoShow),
        (Booked, MarkNoShow) => Err("err-appt-no-show-too-early"),
        (Booked | CheckedIn, Cancel) => Ok(Cancelled),
        (Held, AcceptOffer) => Ok(Booked),
        (Held, DeclineOffer | ExpireOffer) => Ok(Cancelled),
        _ => Err("err-appt-illegal-transition"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_runs_booked_to_completed() {
        let s = transition(Status::Booked, Action::CheckIn, 0, 0).expect("check in");
        let s = transition(s, Action::StartConsultation, 0, 0).expect("start");
        assert_eq!(transition(s, Action::Complete, 0, 0), Ok(Status::Completed));
    }

    #[test]
    fn no_show_only_after_the_start_time() {
        assert_eq!(
            transition(Status::Booked, Action::MarkNoShow, 99, 100),
            Err("err-appt-no-show-too-early")
        );
        assert_eq!(
            transition(Status::Booked, Action::MarkNoShow, 100, 100),
            Ok(Status::NoShow)
        );
    }

    #[test]
    fn finished_appointments_cannot_change() {
        for done in [Status::Completed, Status::NoShow, Status::Cancelled] {
            for action in [
                Action::CheckIn,
                Action::StartConsultation,
                Action::Complete,
                Action::MarkNoShow,
                Action::Cancel,
                Action::AcceptOffer,
                Action::DeclineOffer,
                Action::ExpireOffer,
            ] {
                assert_eq!(
                    transition(done, action, 1_000, 0),
                    Err("err-appt-illegal-transition"),
                    "{done:?} {action:?}"
                );
            }
        }
        assert_eq!(
            transition(Status::InConsultation, Action::Cancel, 0, 0),
            Err("err-appt-illegal-transition")
        );
        assert_eq!(
            transition(Status::Booked, Action::Complete, 0, 0),
            Err("err-appt-illegal-transition")
        );
    }

    #[test]
    fn an_offer_is_accepted_declined_or_lapses_and_nothing_else() {
        assert_eq!(
            transition(Status::Held, Action::AcceptOffer, 0, 0),
            Ok(Status::Booked)
        );
        for action in [Action::DeclineOffer, Action::ExpireOffer] {
            assert_eq!(
                transition(Status::Held, action, 0, 0),
                Ok(Status::Cancelled)
            );
        }
        for action in [Action::CheckIn, Action::MarkNoShow, Action::Cancel] {
            assert_eq!(
                transition(Status::Held, action, 1_000, 0),
                Err("err-appt-illegal-transition"),
                "{action:?}"
            );
        }
        for from in [Status::Booked, Status::CheckedIn, Status::Cancelled] {
            assert_eq!(
                transition(from, Action::AcceptOffer, 0, 0),
                Err("err-appt-illegal-transition"),
                "{from:?}"
            );
        }
    }
}
