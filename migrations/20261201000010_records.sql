-- The clinical record: encounters (SOAP notes) opened from an appointment, their ICD-10
-- diagnoses and addenda, and the chart's allergies, problems, medications and vital signs.
-- A signed encounter is final: the triggers below refuse any change to it or its diagnoses,
-- whoever connects, so the rule holds for the application and for anyone with SQL access.
-- Addenda are the only way to add to a signed note, and they cannot be changed either.

CREATE TABLE encounters (
    id uuid PRIMARY KEY,
    appointment_id uuid NOT NULL UNIQUE REFERENCES appointments (id),
    patient_id uuid NOT NULL REFERENCES users (id),
    doctor_id uuid NOT NULL REFERENCES users (id),
    status text NOT NULL DEFAULT 'draft' CONSTRAINT encounters_status_check
        CHECK (status IN ('draft', 'signed')),
    chief_complaint text NOT NULL DEFAULT '',
    history text NOT NULL DEFAULT '',
    examination text NOT NULL DEFAULT '',
    assessment text NOT NULL DEFAULT '',
    plan text NOT NULL DEFAULT '',
    -- What the patient sees in the portal once signed, in plain language.
    patient_summary text NOT NULL DEFAULT '',
    opened_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    signed_at timestamptz,
    CONSTRAINT encounters_signed_check CHECK ((status = 'signed') = (signed_at IS NOT NULL))
);
CREATE INDEX encounters_patient_idx ON encounters (patient_id, opened_at DESC);

CREATE TABLE encounter_diagnoses (
    encounter_id uuid NOT NULL REFERENCES encounters (id),
    position smallint NOT NULL CHECK (position >= 0),
    code text NOT NULL,
    note text NOT NULL DEFAULT '',
    PRIMARY KEY (encounter_id, position),
    CONSTRAINT encounter_diagnoses_code_key UNIQUE (encounter_id, code)
);

CREATE TABLE encounter_addenda (
    id uuid PRIMARY KEY,
    encounter_id uuid NOT NULL REFERENCES encounters (id),
    author_id uuid NOT NULL REFERENCES users (id),
    body text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX encounter_addenda_encounter_idx ON encounter_addenda (encounter_id, created_at);

-- ERRCODE 23514 (check_violation) with a constraint name: the application maps the name to a
-- clear 409, as it does for its other constraints.
CREATE FUNCTION encounter_signed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'encounter % is signed and cannot be changed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_signed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER encounters_signed_final BEFORE UPDATE OR DELETE ON encounters
    FOR EACH ROW EXECUTE FUNCTION encounter_signed_is_final();

CREATE FUNCTION encounter_diagnosis_editable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target uuid;
BEGIN
    IF TG_OP = 'INSERT' THEN target := NEW.encounter_id; ELSE target := OLD.encounter_id; END IF;
    IF EXISTS (SELECT 1 FROM encounters WHERE id = target AND status = 'signed') OR
       (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM encounters WHERE id = NEW.encounter_id AND status = 'signed')) THEN
        RAISE EXCEPTION 'the diagnoses of signed encounter % cannot be changed', target
            USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_signed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER encounter_diagnoses_editable BEFORE INSERT OR UPDATE OR DELETE
    ON encounter_diagnoses FOR EACH ROW EXECUTE FUNCTION encounter_diagnosis_editable();

CREATE FUNCTION encounter_addendum_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'addenda cannot be changed or removed'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_addendum_final';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM encounters WHERE id = NEW.encounter_id AND status = 'signed') THEN
        RAISE EXCEPTION 'an addendum is added to a signed encounter only'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_addendum_unsigned';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER encounter_addenda_rules BEFORE INSERT OR UPDATE OR DELETE ON encounter_addenda
    FOR EACH ROW EXECUTE FUNCTION encounter_addendum_rules();
-- TRUNCATE skips row triggers; nobody but the owner may truncate, and the app never does.
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_signed';
END $$;
CREATE TRIGGER encounters_no_truncate BEFORE TRUNCATE ON encounters
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER encounter_diagnoses_no_truncate BEFORE TRUNCATE ON encounter_diagnoses
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER encounter_addenda_no_truncate BEFORE TRUNCATE ON encounter_addenda
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

CREATE TABLE allergies (
    id uuid PRIMARY KEY,
    patient_id uuid NOT NULL REFERENCES users (id),
    substance text NOT NULL CHECK (substance <> ''),
    reaction text NOT NULL DEFAULT '',
    severity text NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allergies_patient_idx ON allergies (patient_id);

CREATE TABLE problems (
    id uuid PRIMARY KEY,
    patient_id uuid NOT NULL REFERENCES users (id),
    code text NOT NULL,
    note text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved')),
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX problems_patient_idx ON problems (patient_id);

CREATE TABLE medications (
    id uuid PRIMARY KEY,
    patient_id uuid NOT NULL REFERENCES users (id),
    drug text NOT NULL CHECK (drug <> ''),
    dose text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX medications_patient_idx ON medications (patient_id);

-- Whole units (and tenths of a degree, tenths of a kilogram) so no measurement is rounded.
CREATE TABLE vital_signs (
    id uuid PRIMARY KEY,
    patient_id uuid NOT NULL REFERENCES users (id),
    encounter_id uuid REFERENCES encounters (id),
    measured_at timestamptz NOT NULL DEFAULT now(),
    systolic_mmhg smallint CHECK (systolic_mmhg BETWEEN 40 AND 300),
    diastolic_mmhg smallint CHECK (diastolic_mmhg BETWEEN 20 AND 200),
    pulse_bpm smallint CHECK (pulse_bpm BETWEEN 20 AND 250),
    temperature_dc smallint CHECK (temperature_dc BETWEEN 300 AND 450),
    spo2_pct smallint CHECK (spo2_pct BETWEEN 50 AND 100),
    respiratory_rate smallint CHECK (respiratory_rate BETWEEN 4 AND 80),
    weight_hg integer CHECK (weight_hg BETWEEN 5 AND 5000),
    height_cm smallint CHECK (height_cm BETWEEN 20 AND 260),
    recorded_by uuid NOT NULL REFERENCES users (id),
    CONSTRAINT vital_signs_pressure_pair CHECK ((systolic_mmhg IS NULL) = (diastolic_mmhg IS NULL))
);
CREATE INDEX vital_signs_patient_idx ON vital_signs (patient_id, measured_at DESC);
