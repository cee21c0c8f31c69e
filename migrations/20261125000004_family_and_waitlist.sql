-- Family members booked for by a guardian, and the waitlist whose offers hold a freed time.

ALTER TABLE clinics
    ADD COLUMN waitlist_hold_minutes integer NOT NULL DEFAULT 15
        CHECK (waitlist_hold_minutes BETWEEN 5 AND 1440);

-- A dependent (a child, an elderly parent) is a patient without a log-in of their own; a
-- child may have no mobile number, so only such managed records may leave it empty.
ALTER TABLE users
    ADD COLUMN managed boolean NOT NULL DEFAULT false,
    ALTER COLUMN phone DROP NOT NULL,
    ADD CONSTRAINT users_phone_or_managed CHECK (phone IS NOT NULL OR managed);

CREATE TABLE dependents (
    guardian_id   uuid NOT NULL REFERENCES users (id),
    dependent_id  uuid NOT NULL REFERENCES users (id),
    relation      text NOT NULL CHECK (relation IN ('child', 'parent', 'spouse', 'sibling', 'other')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guardian_id, dependent_id),
    CONSTRAINT dependents_not_self CHECK (guardian_id <> dependent_id)
);
CREATE INDEX dependents_dependent ON dependents (dependent_id);

CREATE TYPE waitlist_status AS ENUM ('waiting', 'offered', 'booked', 'left');

-- A wish for a doctor, or for any doctor of a specialty, on dates in a range.
CREATE TABLE waitlist_entries (
    id            uuid PRIMARY KEY,
    patient_id    uuid NOT NULL REFERENCES users (id),
    requested_by  uuid NOT NULL REFERENCES users (id),
    clinic_id     uuid NOT NULL REFERENCES clinics (id),
    doctor_id     uuid REFERENCES doctor_profiles (user_id),
    specialty_id  uuid REFERENCES specialties (id),
    from_date     date NOT NULL,
    until_date    date NOT NULL,
    status        waitlist_status NOT NULL DEFAULT 'waiting',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (until_date >= from_date),
    CHECK ((doctor_id IS NULL) <> (specialty_id IS NULL))
);
CREATE UNIQUE INDEX waitlist_entries_one_open
    ON waitlist_entries (patient_id, coalesce(doctor_id, specialty_id))
    WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_entries_queue ON waitlist_entries (clinic_id, created_at)
    WHERE status = 'waiting';

ALTER TABLE appointments
    ADD COLUMN waitlist_entry_id uuid REFERENCES waitlist_entries (id),
    ADD COLUMN hold_expires_at   timestamptz,
    -- The cancelled appointment whose time an offer holds; each patient is offered it once.
    ADD COLUMN offered_from      uuid REFERENCES appointments (id),
    ADD CONSTRAINT appointments_hold_has_entry
        CHECK (hold_expires_at IS NULL OR waitlist_entry_id IS NOT NULL);
CREATE INDEX appointments_open_holds ON appointments (hold_expires_at)
    WHERE hold_expires_at IS NOT NULL;
CREATE INDEX appointments_offered_from ON appointments (offered_from)
    WHERE offered_from IS NOT NULL;
