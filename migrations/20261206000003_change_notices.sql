-- The servers keep rendered public pages (home, the doctor search, a doctor's calendar) while
-- the data behind them stands. A notice sent on commit tells every server at once that a
-- schedule or a doctor's bookings moved, so a kept page need not be checked against the
-- database on every request. The notice carries no data: the table that moved, for logs.
CREATE FUNCTION public_pages_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mueen_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- Bookings: `doctor_bookings_touch` runs for every statement on appointments, with no rows when
-- nothing that frees or takes a time changed (a check-in, say); only rows written count.
CREATE FUNCTION public_pages_changed_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        PERFORM pg_notify('mueen_changes', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER schedule_version_notice AFTER UPDATE ON schedule_version
    FOR EACH STATEMENT EXECUTE FUNCTION public_pages_changed();
CREATE TRIGGER doctor_bookings_version_inserted_notice AFTER INSERT ON doctor_bookings_version
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_pages_changed_rows();
CREATE TRIGGER doctor_bookings_version_updated_notice AFTER UPDATE ON doctor_bookings_version
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_pages_changed_rows();
CREATE TRIGGER doctor_bookings_version_deleted_notice AFTER DELETE ON doctor_bookings_version
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public_pages_changed_rows();
