//! How an HTTP provider's answer ends a try, for the SMS and WhatsApp channels alike: a 2xx
//! hands back the body; 429 and 5xx are tried again (no sooner than `Retry-After` asks);
//! other 4xx refuse the message itself; a timeout or a connection that fails is tried again.
//! `who` names the provider in the reasons admins read.

use crate::notifications::channel::Refused;
use std::time::Duration;

/// How much of a provider's answer a reason quotes.
const EXCERPT: usize = 300;

/// A client that gives up on a provider after `timeout`.
pub fn client(timeout: Duration, who: &str) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("the client for {who} could not be built: {e}"))
}

fn refused(reason: String, retry_after: Option<Duration>, permanent: bool) -> Refused {
    Refused {
        reason,
        retry_after,
        permanent,
    }
}

/// Nothing to send to: the recipient has no mobile number.
pub fn no_mobile() -> Refused {
    refused("the recipient has no mobile number".into(), None, true)
}

/// A 2xx whose body names no message: it may not have been taken, so it is tried again.
pub fn names_no_message(who: &str, body: &str) -> Refused {
    let excerpt: String = body.chars().take(EXCERPT).collect();
    refused(
        format!("{who}'s answer names no message: {excerpt}"),
        None,
        false,
    )
}

/// `Retry-After` in seconds (the HTTP-date form is rare from providers and read as absent).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Sends `request`; the body of a 2xx answer, or the refusal the answer calls for.
pub async fn send(request: reqwest::RequestBuilder, who: &str) -> Result<String, Refused> {
    let answer = request.send().await.map_err(|e| {
        let why = if e.is_timeout() {
            format!("{who} did not answer in time")
        } else {
            format!("{who} could not be reached: {e}")
        };
        refused(why, None, false)
    })?;
    let status = answer.status();
    let wait = retry_after(answer.headers());
    let body = answer.text().await.unwrap_or_default();
    let excerpt: String = body.chars().take(EXCERPT).collect();
    if status.as_u16() == 429 {
        return Err(refused(
            format!("{who} is busy (429): {excerpt}"),
            wait,
            false,
        ));
    }
    if status.is_server_error() {
        return Err(refused(
            format!("{who} failed ({status}): {excerpt}"),
            wait,
            false,
        ));
    }
    if !status.is_success() {
        return Err(refused(
            format!("{who} refused the message ({status}): {excerpt}"),
            None,
            true,
        ));
    }
    Ok(body)
}
