nav-doctors = الأطباء
nav-book = احجز موعداً
nav-my-appointments = مواعيدي

book-find-title = ابحث عن طبيب
book-search-placeholder = اسم الطبيب
book-any-specialty = كل التخصصات
book-doctor-sex = جنس الطبيب
book-any-sex = طبيب أو طبيبة
book-female-doctor = طبيبة
book-male-doctor = طبيب
book-search = بحث
book-no-doctors = لا يوجد أطباء يطابقون بحثك.
book-doctor-title = د. { $name }
book-next-available = أقرب موعد:
book-no-slot-soon = لا مواعيد متاحة قريباً
book-visit-type = نوع الزيارة
book-minutes = { $n } دقيقة
book-choose-day = اختر اليوم
book-choose-time = اختر الوقت
book-no-slots = لا توجد مواعيد متاحة في هذا اليوم.
book-confirm-title = تأكيد الحجز
book-doctor = الطبيب
book-when = الموعد
book-price = السعر
book-clinic = العيادة
book-reason = سبب الزيارة
book-note = ملاحظة للطبيب (اختياري)
book-confirm = تأكيد الحجز
book-alternatives = أقرب المواعيد المتاحة:

appt-mine-title = مواعيدي
appt-upcoming = القادمة
appt-past = السابقة والملغاة
appt-none = لا توجد مواعيد.
appt-detail-title = تفاصيل الموعد
appt-booked = تم حجز موعدك.
appt-status = الحالة
appt-add-to-calendar = أضف إلى التقويم (.ics)
appt-reschedule = تغيير الموعد
appt-cancel-reason = سبب الإلغاء
appt-cancel = إلغاء الموعد
appt-check-in = تسجيل الحضور
appt-start = بدء الكشف
appt-complete = إنهاء الكشف
appt-no-show = لم يحضر
appt-status-booked = محجوز
appt-status-checked-in = حاضر
appt-status-in-consultation = في الكشف
appt-status-completed = مكتمل
appt-status-no-show = لم يحضر
appt-status-cancelled = ملغى
appt-attendance-confirmed = أكّد الحضور

staff-day-title = جدول المواعيد
staff-prev-day = اليوم السابق
staff-today = اليوم
staff-next-day = اليوم التالي
staff-day-empty = لا توجد مواعيد في هذا اليوم.

common-price = { $amount } ر.س

err-search-too-long = نص البحث طويل جداً.
err-text-too-long = النص طويل جداً.
err-text-control = النص يحوي رموزاً غير مسموح بها.
err-cancel-reason-required = اكتب سبب الإلغاء.
err-slot-taken = حُجز هذا الوقت للتو. اختر وقتاً آخر.
err-slot-unavailable = هذا الوقت غير متاح للحجز.
err-visit-type-invalid = نوع الزيارة غير متاح لدى هذا الطبيب.
err-too-many-bookings = لديك الحد الأقصى من المواعيد القادمة. ألغِ موعداً أو انتظر حتى ينقضي.
err-patient-overlap = لديك موعد آخر في هذا الوقت.
err-cancel-too-late = فات وقت الإلغاء أو التغيير لهذا الموعد. تواصل مع العيادة.
err-tap-used = استُخدم هذا الرابط من قبل.
err-tap-expired = انتهت صلاحية هذا الرابط.
err-tap-not-booked = هذا الموعد لم يعد محجوزًا (أُلغي أو بدأ)، فلا يمكن تأكيده أو إلغاؤه من الرابط.
err-appt-no-show-too-early = لا يمكن تسجيل عدم الحضور قبل وقت الموعد.
err-appt-illegal-transition = لا يمكن تنفيذ هذا الإجراء على الموعد في حالته الحالية.
err-days-range = عدد الأيام يجب أن يكون بين 1 و31.

nav-reception = الاستقبال
desk-title = مكتب الاستقبال
desk-search-placeholder = اسم المريض أو جواله أو رقم هويته
desk-no-patients = لا يوجد مريض بهذه البيانات. سجّله كمراجع جديد أدناه.
desk-book-for = احجز له
desk-walk-in = تسجيل مراجع جديد
desk-register-and-book = سجّل واحجز
desk-booking-for = الحجز للمريض: { $name }
staff-week = الأسبوع
staff-week-count = { $n ->
    [zero] لا مواعيد هذا الأسبوع
    [one] موعد واحد هذا الأسبوع
    [two] موعدان هذا الأسبوع
    [few] { $n } مواعيد هذا الأسبوع
   *[other] { $n } موعداً هذا الأسبوع
}
staff-prev-week = الأسبوع السابق
staff-this-week = هذا الأسبوع
staff-next-week = الأسبوع التالي
staff-week-free = لا مواعيد
book-speaks = اللغات: { $languages }
book-more-days = أيام أخرى
book-days-earlier = الأيام السابقة
book-days-later = الأيام التالية
book-doctor-away = الطبيب في إجازة
book-ramadan = رمضان
