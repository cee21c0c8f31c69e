nav-setup = Clinic setup
setup-title = Clinic setup
setup-rules = Booking rules
setup-timezone = Time zone
setup-horizon = How far ahead patients may book (days)
setup-notice = Minimum notice before a visit (minutes)
setup-cutoff = Cancel or reschedule up to (minutes before)
setup-max-active = Most upcoming appointments per patient
setup-hold = Waitlist hold (minutes)
setup-save = Save
setup-saved = Changes saved.
setup-visit-types = Visit types and prices
setup-add-visit-type = Add a visit type
setup-name-ar = Name in Arabic
setup-name-en = Name in English
setup-duration = Length (minutes)
setup-price = Price (SAR)
setup-buffer-before = Preparation before (minutes)
setup-buffer-after = Time after (minutes)
setup-holidays = Holidays and closures
setup-leave = Doctor's leave
setup-no-closures = No upcoming closures.
setup-add-closure = Add a closure
setup-reason-ar = Reason in Arabic
setup-reason-en = Reason in English
setup-remove = Remove
setup-closure-booked = { $n ->
    [one] One booked visit falls on these days. It was not cancelled; contact the patient.
   *[other] { $n } booked visits fall on these days. They were not cancelled; contact the patients.
}
setup-doctors = Doctors' schedules
setup-edit-schedule = Edit schedule
setup-schedule = Doctor's schedule
setup-schedule-of = Schedule of Dr. { $name }
setup-offered = Visit types offered
setup-offered-yes = Offered
setup-offered-no = Not offered
setup-hours = Weekly hours
setup-hours-regular = Every week
setup-hours-override = Only { $from } to { $until }
setup-add-hours = Add working hours
setup-weekday = Day
setup-starts = From
setup-ends = Until
setup-valid-from = Valid from (optional)
setup-valid-until = Valid until (optional)
setup-valid-hint = For temporary hours such as Ramadan: they replace the usual week on those days.
err-number-required = Enter a number.
err-text-required = This field is required.
err-timezone-invalid = Unknown time zone; for example Asia/Riyadh.
err-horizon-range = Between 1 and 365 days.
err-minutes-week-range = Between 0 and 10080 minutes (a week).
err-max-active-range = Between 1 and 50.
err-hold-range = Between 5 and 1440 minutes.
err-duration-range = Between 5 and 480 minutes.
err-buffer-range = Between 0 and 120 minutes.
err-price-required = The price is required.
err-price-invalid = Enter the price in riyals, such as 150 or 150.50.
err-weekday-invalid = Choose a day of the week.
err-time-required = The time is required.
err-time-invalid = That time is not valid.
err-ends-before-starts = The end must be after the start.
err-until-before-from = The end date is before the start date.
err-closure-too-long = A closure can last at most a year.
err-hours-overlap = These hours overlap other hours on the same day.
setup-details = Clinic details
setup-address-ar = Address in Arabic
setup-address-en = Address in English
setup-clinic-phone = Clinic phone
setup-profile = Doctor's profile
setup-languages = Languages spoken
setup-bio-ar = Short bio in Arabic
setup-bio-en = Short bio in English
language-ar = Arabic
language-en = English
language-ur = Urdu
language-hi = Hindi
language-tl = Filipino
err-clinic-phone-invalid = Enter a valid phone number, such as 0112345678 or 920001234.
err-languages-invalid = Choose at least one language.
setup-week = Working week
setup-week-hint = The days this branch opens. Doctors' hours on a closed day are kept but not offered for booking.
setup-week-stranded = { $n ->
    [one] One booked visit falls on a day that is now closed. It was not cancelled; contact the patient.
   *[other] { $n } booked visits fall on days that are now closed. They were not cancelled; contact the patients.
}
setup-hours-closed-day = The branch is closed on this day: these hours are not offered for booking.
err-week-empty = Choose at least one day.
err-hours-closed-day = The branch is closed on this day. Open it first under the working week in clinic setup.
setup-specialties = Specialties
setup-add-specialty = Add a specialty
err-specialty-taken = A specialty with this name already exists.
err-specialty-unknown = Choose a specialty from the list.
setup-hours-booked = { $n ->
    [one] One booked visit to come fell in these hours. It was not cancelled; contact the patient.
   *[other] { $n } booked visits to come fell in these hours. They were not cancelled; contact the patients.
}
