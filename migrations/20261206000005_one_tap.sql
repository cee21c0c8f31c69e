-- One-tap answers from a message: "I will come" and "cancel my visit" without logging in. A
-- token names one appointment, one action and the person it was sent to; its link carries the
-- row's id and an HMAC of it (the server's index key), so a link cannot be made up, and the row
-- says whether it was used and until when it works.
CREATE TABLE one_tap_tokens (
    id              uuid PRIMARY KEY,
    appointment_id  uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id),
    action          text NOT NULL CONSTRAINT one_tap_tokens_action CHECK (action IN ('confirm', 'cancel')),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX one_tap_tokens_appointment ON one_tap_tokens (appointment_id);

-- The patient said they will come (a one-tap link or a WhatsApp button); the desk's day list shows it.
ALTER TABLE appointments ADD COLUMN attendance_confirmed_at timestamptz;
