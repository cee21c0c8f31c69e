-- The national ID at rest: sealed by the application (AES-256-GCM, the user's row as
-- associated data), found and kept unique by its blind index (HMAC-SHA256 under a key the
-- database never sees), and its last four digits in the clear for the masked display
-- (••••••1234) that confirms whom a record belongs to. Rows written before this migration
-- keep the plaintext column until the server seals them at start-up; a row holds one form or
-- the other, never both.

ALTER TABLE users ALTER COLUMN national_id DROP NOT NULL;
ALTER TABLE users ADD COLUMN national_id_index bytea;
ALTER TABLE users ADD COLUMN national_id_sealed bytea;
ALTER TABLE users ADD COLUMN national_id_last4 text;
ALTER TABLE users ADD CONSTRAINT users_national_id_index_key UNIQUE (national_id_index);
ALTER TABLE users ADD CONSTRAINT users_national_id_one_form CHECK (
    (national_id IS NOT NULL AND national_id_index IS NULL AND national_id_sealed IS NULL
        AND national_id_last4 IS NULL)
    OR (national_id IS NULL AND national_id_index IS NOT NULL AND national_id_sealed IS NOT NULL
        AND national_id_last4 ~ '^[0-9]{4}$'));
CREATE INDEX users_national_id_unsealed ON users (id) WHERE national_id IS NOT NULL;
