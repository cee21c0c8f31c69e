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
