-- One row per logged-in device, for "my sessions" and for ending a user's other sessions
-- (password change, role change, deactivation, "log out other sessions"): a session whose row
-- has ended is refused on its next request. The session store's own table holds only a blob.
CREATE TABLE user_sessions (
    session_id  text PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent  text NOT NULL DEFAULT '',
    ip          inet,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz
);
CREATE INDEX user_sessions_user ON user_sessions (user_id, last_seen DESC) WHERE ended_at IS NULL;

-- Registration attempts per address share the attempts table; the log-in limits per address
-- count only log-in failures, so they skip these rows.
CREATE INDEX login_attempts_identifier_ip_at ON login_attempts (identifier, ip, at DESC);

-- The audit log becomes a hash chain: each row stores the hash of the row before it and the
-- hash of that plus its own content. Editing, deleting or inserting a row in the middle breaks
-- the chain from there on, which `server verify-audit` reports. A row joins the chain when its
-- transaction commits (a deferred trigger), so the lock that orders the chain is held for the
-- moment of the commit only, never while the transaction waits on anything else; `seq` is the
-- row's place in the chain.
ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN row_hash bytea;

-- The row's content as one canonical text: jsonb renders keys, numbers and strings one way
-- only, and the timestamp is spelled out in UTC so no session setting changes it.
CREATE FUNCTION audit_row_content(a audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(
        a.id,
        to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        a.actor_id, a.actor_role, a.action, a.subject_type, a.subject_id,
        a.ip::text, a.outcome, a.details
    )::text
$$;

-- The end of the chain. Every sealing locks this one row, so concurrent commits queue and the
-- chain cannot fork.
CREATE TABLE audit_chain_head (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq   bigint NOT NULL,
    last_hash  bytea NOT NULL
);

-- Rows written before the chain existed join it in id order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only_rows;
DO $$
DECLARE
    r audit_log;
    h bytea := decode(repeat('00', 32), 'hex');
    n bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        UPDATE audit_log
           SET seq = n, prev_hash = h,
               row_hash = sha256(h || convert_to(audit_row_content(r), 'UTF8'))
         WHERE id = r.id
        RETURNING row_hash INTO h;
    END LOOP;
    INSERT INTO audit_chain_head (last_seq, last_hash) VALUES (n, h);
END
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only_rows;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);

-- Rows stay append-only; the one change allowed is sealing, from inside the sealing trigger:
-- the chain columns go from empty to set, and nothing else moves.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
       AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (OLD.id, OLD.at, OLD.actor_id, OLD.actor_role, OLD.action, OLD.subject_type,
            OLD.subject_id, OLD.ip, OLD.outcome, OLD.details)
           IS NOT DISTINCT FROM
           (NEW.id, NEW.at, NEW.actor_id, NEW.actor_role, NEW.action, NEW.subject_type,
            NEW.subject_id, NEW.ip, NEW.outcome, NEW.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- SECURITY DEFINER: the app's role appends audit rows but may neither update them nor move
-- the chain's head; the seal does both as the owner.
CREATE FUNCTION audit_log_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head;
    h bytea;
BEGIN
    SELECT * INTO head FROM audit_chain_head FOR UPDATE;
    h := sha256(head.last_hash || convert_to(audit_row_content(NEW), 'UTF8'));
    UPDATE audit_log SET seq = head.last_seq + 1, prev_hash = head.last_hash, row_hash = h
     WHERE id = NEW.id;
    UPDATE audit_chain_head SET last_seq = head.last_seq + 1, last_hash = h;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_log_seal
    AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
