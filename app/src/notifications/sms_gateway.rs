//! The SMS channel: an HTTP gateway in the style of the Gulf's SMS providers — a bearer token,
//! a registered sender name, the number in international form and the text as UTF-8 (the
//! gateway encodes Arabic as UCS-2; `domain::sms` counts what that costs). The request carries
//! the message's idempotency key, so a gateway that honours `Idempotency-Key` sends a retry
//! after a crash once.
//!
//! `POST {url}` with `{"sender": …, "recipients": ["9665…"], "body": …}`; a 2xx answer names the
//! message (`messageId` or `id`); other answers end the try as `http_reply` says, and a 2xx
//! naming no message is tried again, since the gateway may not have taken it.

use crate::notifications::channel::{Accepted, Outgoing, SendFuture, Sender};
use crate::notifications::domain::message::Channel;
use crate::notifications::domain::sms::segments;
use crate::notifications::http_reply;
use std::time::Duration;

/// How the reasons admins read name this provider.
const WHO: &str = "the SMS gateway";

pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: String,
    sender: String,
}

impl SmsGateway {
    pub fn new(url: &str, token: &str, sender: &str, timeout: Duration) -> Result<Self, String> {
        let client = http_reply::client(timeout, WHO)?;
        Ok(Self {
            client,
            url: url.to_owned(),
            token: token.to_owned(),
            sender: sender.to_owned(),
        })
    }
}

impl Sender for SmsGateway {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let phone = message
                .to
                .phone
                .as_deref()
                .ok_or_else(http_reply::no_mobile)?;
            let text = &message.content.short;
            let parts = segments(text);
            let request = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token)
                .header("Idempotency-Key", &message.key)
                .json(&serde_json::json!({
                    "sender": self.sender,
                    "recipients": [phone.trim_start_matches('+')],
                    "body": text,
                }));
            let body = http_reply::send(request, WHO).await?;
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
                None => Err(http_reply::names_no_message(WHO, &body)),
            }
        })
    }
}
