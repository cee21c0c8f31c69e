-- Each server keeps, for a few seconds, which user a logged-in device belongs to, so a page
-- need not ask the database who is calling every time. A notice sent on commit tells every
-- server at once when that answer may have changed: a device's session ended (log-out, a
-- password change, "end my other sessions"), or an account was deactivated, deleted, or had
-- its role or name changed. Only those changes notify: a session's `last_seen`, written as a
-- user moves around, does not. The notice carries no data.
CREATE FUNCTION accounts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mueen_accounts', TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER user_sessions_ended_notice AFTER UPDATE ON user_sessions
    FOR EACH ROW WHEN (OLD.ended_at IS DISTINCT FROM NEW.ended_at
                       OR OLD.user_id IS DISTINCT FROM NEW.user_id
                       OR OLD.session_id IS DISTINCT FROM NEW.session_id)
    EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER user_sessions_deleted_notice AFTER DELETE ON user_sessions
    FOR EACH ROW EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER users_changed_notice AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active
                       OR OLD.role IS DISTINCT FROM NEW.role
                       OR OLD.first_name IS DISTINCT FROM NEW.first_name
                       OR OLD.family_name IS DISTINCT FROM NEW.family_name
                       OR OLD.latin_name IS DISTINCT FROM NEW.latin_name
                       OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER users_deleted_notice AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION accounts_changed();
