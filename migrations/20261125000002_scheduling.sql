-- Scheduling: clinic rules, visit types, working hours, closures, appointments that cannot
-- overlap (for the doctor or the patient), and a transactional outbox of appointment events.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE clinics
    ADD COLUMN timezone              text NOT NULL DEFAULT 'Asia/Riyadh',
    ADD COLUMN address_ar            text,
    ADD COLUMN address_en            text,
    ADD COLUMN phone                 text,
    ADD COLUMN booking_horizon_days  integer NOT NULL DEFAULT 60
        CHECK (booking_horizon_days BETWEEN 1 AND 365),
    ADD COLUMN min_notice_minutes    integer NOT NULL DEFAULT 120
        CHECK (min_notice_minutes BETWEEN 0 AND 10080),
    ADD COLUMN cancel_cutoff_minutes integer NOT NULL DEFAULT 720
        CHECK (cancel_cutoff_minutes BETWEEN 0 AND 10080),
    ADD COLUMN max_active_bookings   integer NOT NULL DEFAULT 3
        CHECK (max_active_bookings BETWEEN 1 AND 50);

ALTER TABLE doctor_profiles
    ADD COLUMN sex        text CHECK (sex IN ('male', 'female')),
    ADD COLUMN languages  text[] NOT NULL DEFAULT '{ar}',
    ADD COLUMN bio_ar     text,
    ADD COLUMN bio_en     text;

CREATE TABLE visit_types (
    id                     uuid PRIMARY KEY,
    clinic_id              uuid NOT NULL REFERENCES clinics (id),
    name_ar                text NOT NULL,
    name_en                text NOT NULL,
    duration_minutes       integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    price_halalas          integer NOT NULL CHECK (price_halalas >= 0),
    buffer_before_minutes  integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 120),
    buffer_after_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 120)
);

CREATE TABLE doctor_visit_types (
    doctor_id      uuid NOT NULL REFERENCES doctor_profiles (user_id),
    visit_type_id  uuid NOT NULL REFERENCES visit_types (id),
    PRIMARY KEY (doctor_id, visit_type_id)
);

-- Weekly hours in the clinic's local time; rows with a date range override the regular week
-- on the dates they cover (Ramadan hours, say).
CREATE TABLE working_hours (
    id           uuid PRIMARY KEY,
    doctor_id    uuid NOT NULL REFERENCES doctor_profiles (user_id),
    clinic_id    uuid NOT NULL REFERENCES clinics (id),
    weekday      smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Sunday
    starts_at    time NOT NULL,
    ends_at      time NOT NULL,
    valid_from   date,
    valid_until  date,
    CHECK (ends_at > starts_at),
    CHECK ((valid_from IS NULL) = (valid_until IS NULL)),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX working_hours_doctor ON working_hours (doctor_id);

-- Whole days without appointments: a doctor's leave, or (doctor_id NULL) a clinic holiday.
CREATE TABLE closures (
    id          uuid PRIMARY KEY,
    clinic_id   uuid NOT NULL REFERENCES clinics (id),
    doctor_id   uuid REFERENCES doctor_profiles (user_id),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    reason_ar   text NOT NULL,
    reason_en   text NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX closures_lookup ON closures (clinic_id, doctor_id, ends_on);

CREATE TYPE appointment_status AS ENUM
    ('booked', 'checked_in', 'in_consultation', 'completed', 'no_show', 'cancelled');

CREATE TABLE appointments (
    id                uuid PRIMARY KEY,
    clinic_id         uuid NOT NULL REFERENCES clinics (id),
    doctor_id         uuid NOT NULL REFERENCES doctor_profiles (user_id),
    patient_id        uuid NOT NULL REFERENCES users (id),
    visit_type_id     uuid NOT NULL REFERENCES visit_types (id),
    during            tstzrange NOT NULL,   -- the visit itself
    blocked           tstzrange NOT NULL,   -- the visit with its buffers: what the doctor loses
    status            appointment_status NOT NULL DEFAULT 'booked',
    reason            text NOT NULL DEFAULT '',
    note              text NOT NULL DEFAULT '',
    price_halalas     integer NOT NULL,
    booked_by         uuid NOT NULL REFERENCES users (id),
    rescheduled_from  uuid REFERENCES appointments (id),
    cancel_reason     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT isempty(during) AND blocked @> during),
    -- The guarantee against double booking; application checks are only a courtesy.
    CONSTRAINT appointments_doctor_no_overlap
        EXCLUDE USING gist (doctor_id WITH =, blocked WITH &&) WHERE (status <> 'cancelled'),
    CONSTRAINT appointments_patient_no_overlap
        EXCLUDE USING gist (patient_id WITH =, during WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX appointments_patient ON appointments (patient_id, lower(during));

-- Transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE appointment_events (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    appointment_id  uuid NOT NULL REFERENCES appointments (id),
    kind            text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    published_at    timestamptz
);
CREATE INDEX appointment_events_unpublished ON appointment_events (id) WHERE published_at IS NULL;
