-- Prescriptions: one row per drug, issued from an encounter and final once written (a wrong
-- one is replaced by a new one, never edited). Each carries a random verification code, the
-- QR on the printed paper opens it, and the SHA-256 of its content (computed by the app over
-- a fixed text of every field), so the verification page can show that it is unaltered.

ALTER TABLE doctor_profiles
    -- The Saudi Commission for Health Specialties registration, printed on prescriptions.
    ADD COLUMN licence_number text
        CONSTRAINT doctor_profiles_licence_format CHECK (licence_number ~ '^[0-9A-Z-]{4,20}$');

CREATE TABLE prescriptions (
    id uuid PRIMARY KEY,
    encounter_id uuid NOT NULL REFERENCES encounters (id),
    patient_id uuid NOT NULL REFERENCES users (id),
    doctor_id uuid NOT NULL REFERENCES users (id),
    drug text NOT NULL CHECK (drug <> ''),
    drug_code text,
    strength text NOT NULL DEFAULT '',
    dose text NOT NULL CHECK (dose <> ''),
    route text NOT NULL CHECK (route IN ('oral', 'sublingual', 'topical', 'inhaled', 'nasal',
        'eye', 'ear', 'im', 'iv', 'sc', 'rectal', 'vaginal')),
    frequency text NOT NULL CHECK (frequency <> ''),
    duration_days smallint NOT NULL CHECK (duration_days BETWEEN 1 AND 365),
    quantity text NOT NULL CHECK (quantity <> ''),
    refills smallint NOT NULL DEFAULT 0 CHECK (refills BETWEEN 0 AND 12),
    instructions_ar text NOT NULL DEFAULT '',
    -- Set when the drug matched a recorded allergy and the doctor prescribed it anyway.
    allergy_override text,
    verification_code text NOT NULL CONSTRAINT prescriptions_verification_code_key UNIQUE,
    content_sha256 bytea NOT NULL CHECK (length(content_sha256) = 32),
    issued_at timestamptz NOT NULL
);
CREATE INDEX prescriptions_encounter_idx ON prescriptions (encounter_id, issued_at);
CREATE INDEX prescriptions_patient_idx ON prescriptions (patient_id, issued_at DESC);

CREATE FUNCTION prescription_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prescription % is issued and cannot be changed', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'prescription_final';
END $$;
CREATE TRIGGER prescriptions_final BEFORE UPDATE OR DELETE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescription_is_final();
CREATE TRIGGER prescriptions_no_truncate BEFORE TRUNCATE ON prescriptions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

-- "Who opened my record": the audit rows about one patient, newest first.
CREATE INDEX audit_log_patient_at ON audit_log ((details ->> 'patient_id'), at DESC)
    WHERE details ? 'patient_id';
