-- The working day and week read the visits overlapping a few days: a doctor's own, or every
-- doctor's for the desk. The exclusion constraint's index covers only visits not cancelled,
-- which these lists still show, so with 1,000,000 visits each list was a full scan
-- (160 ms, measured on the pages benchmark's data set).
CREATE INDEX appointments_doctor_during ON appointments USING gist (doctor_id, during);
CREATE INDEX appointments_during ON appointments USING gist (during);
