-- A provider's delivery reports (WhatsApp's webhook) name the message by the provider's id.
CREATE INDEX notification_messages_provider ON notification_messages (channel, provider_id)
    WHERE provider_id IS NOT NULL;

-- What an SMS cost in segments (70 UCS-2 / 160 GSM characters each), for the admins' view.
ALTER TABLE notification_messages ADD COLUMN sms_segments integer CHECK (sms_segments > 0);
