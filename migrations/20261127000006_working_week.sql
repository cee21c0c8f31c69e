-- Each branch's working week (0 = Sunday … 6 = Saturday). Sunday–Thursday unless a branch
-- already has doctors' hours on other days: those days open too, so no stored hours stop
-- offering slots because of this migration.
ALTER TABLE clinics ADD COLUMN working_days smallint[] NOT NULL DEFAULT '{0,1,2,3,4}'
    CONSTRAINT clinics_working_days_valid
        CHECK (cardinality(working_days) > 0 AND working_days <@ '{0,1,2,3,4,5,6}');

UPDATE clinics c
SET working_days = (
    SELECT array_agg(d ORDER BY d)
    FROM (SELECT unnest('{0,1,2,3,4}'::smallint[]) AS d
          UNION
          SELECT w.weekday FROM working_hours w WHERE w.clinic_id = c.id) days
)
WHERE EXISTS (SELECT 1 FROM working_hours w WHERE w.clinic_id = c.id AND w.weekday IN (5, 6));
