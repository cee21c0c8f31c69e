common-app-name = Mu'een
common-switch-language = العربية
common-welcome-user = Welcome, { $name }
common-footer-tagline = Mu'een — the Arabic-first clinic platform
common-footer-privacy = Your medical data is protected and seen only by those entitled to it.

nav-label = Main navigation
nav-home = Home
nav-login = Log in
nav-register = Create account
nav-logout = Log out
nav-my-home = My page
nav-password = Password
nav-staff-home = Workspace
nav-admin-staff = Staff
nav-break-glass = Emergency access
nav-charts = Charts

role-patient = Patient
role-doctor = Doctor
role-receptionist = Receptionist
role-admin = Administrator

home-title = Mu'een — book your visit with ease
home-headline = Your care starts with one simple step
home-lead = Book with your doctor, follow your visits and reach your clinic — in Arabic or English.
home-go-to-dashboard = Go to my page
home-point-booking = Book from your phone in under a minute
home-point-records = Your medical records in one safe place
home-point-arabic = Built for Arabic first, with English

me-title = My page

staff-title = Workspace

page-back-home = Back to the home page
page-not-found-title = Page not found
page-not-found-body = We could not find the page you asked for. Please check the address.
page-forbidden-title = Not allowed
page-forbidden-body = You do not have permission to open this page.
page-server-error-title = Something went wrong
page-server-error-body = Something unexpected went wrong on our side. Please try again shortly.
common-demo-banner = Demo: the clinic and people here are sample data.
me-details = My details
