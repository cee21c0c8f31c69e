-- The free text of the record is sealed by the application (AES-256-GCM, the key id inside the
-- value, see app/src/kernel/crypto.rs): the consultation's six sections as one value, an
-- addendum's body, a problem's note. The key never reaches the database, so the plaintext
-- columns stay for rows written before this migration; the server seals those at start-up and
-- empties their plaintext, and the checks below keep a row from holding both.

ALTER TABLE encounters ADD COLUMN note_sealed bytea;
ALTER TABLE encounters ADD CONSTRAINT encounters_note_sealed_alone CHECK (
    note_sealed IS NULL OR (chief_complaint = '' AND history = '' AND examination = ''
        AND assessment = '' AND plan = '' AND patient_summary = ''));
CREATE INDEX encounters_unsealed ON encounters (id) WHERE note_sealed IS NULL AND (
    chief_complaint <> '' OR history <> '' OR examination <> '' OR assessment <> ''
    OR plan <> '' OR patient_summary <> '');

ALTER TABLE encounter_addenda ADD COLUMN body_sealed bytea;
ALTER TABLE encounter_addenda DROP CONSTRAINT encounter_addenda_body_check;
ALTER TABLE encounter_addenda ADD CONSTRAINT encounter_addenda_body_once CHECK (
    (body_sealed IS NULL AND body <> '') OR (body_sealed IS NOT NULL AND body = ''));

ALTER TABLE problems ADD COLUMN note_sealed bytea;
ALTER TABLE problems ADD CONSTRAINT problems_note_sealed_alone CHECK (
    note_sealed IS NULL OR note = '');

-- The id of the key a sealed value names: the format is "MK1", one length byte, the id.
CREATE FUNCTION sealed_key_id(value bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_from(substring(value FROM 5 FOR get_byte(value, 3)), 'UTF8')
$$;

-- A signed note stays final. The one change allowed is sealing it again: every other column
-- unchanged, the plaintext empty, and the value sealed with another key than before (rotation)
-- or for the first time. A value sealed with the same key again is refused, so new content
-- cannot be slipped in under a signed note; a value made without the key does not open.
CREATE OR REPLACE FUNCTION encounter_signed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        IF TG_OP = 'UPDATE'
           AND to_jsonb(NEW) - 'note_sealed' - 'chief_complaint' - 'history' - 'examination'
               - 'assessment' - 'plan' - 'patient_summary'
             = to_jsonb(OLD) - 'note_sealed' - 'chief_complaint' - 'history' - 'examination'
               - 'assessment' - 'plan' - 'patient_summary'
           AND NEW.note_sealed IS NOT NULL
           AND (OLD.note_sealed IS NULL
                OR sealed_key_id(NEW.note_sealed) <> sealed_key_id(OLD.note_sealed)) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'encounter % is signed and cannot be changed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'encounter_signed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION encounter_addendum_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND to_jsonb(NEW) - 'body' - 'body_sealed' = to_jsonb(OLD) - 'body' - 'body_sealed'
       AND NEW.body_sealed IS NOT NULL
       AND (OLD.body_sealed IS NULL
            OR sealed_key_id(NEW.body_sealed) <> sealed_key_id(OLD.body_sealed)) THEN
        RETURN NEW;
    END IF;
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

-- What the start-up sealing looks for, without reading the sealed rows.
CREATE INDEX encounter_addenda_unsealed ON encounter_addenda (id) WHERE body_sealed IS NULL;
CREATE INDEX problems_unsealed ON problems (id) WHERE note_sealed IS NULL;
