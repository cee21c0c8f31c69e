//! Reading one cookie out of a request's headers: the language choice and the session cookie's
//! presence are both decided from it.

/// The value of the cookie `name`, the first if sent twice.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .split_once('=')
                .filter(|(n, _)| *n == name)
                .map(|(_, value)| value)
        })
}
