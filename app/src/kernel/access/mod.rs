//! The one access policy: who may do what in Mu'een. Role lists, "may this user act for this
//! patient", "may this user read this appointment" and the role × step table of appointment
//! status changes live here and nowhere else. Every server function and route asks it, and
//! reads of patient data are audited here, so a new entry point cannot forget either.
//!
//! `Area` is pure and shared with the browser (pages hide what the caller cannot use); the
//! checks that need the database are `ssr` only.

use crate::kernel::values::Role;

#[cfg(feature = "ssr")]
mod checks;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub use checks::*;

/// A part of Mu'een guarded by role. Which rows inside it a caller reaches (their own
/// patients, their own appointments) is decided by the checks below, not by the area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Anything a logged-in account does for itself: its password, an appointment it may read.
    AnyAccount,
    /// A patient's own pages: profile, family, appointments, waitlist.
    PatientSelf,
    /// Booking and joining the waitlist: patients for themselves and their family, the desk for
    /// anyone. Doctors do not book.
    Booking,
    /// The day and week lists of doctors and the desk.
    StaffSchedule,
    /// The front desk: patient search, walk-in registration.
    Desk,
    /// Clinic setup: details, rules, visit types, specialties, hours, closures, branches.
    ClinicSetup,
    /// Staff accounts.
    StaffAdmin,
    /// Writing the clinical record: consultations, vital signs, the ICD-10 search. Doctors only;
    /// which patients' records a doctor reaches is `read_chart`'s care relationship.
    Clinical,
    /// Reading the clinical record: doctors (for the patients they treat) and patients (their
    /// own and their family's shared items), as `read_chart` decides item by item. The desk and
    /// admins never see notes or prescriptions.
    ChartRead,
    /// Reviewing break-glass openings of charts: admins, who never read the charts themselves.
    AccessReview,
    /// The delivery of patients' messages: their status, resending, the providers' health.
    Messaging,
}

impl Area {
    pub const fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Area::AnyAccount => &[Patient, Doctor, Receptionist, Admin],
            Area::PatientSelf => &[Patient],
            Area::Booking => &[Patient, Receptionist, Admin],
            Area::StaffSchedule => &[Doctor, Receptionist, Admin],
            Area::Desk => &[Receptionist, Admin],
            Area::ClinicSetup => &[Admin, Receptionist],
            Area::StaffAdmin => &[Admin],
            Area::Clinical => &[Doctor],
            Area::ChartRead => &[Doctor, Patient],
            Area::AccessReview => &[Admin],
            Area::Messaging => &[Admin],
        }
    }

    pub fn admits(self, role: Role) -> bool {
        self.roles().contains(&role)
    }
}

/// A change to an appointment's status, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// Giving up a booked time.
    Cancel,
    /// Accepting or declining a waitlist offer.
    AnswerOffer,
    /// The clinic's steps: check-in, start and finish the consultation, no-show.
    ClinicStep,
    /// An offer's hold running out.
    Lapse,
}

/// On what condition a role may make a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Never,
    /// The caller is the patient or the patient's guardian.
    IfActsForPatient,
    /// The caller is the appointment's doctor.
    IfTheirDoctor,
    Always,
}

/// The role × change table.
pub fn status_change(role: Role, change: StatusChange) -> Permission {
    use Permission::*;
    match (role, change) {
        // Lapsing is the clock's decision, never a person's.
        (_, StatusChange::Lapse) => Never,
        (Role::Patient, StatusChange::Cancel | StatusChange::AnswerOffer) => IfActsForPatient,
        (Role::Patient, StatusChange::ClinicStep) => Never,
        // An offer is the patient's to answer, themselves or through the desk on their word.
        (Role::Doctor, StatusChange::AnswerOffer) => Never,
        (Role::Doctor, _) => IfTheirDoctor,
        (Role::Receptionist | Role::Admin, _) => Always,
    }
}

/// Who may read an appointment, as a rule over its two parties: the patient (or their
/// guardian), the doctor, and the front desk.
pub fn appointment_reader(role: Role) -> Permission {
    match role {
        Role::Patient => Permission::IfActsForPatient,
        Role::Doctor => Permission::IfTheirDoctor,
        Role::Receptionist | Role::Admin => Permission::Always,
    }
}

/// Whether a staff day or week list shows `role` only their own appointments (a doctor), or
/// everyone's (the desk).
pub fn own_appointments_only(role: Role) -> bool {
    role == Role::Doctor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_staff_and_doctors_stay_out_of_setup() {
        assert_eq!(Area::StaffAdmin.roles(), &[Role::Admin]);
        assert!(Area::ClinicSetup.admits(Role::Receptionist));
        assert!(!Area::ClinicSetup.admits(Role::Doctor));
        assert!(!Area::Booking.admits(Role::Doctor));
        assert!(!Area::Desk.admits(Role::Patient));
    }

    #[test]
    fn nobody_lapses_an_offer_by_hand_and_doctors_do_not_answer_offers() {
        for role in [Role::Patient, Role::Doctor, Role::Receptionist, Role::Admin] {
            assert_eq!(status_change(role, StatusChange::Lapse), Permission::Never);
        }
        assert_eq!(
            status_change(Role::Doctor, StatusChange::AnswerOffer),
            Permission::Never
        );
        assert_eq!(
            status_change(Role::Patient, StatusChange::ClinicStep),
            Permission::Never
        );
        assert_eq!(
            status_change(Role::Patient, StatusChange::Cancel),
            Permission::IfActsForPatient
        );
        assert_eq!(
            status_change(Role::Doctor, StatusChange::ClinicStep),
            Permission::IfTheirDoctor
        );
    }

    #[test]
    fn a_doctors_day_list_holds_only_their_own_patients() {
        assert!(own_appointments_only(Role::Doctor));
        assert!(!own_appointments_only(Role::Receptionist));
        assert!(!own_appointments_only(Role::Admin));
    }

    #[test]
    fn a_patient_reads_an_appointment_only_through_the_patient_it_is_for() {
        assert_eq!(
            appointment_reader(Role::Patient),
            Permission::IfActsForPatient
        );
        assert_eq!(appointment_reader(Role::Doctor), Permission::IfTheirDoctor);
        assert_eq!(appointment_reader(Role::Receptionist), Permission::Always);
    }
}
