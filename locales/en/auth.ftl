auth-login-title = Log in
auth-login-submit = Log in
auth-identifier-hint = Mobile number (05xxxxxxxx) or national ID / Iqama number
auth-no-account = No account yet? Create one
auth-password-title = Change password
auth-password-submit = Save password
auth-password-changed = Your password has been changed.

reg-title = Create a patient account
reg-lead = Enter your details as they appear on your national ID or Iqama.
reg-name-legend = Full four-part name in Arabic
reg-latin-hint = Optional, as in your passport.
reg-phone-hint = For example: 0501234567
reg-national-id-hint = 10 digits, starting with 1 for citizens or 2 for residents.
reg-password-hint = At least 8 characters, not digits only.
reg-submit = Create account
reg-have-account = Already registered? Log in

field-first-name = First name
field-father-name = Father's name
field-grandfather-name = Grandfather's name
field-family-name = Family name
field-latin-name = Name in Latin letters
field-phone = Mobile number
field-national-id = National ID or Iqama number
field-date-of-birth = Date of birth
field-sex = Sex
field-sex-male = Male
field-sex-female = Female
field-choose = Choose
field-email = E-mail
field-password = Password
field-login-identifier = Mobile number or ID
field-current-password = Current password
field-new-password = New password
field-confirm-password = Confirm new password

sessions-title = Where you are logged in
sessions-last-seen = Last active:
sessions-started = Started:
sessions-this-device = This device
sessions-end-others = Log out other devices
sessions-ended = { $n ->
        [0] There were no other sessions.
        [one] One session on another device ended.
       *[other] { $n } sessions on other devices ended.
    }
