-- Lab and radiology orders placed in a consultation, and their results. A lab result is one
-- row per measured analyte, a whole number in the analyte's smallest unit (tenths of g/dL for
-- haemoglobin, hundredths of mg/dL for creatinine) with the reference range printed beside it,
-- so nothing is rounded by a float; its flag is computed by the app and checked here against
-- the range, so a stored "normal" can never sit beside a value out of range. A radiology
-- result is the radiologist's report (sealed free text) and whether it is abnormal.
-- An order closes once, as resulted or cancelled, and is final after that.

CREATE TABLE clinical_orders (
    id uuid PRIMARY KEY,
    encounter_id uuid NOT NULL REFERENCES encounters (id),
    patient_id uuid NOT NULL REFERENCES users (id),
    doctor_id uuid NOT NULL REFERENCES users (id),
    kind text NOT NULL CHECK (kind IN ('lab', 'radiology')),
    -- A test of the app's catalogue (app/src/records/domain/order.rs).
    test_code text NOT NULL CHECK (test_code ~ '^[a-z0-9-]{2,40}$'),
    priority text NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'urgent')),
    -- The clinical question, sealed by the app like the note (NULL when none was given).
    indication_sealed bytea,
    status text NOT NULL DEFAULT 'ordered' CHECK (status IN ('ordered', 'resulted', 'cancelled')),
    ordered_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    closed_by uuid REFERENCES users (id),
    -- The report (radiology) or the lab's comment, sealed.
    report_sealed bytea,
    abnormal boolean NOT NULL DEFAULT false,
    CONSTRAINT clinical_orders_closed_check CHECK (
        (status = 'ordered') = (closed_at IS NULL) AND (closed_at IS NULL) = (closed_by IS NULL)),
    CONSTRAINT clinical_orders_open_plain CHECK (
        status = 'resulted' OR (report_sealed IS NULL AND NOT abnormal)),
    -- For the attachments' link below: a file of an order is the order's patient's.
    CONSTRAINT clinical_orders_patient_key UNIQUE (id, patient_id)
);
CREATE INDEX clinical_orders_encounter_idx ON clinical_orders (encounter_id, ordered_at);
CREATE INDEX clinical_orders_patient_idx ON clinical_orders (patient_id, ordered_at DESC);

CREATE TABLE order_results (
    order_id uuid NOT NULL REFERENCES clinical_orders (id),
    position smallint NOT NULL CHECK (position >= 0),
    analyte text NOT NULL CHECK (analyte ~ '^[a-z0-9-]{1,40}$'),
    -- The number of decimals `value`, `ref_low` and `ref_high` are counted in.
    decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 3),
    value integer NOT NULL CHECK (value >= 0),
    unit text NOT NULL CHECK (unit <> ''),
    ref_low integer,
    ref_high integer,
    flag text NOT NULL CHECK (flag IN ('low', 'normal', 'high')),
    PRIMARY KEY (order_id, position),
    CONSTRAINT order_results_analyte_key UNIQUE (order_id, analyte),
    CONSTRAINT order_results_range_check CHECK (ref_low IS NULL OR ref_high IS NULL
        OR ref_low <= ref_high),
    CONSTRAINT order_results_flag_matches CHECK (flag = CASE
        WHEN ref_low IS NOT NULL AND value < ref_low THEN 'low'
        WHEN ref_high IS NOT NULL AND value > ref_high THEN 'high'
        ELSE 'normal' END)
);

-- A sealed value may change only by being sealed again under another key (rotation), so a
-- closed order's report cannot be rewritten under the same key.
CREATE FUNCTION sealed_resealed(old bytea, new bytea) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT old IS NOT DISTINCT FROM new
        OR (old IS NOT NULL AND new IS NOT NULL AND sealed_key_id(new) <> sealed_key_id(old))
$$;

CREATE FUNCTION clinical_order_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF to_jsonb(NEW) - 'indication_sealed' - 'report_sealed'
             = to_jsonb(OLD) - 'indication_sealed' - 'report_sealed'
           AND sealed_resealed(OLD.indication_sealed, NEW.indication_sealed)
           AND sealed_resealed(OLD.report_sealed, NEW.report_sealed) THEN
            RETURN NEW;
        END IF;
        -- Closing: only the status and what comes with it change, once.
        IF OLD.status = 'ordered' AND NEW.status <> 'ordered'
           AND to_jsonb(NEW) - 'status' - 'closed_at' - 'closed_by' - 'report_sealed' - 'abnormal'
             = to_jsonb(OLD) - 'status' - 'closed_at' - 'closed_by' - 'report_sealed' - 'abnormal'
        THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'order % cannot be changed this way', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'order_final';
END $$;
CREATE TRIGGER clinical_orders_rules BEFORE UPDATE OR DELETE ON clinical_orders
    FOR EACH ROW EXECUTE FUNCTION clinical_order_rules();

-- Values are written in the transaction that closes the order, before it closes; after that,
-- and for a cancelled order, none can be added, changed or removed.
CREATE FUNCTION order_result_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND EXISTS (
        SELECT 1 FROM clinical_orders WHERE id = NEW.order_id AND status = 'ordered') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the results of order % are final', COALESCE(NEW.order_id, OLD.order_id)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'order_final';
END $$;
CREATE TRIGGER order_results_rules BEFORE INSERT OR UPDATE OR DELETE ON order_results
    FOR EACH ROW EXECUTE FUNCTION order_result_rules();

CREATE TRIGGER clinical_orders_no_truncate BEFORE TRUNCATE ON clinical_orders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER order_results_no_truncate BEFORE TRUNCATE ON order_results
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

-- A file may belong to an order (the lab's PDF, the images of a study); it is then the
-- order's patient's. Adding the column fires no row trigger, so the files kept are untouched.
ALTER TABLE attachments ADD COLUMN order_id uuid;
ALTER TABLE attachments ADD CONSTRAINT attachments_order_fkey
    FOREIGN KEY (order_id, patient_id) REFERENCES clinical_orders (id, patient_id);
CREATE INDEX attachments_order_idx ON attachments (order_id) WHERE order_id IS NOT NULL;

-- A problem resolves and a medication stops: the row stays, with who ended it and when.
ALTER TABLE problems ADD COLUMN resolved_at timestamptz, ADD COLUMN resolved_by uuid REFERENCES users (id);
ALTER TABLE problems ADD CONSTRAINT problems_resolved_check CHECK (
    (status = 'resolved') = (resolved_at IS NOT NULL) AND (resolved_at IS NULL) = (resolved_by IS NULL));
ALTER TABLE medications ADD COLUMN stopped_at timestamptz, ADD COLUMN stopped_by uuid REFERENCES users (id);
ALTER TABLE medications ADD CONSTRAINT medications_stopped_check CHECK (
    (status = 'stopped') = (stopped_at IS NOT NULL) AND (stopped_at IS NULL) = (stopped_by IS NULL));
