-- The Saudi clinic year. Holidays by rule: each branch has Eid al-Fitr, Eid al-Adha, Founding
-- Day and National Day, each on or off with its length; the Gregorian days come from the Umm
-- al-Qura calendar in the app (`clinic::domain::holidays`) and are kept as closure rows marked
-- with their holiday and year, so every reader of closures (slots, booking, waitlist, search)
-- already honours them. An Eid can be moved a day or two for one year when the moon's sighting
-- differs from the calendar. Ramadan hours: weekly intervals per doctor, or per branch as the
-- default, used on the days of Ramadan every year; they may cross midnight.

CREATE TABLE branch_holidays (
    clinic_id   uuid NOT NULL REFERENCES clinics (id),
    kind        text NOT NULL
                CHECK (kind IN ('eid_fitr', 'eid_adha', 'founding_day', 'national_day')),
    enabled     boolean NOT NULL,
    days        smallint NOT NULL CHECK (days BETWEEN 1 AND 10),
    fitr_start  text NOT NULL DEFAULT 'after_ramadan_29'
                CHECK (fitr_start IN ('ramadan_29', 'after_ramadan_29', 'shawwal_1')),
    PRIMARY KEY (clinic_id, kind)
);

CREATE TABLE holiday_shifts (
    clinic_id   uuid NOT NULL REFERENCES clinics (id),
    kind        text NOT NULL CHECK (kind IN ('eid_fitr', 'eid_adha')),
    hijri_year  integer NOT NULL CHECK (hijri_year BETWEEN 1400 AND 1600),
    days        smallint NOT NULL CHECK (days BETWEEN -2 AND 2 AND days <> 0),
    PRIMARY KEY (clinic_id, kind, hijri_year)
);

-- The private-sector set for every branch, now and whenever one is opened.
CREATE FUNCTION branch_holidays_standard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO branch_holidays (clinic_id, kind, enabled, days)
    VALUES (NEW.id, 'eid_fitr', true, 4), (NEW.id, 'eid_adha', true, 4),
           (NEW.id, 'founding_day', true, 1), (NEW.id, 'national_day', true, 1);
    RETURN NULL;
END;
$$;
CREATE TRIGGER branch_holidays_standard AFTER INSERT ON clinics
    FOR EACH ROW EXECUTE FUNCTION branch_holidays_standard();
INSERT INTO branch_holidays (clinic_id, kind, enabled, days)
SELECT c.id, k.kind, true, k.days
FROM clinics c,
     (VALUES ('eid_fitr', 4), ('eid_adha', 4), ('founding_day', 1), ('national_day', 1)) k (kind, days);

ALTER TABLE closures
    ADD COLUMN holiday_kind text,
    ADD COLUMN holiday_year integer,
    ADD CONSTRAINT closures_holiday_kind
        CHECK (holiday_kind IN ('eid_fitr', 'eid_adha', 'founding_day', 'national_day')),
    ADD CONSTRAINT closures_holiday_whole
        CHECK ((holiday_kind IS NULL) = (holiday_year IS NULL)
               AND (holiday_kind IS NULL OR doctor_id IS NULL));
CREATE UNIQUE INDEX closures_holiday_once ON closures (clinic_id, holiday_kind, holiday_year)
    WHERE holiday_kind IS NOT NULL;

-- The Gregorian one-day holidays typed in before (the demo's) are now given by the rules.
DELETE FROM closures
WHERE doctor_id IS NULL AND starts_on = ends_on
  AND ((extract(month FROM starts_on) = 2 AND extract(day FROM starts_on) = 22)
       OR (extract(month FROM starts_on) = 9 AND extract(day FROM starts_on) = 23));

CREATE TABLE ramadan_hours (
    id          uuid PRIMARY KEY,
    clinic_id   uuid NOT NULL REFERENCES clinics (id),
    -- NULL: the branch's default, for doctors without Ramadan hours of their own.
    doctor_id   uuid REFERENCES doctor_profiles (user_id),
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    starts_at   time NOT NULL,
    -- Before starts_at: the interval ends after midnight (21:00 to 01:00).
    ends_at     time NOT NULL,
    CHECK (starts_at <> ends_at),
    CONSTRAINT ramadan_hours_doctor_clinic
        FOREIGN KEY (doctor_id, clinic_id) REFERENCES doctor_clinics (doctor_id, clinic_id)
);
CREATE INDEX ramadan_hours_clinic ON ramadan_hours (clinic_id, doctor_id);

CREATE TRIGGER schedule_version_ramadan_hours AFTER INSERT OR UPDATE OR DELETE ON ramadan_hours
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();
CREATE TRIGGER schedule_version_branch_holidays AFTER INSERT OR UPDATE OR DELETE ON branch_holidays
    FOR EACH STATEMENT EXECUTE FUNCTION schedule_version_bump();

-- Prayer breaks (optional per branch): where the branch is, for the prayer times, which
-- prayers it pauses for, and for how long from the call to prayer.
ALTER TABLE clinics
    ADD COLUMN latitude double precision,
    ADD COLUMN longitude double precision,
    ADD COLUMN prayer_breaks text[] NOT NULL DEFAULT '{}',
    ADD COLUMN prayer_break_minutes smallint NOT NULL DEFAULT 20,
    ADD CONSTRAINT clinics_location CHECK (
        (latitude IS NULL) = (longitude IS NULL)
        AND (latitude IS NULL OR (latitude BETWEEN -60 AND 60 AND longitude BETWEEN -180 AND 180))
    ),
    ADD CONSTRAINT clinics_prayer_breaks CHECK (
        prayer_breaks <@ ARRAY['dhuhr', 'asr', 'maghrib', 'isha', 'jumuah']
        AND (cardinality(prayer_breaks) = 0 OR latitude IS NOT NULL)
    ),
    ADD CONSTRAINT clinics_prayer_break_minutes CHECK (prayer_break_minutes BETWEEN 5 AND 60);
