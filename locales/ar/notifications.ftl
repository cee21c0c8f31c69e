# What a patient (or their guardian) is sent about a visit, on every channel.
notify-greeting = مرحبًا { $name }،
notify-booked-subject = تأكيد موعد في { $clinic }
notify-booked-body = تم حجز موعد { $patient } مع د. { $doctor } في { $clinic } يوم { $date } ({ $hijri }) الساعة { $time }.
notify-rescheduled-subject = تغيّر موعد في { $clinic }
notify-rescheduled-body = نُقل موعد { $patient } مع د. { $doctor } في { $clinic } إلى يوم { $date } ({ $hijri }) الساعة { $time }.
notify-cancelled-subject = إلغاء موعد في { $clinic }
notify-cancelled-body = أُلغي موعد { $patient } مع د. { $doctor } في { $clinic } يوم { $date } ({ $hijri }) الساعة { $time }.
notify-reminder-subject = تذكير بموعد في { $clinic }
notify-reminder-body = نذكّركم بموعد { $patient } مع د. { $doctor } في { $clinic } يوم { $date } ({ $hijri }) الساعة { $time }.
notify-waitlist_offer-subject = موعد متاح من قائمة الانتظار في { $clinic }
notify-waitlist_offer-body = توفّر موعد لـ { $patient } مع د. { $doctor } في { $clinic } يوم { $date } ({ $hijri }) الساعة { $time }. نحجزه لكم حتى الساعة { $until }؛ أكّدوه قبل ذلك وإلا عُرض على غيركم.
notify-link = تفاصيل الموعد: { $link }
notify-calendar-file = الموعد مرفق بملف تقويم (.ics) لإضافته إلى تقويمكم.
notify-signature = { $clinic } — عبر مُعين
notify-confirm-link = سأحضر (تأكيد بلمسة): { $link }
notify-cancel-link = إلغاء الموعد: { $link }

# The page a one-tap link opens.
tap-title-confirm = تأكيد الحضور
tap-title-cancel = إلغاء الموعد
tap-confirm-lead = اضغطوا الزر لتأكيد حضوركم لهذا الموعد.
tap-cancel-lead = اضغطوا الزر لإلغاء هذا الموعد؛ سيُعرض وقته على غيركم.
tap-confirm-button = سأحضر
tap-cancel-button = ألغِ الموعد
tap-used = استُخدم هذا الرابط من قبل.
tap-expired = انتهت صلاحية هذا الرابط.
tap-now-confirmed = حضوركم لهذا الموعد مؤكَّد. شكرًا لكم.
tap-now-cancelled = هذا الموعد ملغى.
tap-done-confirm = شكرًا، سجّلنا أنكم ستحضرون.
tap-done-cancel = أُلغي الموعد.
