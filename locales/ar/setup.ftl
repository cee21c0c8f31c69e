nav-setup = إعداد العيادة
setup-title = إعداد العيادة
setup-rules = قواعد الحجز
setup-timezone = المنطقة الزمنية
setup-horizon = أقصى مدة للحجز المسبق (بالأيام)
setup-notice = أقل مهلة قبل الموعد (بالدقائق)
setup-cutoff = آخر موعد للإلغاء أو التغيير قبل الموعد (بالدقائق)
setup-max-active = أقصى عدد من المواعيد القادمة للمريض
setup-hold = مدة الحجز المؤقت لقائمة الانتظار (بالدقائق)
setup-save = حفظ
setup-saved = حُفظت التغييرات.
setup-visit-types = أنواع الزيارات والأسعار
setup-add-visit-type = إضافة نوع زيارة
setup-name-ar = الاسم بالعربية
setup-name-en = الاسم بالإنجليزية
setup-duration = المدة (بالدقائق)
setup-price = السعر (ريال)
setup-buffer-before = وقت تجهيز قبل الزيارة (بالدقائق)
setup-buffer-after = وقت بعد الزيارة (بالدقائق)
setup-holidays = إغلاقات أخرى
setup-leave = إجازات الطبيب
setup-no-closures = لا إجازات قادمة.
setup-add-closure = إضافة إجازة
setup-reason-ar = السبب بالعربية
setup-reason-en = السبب بالإنجليزية
setup-remove = حذف
setup-closure-booked = { $n ->
    [one] يوجد موعد محجوز في هذه الأيام. لم يُلغَ؛ تواصل مع المريض.
    [two] يوجد موعدان محجوزان في هذه الأيام. لم يُلغيا؛ تواصل مع المرضى.
   *[other] يوجد { $n } مواعيد محجوزة في هذه الأيام. لم تُلغَ؛ تواصل مع المرضى.
}
setup-doctors = جداول الأطباء
setup-edit-schedule = تعديل الجدول
setup-schedule = جدول الطبيب
setup-schedule-of = جدول د. { $name }
setup-offered = أنواع الزيارات التي يقدمها
setup-offered-yes = يقدمها
setup-offered-no = لا يقدمها
setup-hours = ساعات العمل الأسبوعية
setup-hours-regular = كل أسبوع
setup-hours-override = من { $from } إلى { $until } فقط
setup-add-hours = إضافة فترة عمل
setup-weekday = اليوم
setup-starts = من الساعة
setup-ends = إلى الساعة
setup-valid-from = تسري من تاريخ (اختياري)
setup-valid-until = حتى تاريخ (اختياري)
setup-valid-hint = لساعات مؤقتة مثل ساعات رمضان: تحل محل الأسبوع المعتاد في هذه الأيام.
err-number-required = أدخل رقماً.
err-text-required = هذا الحقل مطلوب.
err-timezone-invalid = منطقة زمنية غير معروفة، مثل Asia/Riyadh.
err-horizon-range = بين ١ و٣٦٥ يوماً.
err-minutes-week-range = بين ٠ و١٠٠٨٠ دقيقة (أسبوع).
err-max-active-range = بين ١ و٥٠.
err-hold-range = بين ٥ و١٤٤٠ دقيقة.
err-duration-range = بين ٥ و٤٨٠ دقيقة.
err-buffer-range = بين ٠ و١٢٠ دقيقة.
err-price-required = السعر مطلوب.
err-price-invalid = أدخل السعر بالريال، مثل 150 أو 150.50.
err-weekday-invalid = اختر يوماً من أيام الأسبوع.
err-time-required = الوقت مطلوب.
err-time-invalid = الوقت غير صحيح.
err-ends-before-starts = وقت النهاية يجب أن يكون بعد وقت البداية.
err-until-before-from = تاريخ النهاية قبل تاريخ البداية.
err-closure-too-long = أقصى مدة للإجازة سنة واحدة.
err-hours-overlap = هذه الفترة تتداخل مع فترة عمل أخرى في اليوم نفسه.
setup-details = بيانات العيادة
setup-address-ar = العنوان بالعربية
setup-address-en = العنوان بالإنجليزية
setup-clinic-phone = هاتف العيادة
setup-profile = الملف التعريفي للطبيب
setup-languages = اللغات التي يتحدثها
setup-bio-ar = نبذة بالعربية
setup-bio-en = نبذة بالإنجليزية
language-ar = العربية
language-en = الإنجليزية
language-ur = الأردية
language-hi = الهندية
language-tl = الفلبينية
err-clinic-phone-invalid = أدخل رقم هاتف صحيحاً، مثل 0112345678 أو 920001234.
err-languages-invalid = اختر لغة واحدة على الأقل.
setup-week = أيام العمل
setup-week-hint = الأيام التي يفتح فيها هذا الفرع. ساعات الأطباء في يوم مغلق تبقى محفوظة لكنها لا تُعرض للحجز.
setup-week-stranded = { $n ->
    [one] يوجد موعد محجوز في يوم أصبح مغلقاً. لم يُلغَ؛ تواصل مع المريض.
    [two] يوجد موعدان محجوزان في أيام أصبحت مغلقة. لم يُلغيا؛ تواصل مع المريضين.
    [few] يوجد { $n } مواعيد محجوزة في أيام أصبحت مغلقة. لم تُلغَ؛ تواصل مع المرضى.
   *[other] يوجد { $n } موعداً محجوزاً في أيام أصبحت مغلقة. لم تُلغَ؛ تواصل مع المرضى.
}
setup-hours-closed-day = الفرع مغلق في هذا اليوم: لا تُعرض هذه الساعات للحجز.
err-week-empty = اختر يوماً واحداً على الأقل.
err-hours-closed-day = الفرع مغلق في هذا اليوم. افتحه أولاً من أيام العمل في إعداد العيادة.
setup-specialties = التخصصات
setup-add-specialty = إضافة تخصص
err-specialty-taken = يوجد تخصص بهذا الاسم.
err-specialty-unknown = اختر تخصصاً من القائمة.
setup-hours-booked = { $n ->
    [one] كان في هذه الفترة موعد محجوز قادم. لم يُلغَ؛ تواصل مع المريض.
    [two] كان في هذه الفترة موعدان محجوزان قادمان. لم يُلغيا؛ تواصل مع المريضين.
    [few] كان في هذه الفترة { $n } مواعيد محجوزة قادمة. لم تُلغَ؛ تواصل مع المرضى.
   *[other] كان في هذه الفترة { $n } موعداً محجوزاً قادماً. لم تُلغَ؛ تواصل مع المرضى.
}

setup-reminders = التذكير بالمواعيد
setup-reminders-hint = متى يُذكَّر المريض قبل موعده، والساعات الهادئة التي لا يُرسل فيها تذكير (بتوقيت الفرع). التذكير الذي يقع في الساعات الهادئة يُرسل عند انتهائها إن بقي وقت قبل الموعد، وإلا قبل بدايتها.
setup-reminder-hours = قبل الموعد بكم ساعة
setup-reminder-hours-hint = حتى ثلاثة أرقام بين ١ و١٦٨ تفصل بينها فاصلة، مثل: ٢٤، ٢. اتركه فارغًا لإيقاف التذكير.
setup-quiet-from = الساعات الهادئة من
setup-quiet-until = إلى
err-reminder-hours = اكتب ساعات بين ١ و١٦٨ تفصل بينها فاصلة.
err-reminder-count = ثلاثة تذكيرات على الأكثر لكل موعد.
err-quiet-both = اكتب بداية الساعات الهادئة ونهايتها معًا، أو اتركهما فارغتين.
err-quiet-same = يجب أن تختلف البداية عن النهاية.

holiday-eid-fitr = عيد الفطر
holiday-eid-adha = عيد الأضحى
holiday-founding-day = يوم التأسيس
holiday-national-day = اليوم الوطني
setup-holiday-calendar = تقويم الإجازات
setup-holiday-calendar-hint = تُحسب الإجازات كل عام من تقويم أم القرى، فلا حاجة لكتابة التواريخ. المواعيد المحجوزة في أيام الإجازة تبقى كما هي، ويُعرض عددها لتتواصل معهم.
setup-holiday-on = مفعّلة
setup-holiday-days = عدد الأيام
setup-holiday-fitr-start = تبدأ
setup-fitr-ramadan_29 = من ٢٩ رمضان
setup-fitr-after_ramadan_29 = من اليوم التالي لـ ٢٩ رمضان
setup-fitr-shawwal_1 = من ١ شوال
setup-holiday-next = القادمة:
setup-holiday-range = من { $from } إلى { $until }
setup-holiday-sighting = إن خالفت رؤية الهلال التقويم لعام { $year } هـ:
setup-shift-earlier = قبل يوم
setup-shift-none = حسب التقويم
setup-shift-later = بعد يوم
setup-holiday-booked = { $n ->
    [one] يقع موعد محجوز واحد في أيام الإجازة الجديدة.
    [two] يقع موعدان محجوزان في أيام الإجازة الجديدة.
    [few] تقع { $n } مواعيد محجوزة في أيام الإجازة الجديدة.
   *[other] يقع { $n } موعدًا محجوزًا في أيام الإجازة الجديدة.
}
err-holiday-kind = هذه الإجازة غير معروفة.
err-holiday-tick = قيمة غير صحيحة.
err-holiday-days = عدد الأيام من ١ إلى ١٠.
err-holiday-start = اختر بداية العيد من القائمة.
err-holiday-year = السنة الهجرية غير صحيحة.
err-holiday-shift = يمكن تقديم العيد أو تأخيره يومين على الأكثر.
setup-ramadan = ساعات رمضان
setup-ramadan-branch-hint = ساعات الفرع في رمضان لمن ليس له ساعات رمضان خاصة من الأطباء. تُكتب مرة واحدة وتُطبّق على أيام رمضان كل عام.
setup-ramadan-doctor-hint = ساعات الطبيب في رمضان، مكان ساعاته المعتادة. تُكتب مرة واحدة وتُطبّق على أيام رمضان كل عام.
setup-ramadan-add = إضافة فترة
setup-ramadan-after-midnight = تنتهي بعد منتصف الليل
setup-ramadan-end-hint = قد تنتهي بعد منتصف الليل، مثل ٢١:٠٠ إلى ٠١:٠٠.
err-ramadan-same = يجب أن تختلف النهاية عن البداية.
prayer-dhuhr = الظهر
prayer-asr = العصر
prayer-maghrib = المغرب
prayer-isha = العشاء
prayer-jumuah = الجمعة
setup-prayer = أوقات الصلاة
setup-prayer-hint = يتوقف الحجز من الأذان حتى انتهاء المدة المختارة، بحسب موقع الفرع وطريقة أم القرى. صلاة الجمعة تبدأ قبل الأذان بثلاثين دقيقة للخطبة وتحل محل الظهر يوم الجمعة.
setup-latitude = خط العرض
setup-longitude = خط الطول
setup-prayer-minutes = مدة التوقف بالدقائق
setup-prayer-which = التوقف عند صلاة
setup-prayer-week = أوقات الأذان للأسبوع القادم
err-prayer-position = اكتب إحداثيات صحيحة (خط العرض بين −٦٠ و٦٠).
err-prayer-position-both = اكتب خط العرض وخط الطول معًا.
err-prayer-position-needed = اكتب موقع الفرع لحساب أوقات الصلاة.
err-prayer-minutes = المدة من ٥ إلى ٦٠ دقيقة.
err-prayer-unknown = صلاة غير معروفة.
