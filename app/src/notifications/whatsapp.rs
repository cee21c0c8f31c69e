//! The WhatsApp channel (WhatsApp Business Cloud API) and its webhook.
//!
//! Sending: one approved template per kind of message (`{prefix}_{kind}`, e.g.
//! `mueen_booked`), in the recipient's language, with the body parameters of
//! `Composed::params` and, for a visit ahead, two quick-reply buttons whose payloads carry the
//! one-tap tokens (`confirm:<token>`, `cancel:<token>`). The provider's message id (`wamid…`)
//! is kept as the row's `provider_id`.
//!
//! The webhook: the GET handshake answers `hub.challenge` when `hub.verify_token` matches; a
//! POST is believed only when `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body with the
//! app secret (compared in constant time). Delivery statuses move a message forward only (sent →
//! delivered → read; failed only before delivery), and a button reply is a one-tap use, so a
//! replayed delivery changes nothing the second time.

use crate::kernel::crypto::Keyring;
use crate::kernel::service_error::ServiceError;
use crate::notifications::channel::{Accepted, Outgoing, SendFuture, Sender};
use crate::notifications::domain::message::Channel;
use crate::notifications::http_reply;
use hmac::{Mac, SimpleHmac};
use sha2::Sha256;
use sqlx::PgPool;
use std::net::IpAddr;
use std::time::Duration;

/// How the reasons admins read name this provider.
const WHO: &str = "WhatsApp";

pub struct WhatsAppSender {
    client: reqwest::Client,
    /// `{graph}/{phone number id}/messages`.
    url: String,
    token: String,
    template_prefix: String,
}

impl WhatsAppSender {
    pub fn new(
        graph_url: &str,
        phone_number_id: &str,
        token: &str,
        template_prefix: &str,
        timeout: Duration,
    ) -> Result<Self, String> {
        let client = http_reply::client(timeout, WHO)?;
        Ok(Self {
            client,
            url: format!(
                "{}/{}/messages",
                graph_url.trim_end_matches('/'),
                phone_number_id
            ),
            token: token.to_owned(),
            template_prefix: template_prefix.to_owned(),
        })
    }

    fn body(&self, message: &Outgoing, phone: &str) -> serde_json::Value {
        let text = |t: &String| serde_json::json!({ "type": "text", "text": t });
        let mut components = vec![serde_json::json!({
            "type": "body",
            "parameters": message.content.params.iter().map(text).collect::<Vec<_>>(),
        })];
        if let Some((confirm, cancel)) = &message.content.taps {
            for (index, payload) in [format!("confirm:{confirm}"), format!("cancel:{cancel}")]
                .into_iter()
                .enumerate()
            {
                components.push(serde_json::json!({
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": index.to_string(),
                    "parameters": [{ "type": "payload", "payload": payload }],
                }));
            }
        }
        serde_json::json!({
            "messaging_product": "whatsapp",
            "to": phone.trim_start_matches('+'),
            "type": "template",
            "template": {
                "name": format!("{}_{}", self.template_prefix, message.kind),
                "language": { "code": message.to.locale.code() },
                "components": components,
            },
        })
    }
}

impl Sender for WhatsAppSender {
    fn channel(&self) -> Channel {
        Channel::WhatsApp
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let phone = message
                .to
                .phone
                .as_deref()
                .ok_or_else(http_reply::no_mobile)?;
            let request = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token)
                .json(&self.body(message, phone));
            let body = http_reply::send(request, WHO).await?;
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["messages"][0]["id"].as_str().map(str::to_owned));
            match id {
                Some(id) => Ok(Accepted {
                    provider_id: Some(id),
                }),
                None => Err(http_reply::names_no_message(WHO, &body)),
            }
        })
    }
}

/// The `X-Hub-Signature-256` value for `body` signed with `secret` (what the provider sends).
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = match SimpleHmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes a key of any length; this arm is never taken.
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` with `secret`.
pub fn signature_valid(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(claimed) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = SimpleHmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&claimed).is_ok()
}

/// What a webhook delivery changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub statuses: usize,
    pub replies: usize,
    pub refused_replies: usize,
}

/// Applies a signed delivery: statuses, then button replies (each a one-tap use). Unknown
/// content is ignored: the provider sends other events to the same address.
pub async fn apply(
    pool: &PgPool,
    keys: Option<&Keyring>,
    body: &[u8],
    ip: Option<IpAddr>,
) -> Result<Applied, ServiceError> {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Err(crate::kernel::error::AppError::BadRequest.into());
    };
    let mut applied = Applied::default();
    let values = doc["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["changes"].as_array().into_iter().flatten())
        .map(|c| &c["value"]);
    for value in values {
        for status in value["statuses"].as_array().into_iter().flatten() {
            let (Some(id), Some(state)) = (status["id"].as_str(), status["status"].as_str()) else {
                continue;
            };
            let error = status["errors"][0]["title"]
                .as_str()
                .or(status["errors"][0]["message"].as_str());
            if crate::notifications::db::provider_status(pool, "whatsapp", id, state, error).await?
            {
                applied.statuses += 1;
            }
        }
        for message in value["messages"].as_array().into_iter().flatten() {
            let payload = message["button"]["payload"]
                .as_str()
                .or(message["interactive"]["button_reply"]["id"].as_str());
            let Some((_, token)) = payload.and_then(|p| p.split_once(':')) else {
                continue;
            };
            let Some(keys) = keys else { continue };
            match crate::notifications::one_tap::service::redeem(
                pool,
                keys,
                token,
                ip,
                jiff::Timestamp::now(),
            )
            .await
            {
                Ok(_) => applied.replies += 1,
                Err(ServiceError::Refused(_)) => applied.refused_replies += 1,
                Err(other) => return Err(other),
            }
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_signature_of_these_very_bytes_is_believed() {
        let body = br#"{"entry":[]}"#;
        let good = signature("app-secret", body);
        // RFC 4231 test case 2's key and data give its published HMAC-SHA256.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(signature_valid("app-secret", body, Some(&good)));
        assert!(!signature_valid("other-secret", body, Some(&good)));
        assert!(!signature_valid(
            "app-secret",
            br#"{"entry":[1]}"#,
            Some(&good)
        ));
        assert!(!signature_valid("app-secret", body, None));
        assert!(!signature_valid("app-secret", body, Some("sha256=zz")));
        assert!(!signature_valid(
            "app-secret",
            body,
            Some(&good.replace("sha256=", "sha1="))
        ));
    }
}
