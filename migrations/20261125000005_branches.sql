-- Branches: each clinics row is a branch with its own address, time zone, rules, visit types
-- and holidays; a doctor may work at several, with weekly hours at each. The doctor's
-- exclusion constraint already spans branches, so nobody is booked in two places at once.

CREATE TABLE doctor_clinics (
    doctor_id  uuid NOT NULL REFERENCES doctor_profiles (user_id),
    clinic_id  uuid NOT NULL REFERENCES clinics (id),
    PRIMARY KEY (doctor_id, clinic_id)
);
CREATE INDEX doctor_clinics_clinic ON doctor_clinics (clinic_id);

INSERT INTO doctor_clinics (doctor_id, clinic_id) SELECT user_id, clinic_id FROM doctor_profiles;
INSERT INTO doctor_clinics (doctor_id, clinic_id)
    SELECT DISTINCT doctor_id, clinic_id FROM working_hours ON CONFLICT DO NOTHING;

-- Hours only at a branch the doctor works at: leaving a branch needs its hours removed first.
ALTER TABLE working_hours
    ADD CONSTRAINT working_hours_doctor_clinic
        FOREIGN KEY (doctor_id, clinic_id) REFERENCES doctor_clinics (doctor_id, clinic_id);

-- A doctor's leave applies at every branch, so the lookup by doctor needs its own index.
CREATE INDEX closures_doctor ON closures (doctor_id, ends_on) WHERE doctor_id IS NOT NULL;

ALTER TABLE clinics
    ADD CONSTRAINT clinics_name_ar_key UNIQUE (name_ar),
    ADD CONSTRAINT clinics_name_en_key UNIQUE (name_en);

-- Bumped by every change that can alter a doctor's slot grid, so booking can trust a schedule
-- it read earlier as long as the number it read with it is still current.
CREATE TABLE schedule_version (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version   bigint NOT NULL
);
INSERT INTO schedule_version VALUES (true, 1);

CREATE FUNCTION schedule_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schedule_version SET version = version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER schedule_version_clinics AFTER INSERT OR UPDATE OR DELETE ON clinics
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_visit_types AFTER INSERT OR UPDATE OR DELETE ON visit_types
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_doctor_visit_types AFTER INSERT OR UPDATE OR DELETE ON doctor_visit_types
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_working_hours AFTER INSERT OR UPDATE OR DELETE ON working_hours
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_closures AFTER INSERT OR UPDATE OR DELETE ON closures
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_doctor_profiles AFTER INSERT OR UPDATE OR DELETE ON doctor_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_doctor_clinics AFTER INSERT OR UPDATE OR DELETE ON doctor_clinics
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_specialties AFTER INSERT OR UPDATE OR DELETE ON specialties
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
-- Users change often (log-ins, passwords); only a doctor's name or standing reaches a schedule.
CREATE TRIGGER schedule_version_doctor_users AFTER UPDATE ON users
    FOR EACH ROW
    WHEN (OLD.role = 'doctor' AND (OLD.is_active, OLD.first_name, OLD.family_name, OLD.latin_name)
          IS DISTINCT FROM (NEW.is_active, NEW.first_name, NEW.family_name, NEW.latin_name))
    EXECUTE FUNCTION schedule_version_bump();
