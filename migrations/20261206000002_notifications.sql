-- Notifications: every message a patient (or their guardian) is sent is one row, planned from
-- the booking outbox (appointment_events) in the same transaction that marks the event
-- published, and sent by workers that claim due rows with FOR UPDATE SKIP LOCKED. The row is
-- both the queue and the record admins read.

CREATE TYPE message_status AS ENUM
    ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped');

CREATE TABLE notification_messages (
    id               uuid PRIMARY KEY,
    -- (event or reminder, channel, recipient): planning the same thing twice adds nothing,
    -- and providers that take an idempotency key are given this one.
    idempotency_key  text NOT NULL,
    appointment_id   uuid NOT NULL REFERENCES appointments (id),
    recipient_id     uuid NOT NULL REFERENCES users (id),
    kind             text NOT NULL,
    channel          text NOT NULL,
    -- What the text is made from (times, names, the hold's deadline), as planned.
    params           jsonb NOT NULL DEFAULT '{}'::jsonb,
    status           message_status NOT NULL DEFAULT 'queued',
    due_at           timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- A worker that claimed the row and died leaves it claimed until then.
    lease_until      timestamptz,
    last_error       text,
    provider_id      text,
    sent_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_messages_key UNIQUE (idempotency_key)
);
CREATE INDEX notification_messages_due ON notification_messages (due_at)
    WHERE status IN ('queued', 'sending');
CREATE INDEX notification_messages_appointment ON notification_messages (appointment_id);
CREATE INDEX notification_messages_recent ON notification_messages (created_at DESC);

-- What a patient agreed to be sent. No row: every channel the clinic runs, reminders on.
-- Messages about a change the clinic made (a cancellation) are sent even with reminders off.
CREATE TABLE notification_preferences (
    user_id     uuid PRIMARY KEY REFERENCES users (id),
    channels    text[] NOT NULL,
    reminders   boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_preferences_channels
        CHECK (channels <@ ARRAY['log', 'email', 'sms', 'whatsapp'])
);
