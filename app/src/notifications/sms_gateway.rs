//! The SMS channel: an HTTP gateway in the style of the Gulf's SMS providers — a bearer token,
//! a registered sender name, the number in international form and the text as UTF-8 (the
//! gateway encodes Arabic as UCS-2; `domain::sms` counts what that costs). The request carries
//! the message's idempotency key, so a gateway that honours `Idempotency-Key` sends a retry
//! after a crash once.
//!
//! `POST {url}` with `{"sender": …, "recipients": ["9665…"], "body": …}`; a 2xx answer names the
//! message (`messageId` or `id`). 429 and 5xx are tried again (429's `Retry-After` respected),
//! other 4xx are the message's fault and are not; an answer that cannot be read is tried again,
//! since the gateway may not have taken it.

use crate::notifications::channel::{Accepted, Outgoing, Refused, SendFuture, Sender};
use crate::notifications::domain::message::Channel;
use crate::notifications::domain::sms::segments;
use std::time::Duration;

pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: String,
    sender: String,
}

impl SmsGateway {
    pub fn new(url: &str, token: &str, sender: &str, timeout: Duration) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| format!("the SMS client could not be built: {e}"))?;
        Ok(Self {
            client,
            url: url.to_owned(),
            token: token.to_owned(),
            sender: sender.to_owned(),
        })
    }
}

/// Refusals the gateway's answer calls for.
fn refused(reason: String, retry_after: Option<Duration>, permanent: bool) -> Refused {
    Refused {
        reason,
        retry_after,
        permanent,
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare from gateways and read as absent).
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

impl Sender for SmsGateway {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let Some(phone) = message.to.phone.as_deref() else {
                return Err(refused(
                    "the recipient has no mobile number".into(),
                    None,
                    true,
                ));
            };
            let text = &message.content.short;
            let parts = segments(text);
            let answer = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token)
                .header("Idempotency-Key", &message.key)
                .json(&serde_json::json!({
                    "sender": self.sender,
                    "recipients": [phone.trim_start_matches('+')],
                    "body": text,
                }))
                .send()
                .await;
            let answer = match answer {
                Ok(answer) => answer,
                Err(e) if e.is_timeout() => {
                    return Err(refused(
                        "the SMS gateway did not answer in time".into(),
                        None,
                        false,
                    ))
                }
                Err(e) => {
                    return Err(refused(
                        format!("the SMS gateway could not be reached: {e}"),
                        None,
                        false,
                    ))
                }
            };
            let status = answer.status();
            let wait = retry_after(answer.headers());
            let body = answer.text().await.unwrap_or_default();
            let excerpt: String = body.chars().take(200).collect();
            if status.as_u16() == 429 {
                return Err(refused(
                    format!("the SMS gateway is busy (429): {excerpt}"),
                    wait,
                    false,
                ));
            }
            if status.is_server_error() {
                return Err(refused(
                    format!("the SMS gateway failed ({status}): {excerpt}"),
                    wait,
                    false,
                ));
            }
            if !status.is_success() {
                return Err(refused(
                    format!("the SMS gateway refused the message ({status}): {excerpt}"),
                    None,
                    true,
                ));
            }
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    ["messageId", "id"].iter().find_map(|k| match &v[*k] {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                });
            match id {
                Some(id) => {
                    tracing::info!(message = %message.id, segments = parts.count, "SMS accepted");
                    Ok(Accepted {
                        provider_id: Some(id),
                    })
                }
                None => Err(refused(
                    format!("the SMS gateway's answer names no message: {excerpt}"),
                    None,
                    false,
                )),
            }
        })
    }
}
