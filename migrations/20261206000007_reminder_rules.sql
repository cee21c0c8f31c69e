-- Reminder rules per branch: how long before a visit each reminder goes (up to three, from one
-- hour to a week), and quiet hours in the branch's local time when no reminder is sent (they
-- may cross midnight: 22:00 to 07:00). Existing branches keep 24 hours and 2 hours, no quiet
-- hours, which is what every branch had before.

ALTER TABLE clinics
    ADD COLUMN reminder_lead_minutes integer[] NOT NULL DEFAULT '{1440,120}',
    ADD COLUMN quiet_from time,
    ADD COLUMN quiet_until time,
    ADD CONSTRAINT clinics_reminder_leads CHECK (
        cardinality(reminder_lead_minutes) <= 3
        AND array_position(reminder_lead_minutes, NULL) IS NULL
        AND 60 <= ALL (reminder_lead_minutes)
        AND 10080 >= ALL (reminder_lead_minutes)
    ),
    ADD CONSTRAINT clinics_quiet_hours CHECK (
        (quiet_from IS NULL AND quiet_until IS NULL)
        OR (quiet_from IS NOT NULL AND quiet_until IS NOT NULL AND quiet_from <> quiet_until)
    );
