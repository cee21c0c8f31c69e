nav-doctors = Doctors
nav-book = Book a visit
nav-my-appointments = My appointments

book-find-title = Find a doctor
book-search-placeholder = Doctor's name
book-any-specialty = All specialties
book-doctor-sex = Doctor's sex
book-any-sex = Any doctor
book-female-doctor = Female doctor
book-male-doctor = Male doctor
book-search = Search
book-no-doctors = No doctors match your search.
book-doctor-title = Dr. { $name }
book-next-available = Next available:
book-no-slot-soon = Nothing free soon
book-visit-type = Visit type
book-minutes = { $n } min
book-choose-day = Choose a day
book-choose-time = Choose a time
book-no-slots = No free times on this day.
book-confirm-title = Confirm your booking
book-doctor = Doctor
book-when = When
book-price = Price
book-clinic = Clinic
book-reason = Reason for the visit
book-note = Note for the doctor (optional)
book-confirm = Confirm booking
book-alternatives = The nearest free times:

appt-mine-title = My appointments
appt-upcoming = Upcoming
appt-past = Past and cancelled
appt-none = No appointments.
appt-detail-title = Appointment details
appt-booked = Your appointment is booked.
appt-status = Status
appt-add-to-calendar = Add to calendar (.ics)
appt-reschedule = Change the time
appt-cancel-reason = Reason for cancelling
appt-cancel = Cancel appointment
appt-check-in = Check in
appt-start = Start consultation
appt-complete = Complete
appt-no-show = No-show
appt-status-booked = Booked
appt-status-checked-in = Checked in
appt-status-in-consultation = In consultation
appt-status-completed = Completed
appt-status-no-show = No-show
appt-status-cancelled = Cancelled
appt-attendance-confirmed = Confirmed attending

staff-day-title = Appointments
staff-prev-day = Previous day
staff-today = Today
staff-next-day = Next day
staff-day-empty = No appointments on this day.

common-price = SAR { $amount }

err-search-too-long = The search text is too long.
err-text-too-long = The text is too long.
err-text-control = The text contains characters that are not allowed.
err-cancel-reason-required = Please give a reason for cancelling.
err-slot-taken = This time was just taken. Please choose another.
err-slot-unavailable = This time cannot be booked.
err-visit-type-invalid = This visit type is not offered by this doctor.
err-too-many-bookings = You already have the most upcoming appointments allowed. Cancel one or wait until it has passed.
err-patient-overlap = You already have another appointment at this time.
err-cancel-too-late = It is too late to cancel or change this appointment online. Please call the clinic.
err-tap-used = This link has already been used.
err-tap-expired = This link has expired.
err-tap-not-booked = This appointment is no longer booked (it was cancelled or has begun), so the link cannot confirm or cancel it.
err-appt-no-show-too-early = A no-show can only be recorded after the appointment time.
err-appt-illegal-transition = This cannot be done to the appointment in its current state.
err-days-range = The number of days must be between 1 and 31.

nav-reception = Reception
desk-title = Reception desk
desk-search-placeholder = Patient's name, mobile or ID number
desk-no-patients = No patient matches. Register them as a walk-in below.
desk-book-for = Book for this patient
desk-walk-in = Register a walk-in
desk-register-and-book = Register and book
desk-booking-for = Booking for: { $name }
staff-week = Week
staff-week-count = { $n ->
    [one] One appointment this week
   *[other] { $n } appointments this week
}
staff-prev-week = Previous week
staff-this-week = This week
staff-next-week = Next week
staff-week-free = No appointments
book-speaks = Languages: { $languages }
