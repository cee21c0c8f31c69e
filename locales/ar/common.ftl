common-app-name = مُعين
common-switch-language = English
common-welcome-user = أهلاً، { $name }
common-footer-tagline = مُعين — منصة العيادات باللغة العربية أولاً
common-footer-privacy = بياناتك الطبية محمية ولا يطّلع عليها إلا من يحق له ذلك.

nav-label = التنقل الرئيسي
nav-home = الرئيسية
nav-login = تسجيل الدخول
nav-register = حساب جديد
nav-logout = تسجيل الخروج
nav-my-home = صفحتي
nav-password = كلمة المرور
nav-staff-home = لوحة العمل
nav-admin-staff = الموظفون
nav-break-glass = الوصول الطارئ
nav-charts = السجلات

role-patient = مريض
role-doctor = طبيب
role-receptionist = موظف استقبال
role-admin = مدير

home-title = مُعين — احجز موعدك بسهولة
home-headline = رعايتك الصحية تبدأ بخطوة بسيطة
home-lead = احجز موعدك مع طبيبك، وتابع زياراتك، وتواصل مع عيادتك — كل ذلك بالعربية.
home-go-to-dashboard = انتقل إلى صفحتك
home-point-booking = حجز المواعيد من الجوال في أقل من دقيقة
home-point-records = سجلاتك الطبية في مكان واحد آمن
home-point-arabic = مصمم للعربية أولاً، مع الإنجليزية

me-title = صفحتي

staff-title = لوحة العمل

page-back-home = العودة إلى الرئيسية
page-not-found-title = الصفحة غير موجودة
page-not-found-body = لم نجد الصفحة التي تبحث عنها. تأكد من الرابط.
page-forbidden-title = غير مسموح
page-forbidden-body = لا تملك صلاحية فتح هذه الصفحة.
page-server-error-title = حدث خطأ
page-server-error-body = حدث خطأ غير متوقع من جهتنا. حاول مرة أخرى بعد قليل.
common-demo-banner = نسخة تجريبية: بيانات العيادة والأشخاص هنا للتجربة فقط.
me-details = بياناتي
