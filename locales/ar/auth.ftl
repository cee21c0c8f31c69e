auth-login-title = تسجيل الدخول
auth-login-submit = دخول
auth-identifier-hint = رقم الجوال (05xxxxxxxx) أو رقم الهوية/الإقامة
auth-no-account = ليس لديك حساب؟ أنشئ حساباً جديداً
auth-password-title = تغيير كلمة المرور
auth-password-submit = حفظ كلمة المرور
auth-password-changed = تم تغيير كلمة المرور.

reg-title = إنشاء حساب مريض
reg-lead = أدخل بياناتك كما في الهوية الوطنية أو الإقامة.
reg-name-legend = الاسم الرباعي بالعربية
reg-latin-hint = اختياري، كما في جواز السفر.
reg-phone-hint = مثال: 0501234567
reg-national-id-hint = ١٠ أرقام تبدأ بـ 1 للمواطن أو 2 للمقيم.
reg-password-hint = ٨ أحرف على الأقل، ولا تكون أرقاماً فقط.
reg-submit = إنشاء الحساب
reg-have-account = لديك حساب؟ سجّل الدخول

field-first-name = الاسم الأول
field-father-name = اسم الأب
field-grandfather-name = اسم الجد
field-family-name = اسم العائلة
field-latin-name = الاسم بالأحرف اللاتينية
field-phone = رقم الجوال
field-national-id = رقم الهوية أو الإقامة
field-date-of-birth = تاريخ الميلاد
field-sex = الجنس
field-sex-male = ذكر
field-sex-female = أنثى
field-choose = اختر
field-email = البريد الإلكتروني
field-password = كلمة المرور
field-login-identifier = رقم الجوال أو الهوية
field-current-password = كلمة المرور الحالية
field-new-password = كلمة المرور الجديدة
field-confirm-password = تأكيد كلمة المرور الجديدة

sessions-title = أين سجّلت الدخول
sessions-last-seen = آخر نشاط:
sessions-started = بدأت:
sessions-this-device = هذا الجهاز
sessions-end-others = تسجيل الخروج من الأجهزة الأخرى
sessions-ended = { $n ->
        [0] لا توجد جلسات أخرى.
        [one] انتهت جلسة واحدة على جهاز آخر.
        [two] انتهت جلستان على جهازين آخرين.
       *[other] انتهت { $n } جلسات على أجهزة أخرى.
    }
