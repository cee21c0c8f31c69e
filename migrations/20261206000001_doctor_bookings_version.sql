-- A number per doctor that moves whenever a change could free or take one of their times: a
-- booking made, moved, cancelled or deleted. A copy of a doctor's bookings kept between
-- requests is then checked with one primary-key read instead of reading the bookings again.
-- Status changes that keep a visit on the books (check-in, completed, no-show) leave it alone.
CREATE TABLE doctor_bookings_version (
    doctor_id uuid PRIMARY KEY REFERENCES doctor_profiles (user_id) ON DELETE CASCADE,
    version   bigint NOT NULL
);

INSERT INTO doctor_bookings_version (doctor_id, version)
SELECT DISTINCT doctor_id, 1 FROM appointments;

-- Rows are taken in doctor order so two statements touching the same doctors lock them in the
-- same order.
CREATE FUNCTION doctor_bookings_touch(doctors uuid[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO doctor_bookings_version AS v (doctor_id, version)
    SELECT d, 1 FROM (SELECT DISTINCT unnest(doctors) AS d) s ORDER BY d
    ON CONFLICT (doctor_id) DO UPDATE SET version = v.version + 1;
$$;

CREATE FUNCTION doctor_bookings_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM doctor_bookings_touch(ARRAY(SELECT doctor_id FROM new_rows WHERE status <> 'cancelled'));
    RETURN NULL;
END $$;

CREATE FUNCTION doctor_bookings_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM doctor_bookings_touch(ARRAY(SELECT doctor_id FROM old_rows WHERE status <> 'cancelled'));
    RETURN NULL;
END $$;

CREATE FUNCTION doctor_bookings_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM doctor_bookings_touch(ARRAY(
        SELECT unnest(ARRAY[o.doctor_id, n.doctor_id])
        FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.doctor_id <> n.doctor_id
           OR o.blocked <> n.blocked
           OR (o.status = 'cancelled') <> (n.status = 'cancelled')));
    RETURN NULL;
END $$;

CREATE TRIGGER doctor_bookings_on_insert AFTER INSERT ON appointments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_bookings_inserted();
CREATE TRIGGER doctor_bookings_on_delete AFTER DELETE ON appointments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_bookings_deleted();
CREATE TRIGGER doctor_bookings_on_update AFTER UPDATE ON appointments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_bookings_updated();
