-- A waitlist offer is a tentative appointment: it holds the time under the same exclusion
-- constraints as a booking, so "nobody else can book it" needs no second mechanism.
-- Its own migration because a new enum value cannot be used in the transaction that adds it.
ALTER TYPE appointment_status ADD VALUE IF NOT EXISTS 'held' BEFORE 'booked';
