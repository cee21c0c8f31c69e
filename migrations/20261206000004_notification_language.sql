-- The language a recipient's messages are written in; a recipient who never chose gets Arabic.
ALTER TABLE notification_preferences
    ADD COLUMN language text NOT NULL DEFAULT 'ar'
        CONSTRAINT notification_preferences_language CHECK (language IN ('ar', 'en'));
