-- Accounts, roles and the append-only audit log: the ground every clinic feature builds on.

CREATE TYPE user_role AS ENUM ('patient', 'doctor', 'receptionist', 'admin');

CREATE TABLE clinics (
    id          uuid PRIMARY KEY,
    name_ar     text NOT NULL,
    name_en     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE specialties (
    id       uuid PRIMARY KEY,
    name_ar  text NOT NULL,
    name_en  text NOT NULL,
    CONSTRAINT specialties_name_en_key UNIQUE (name_en)
);

CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    role               user_role NOT NULL,
    national_id        text NOT NULL,
    phone              text NOT NULL,
    email              text,
    first_name         text NOT NULL,
    father_name        text NOT NULL,
    grandfather_name   text NOT NULL,
    family_name        text NOT NULL,
    latin_name         text,
    date_of_birth      date,
    sex                text CHECK (sex IN ('male', 'female')),
    password_hash      text NOT NULL,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_national_id_key UNIQUE (national_id),
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_national_id_format CHECK (national_id ~ '^[12][0-9]{9}$'),
    CONSTRAINT users_phone_format CHECK (phone ~ '^\+9665[0-9]{8}$'),
    -- Patients need the facts a medical record is keyed on; staff accounts may omit them.
    CONSTRAINT users_patient_has_demographics
        CHECK (role <> 'patient' OR (date_of_birth IS NOT NULL AND sex IS NOT NULL))
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE doctor_profiles (
    user_id       uuid PRIMARY KEY REFERENCES users (id),
    specialty_id  uuid NOT NULL REFERENCES specialties (id),
    clinic_id     uuid NOT NULL REFERENCES clinics (id)
);

-- Failed and successful log-ins, counted for per-account and per-IP rate limits. The identifier
-- is the normalised phone or ID as typed, so attempts on accounts that do not exist count too.
CREATE TABLE login_attempts (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    identifier  text NOT NULL,
    ip          inet,
    succeeded   boolean NOT NULL
);
CREATE INDEX login_attempts_identifier_at ON login_attempts (identifier, at DESC);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at DESC);

CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid,
    actor_role   user_role,
    action       text NOT NULL,
    subject_type text,
    subject_id   text,
    ip           inet,
    outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_actor_at ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at DESC);

-- The trigger holds even for a role that owns the table, which a REVOKE would not.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only_rows
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_append_only_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
