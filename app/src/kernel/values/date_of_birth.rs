//! A date of birth as a form sends it (`YYYY-MM-DD`, Western or Arabic-Indic digits): a real
//! calendar date, not in the future, and a plausible age. The registration, family and desk
//! forms share it, and the browser runs it before anything is sent.

use time::{Date, Month};

/// Dates arrive as `YYYY-MM-DD` from `<input type="date">`, possibly in Arabic-Indic digits
/// when typed by hand.
pub fn parse_date_of_birth(input: &str, today: Date) -> Result<Date, &'static str> {
    let ascii = crate::kernel::values::digits::to_ascii_digits(input.trim());
    if ascii.is_empty() {
        return Err("err-dob-required");
    }
    let mut parts = ascii.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("err-dob-invalid");
    };
    let year: i32 = y.parse().map_err(|_| "err-dob-invalid")?;
    let month: u8 = m.parse().map_err(|_| "err-dob-invalid")?;
    let day: u8 = d.parse().map_err(|_| "err-dob-invalid")?;
    let month = Month::try_from(month).map_err(|_| "err-dob-invalid")?;
    let date = Date::from_calendar_date(year, month, day).map_err(|_| "err-dob-invalid")?;
    if date > today {
        return Err("err-dob-future");
    }
    if today.year() - date.year() > 130 {
        return Err("err-dob-too-old");
    }
    Ok(date)
}
