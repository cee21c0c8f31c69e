-- Break-glass: a doctor with no appointment with a patient may still open the chart in an
-- emergency, for a reason they state, for a short time. Each grant waits for an admin's review.
-- A grant is part of the audit trail: it is never removed, and only its review is written
-- later, once.

CREATE TABLE chart_access_grants (
    id uuid PRIMARY KEY,
    doctor_id uuid NOT NULL REFERENCES users (id),
    patient_id uuid NOT NULL REFERENCES users (id),
    reason text NOT NULL
        CONSTRAINT chart_access_grants_reason_length CHECK (char_length(reason) BETWEEN 10 AND 500),
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    reviewed_by uuid REFERENCES users (id),
    reviewed_at timestamptz,
    review_note text NOT NULL DEFAULT '' CHECK (char_length(review_note) <= 500),
    -- At most four hours: a long look at someone's record needs a new reason.
    CONSTRAINT chart_access_grants_window
        CHECK (expires_at > granted_at AND expires_at <= granted_at + interval '4 hours'),
    CONSTRAINT chart_access_grants_review_whole CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL))
);
CREATE INDEX chart_access_grants_open ON chart_access_grants (doctor_id, patient_id, expires_at DESC);
CREATE INDEX chart_access_grants_to_review ON chart_access_grants (granted_at DESC)
    WHERE reviewed_at IS NULL;

CREATE FUNCTION chart_access_grant_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.reviewed_at IS NOT NULL
       OR (to_jsonb(NEW) - 'reviewed_by' - 'reviewed_at' - 'review_note')
          IS DISTINCT FROM (to_jsonb(OLD) - 'reviewed_by' - 'reviewed_at' - 'review_note') THEN
        RAISE EXCEPTION 'chart access grant % is part of the audit trail', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chart_access_grant_kept';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chart_access_grants_kept BEFORE UPDATE OR DELETE ON chart_access_grants
    FOR EACH ROW EXECUTE FUNCTION chart_access_grant_is_kept();
CREATE TRIGGER chart_access_grants_no_truncate BEFORE TRUNCATE ON chart_access_grants
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
