-- Attachments: lab reports, radiology, referrals and other files a doctor adds to a patient's
-- chart, from a consultation or to the patient directly. The bytes live in object storage,
-- sealed by the app (AES-256-GCM, `key_id` names the key); this row says what they are. A file
-- in a medical record is never removed or replaced: only its key (rotation re-seals it) and
-- whether the patient sees it may change.

CREATE TABLE attachments (
    id uuid PRIMARY KEY,
    patient_id uuid NOT NULL REFERENCES users (id),
    encounter_id uuid REFERENCES encounters (id),
    uploaded_by uuid NOT NULL REFERENCES users (id),
    kind text NOT NULL CHECK (kind IN ('lab', 'radiology', 'referral', 'other')),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    -- Read from the file's first bytes, never from its name or the browser's word.
    content_type text NOT NULL
        CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
    size_bytes integer NOT NULL CHECK (size_bytes > 0),
    -- Of the plain bytes: a download that does not match it is refused.
    sha256 bytea NOT NULL CHECK (length(sha256) = 32),
    object_key text NOT NULL CONSTRAINT attachments_object_key_key UNIQUE,
    key_id text NOT NULL,
    shared_with_patient boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_patient_idx ON attachments (patient_id, created_at DESC);
CREATE INDEX attachments_encounter_idx ON attachments (encounter_id, created_at)
    WHERE encounter_id IS NOT NULL;

CREATE FUNCTION attachment_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'key_id' - 'shared_with_patient')
                         IS DISTINCT FROM (to_jsonb(OLD) - 'key_id' - 'shared_with_patient') THEN
        RAISE EXCEPTION 'attachment % is part of the record and cannot be changed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'attachment_kept';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER attachments_kept BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachment_is_kept();
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
