# What a patient (or their guardian) is sent about a visit, on every channel.
notify-greeting = Hello { $name },
notify-booked-subject = Appointment confirmed at { $clinic }
notify-booked-body = { $patient }'s appointment with Dr. { $doctor } at { $clinic } is booked for { $date } ({ $hijri }) at { $time }.
notify-rescheduled-subject = Appointment moved at { $clinic }
notify-rescheduled-body = { $patient }'s appointment with Dr. { $doctor } at { $clinic } has moved to { $date } ({ $hijri }) at { $time }.
notify-cancelled-subject = Appointment cancelled at { $clinic }
notify-cancelled-body = { $patient }'s appointment with Dr. { $doctor } at { $clinic } on { $date } ({ $hijri }) at { $time } is cancelled.
notify-reminder-subject = Reminder: appointment at { $clinic }
notify-reminder-body = A reminder of { $patient }'s appointment with Dr. { $doctor } at { $clinic } on { $date } ({ $hijri }) at { $time }.
notify-waitlist_offer-subject = A time from the waiting list at { $clinic }
notify-waitlist_offer-body = A time is free for { $patient } with Dr. { $doctor } at { $clinic } on { $date } ({ $hijri }) at { $time }. It is held for you until { $until }; confirm before then or it goes to the next person waiting.
notify-link = Appointment details: { $link }
notify-calendar-file = The appointment is attached as a calendar file (.ics) to add to your calendar.
notify-signature = { $clinic } — via Mu'een
notify-confirm-link = I will come (one tap): { $link }
notify-cancel-link = Cancel the appointment: { $link }

# The page a one-tap link opens.
tap-title-confirm = Confirm attendance
tap-title-cancel = Cancel the appointment
tap-confirm-lead = Press the button to confirm that you will come to this appointment.
tap-cancel-lead = Press the button to cancel this appointment; its time will be offered to others.
tap-confirm-button = I will come
tap-cancel-button = Cancel the appointment
tap-used = This link has already been used.
tap-expired = This link has expired.
tap-now-confirmed = Your attendance at this appointment is confirmed. Thank you.
tap-now-cancelled = This appointment is cancelled.
tap-done-confirm = Thank you — we have noted that you will come.
tap-done-cancel = The appointment is cancelled.
