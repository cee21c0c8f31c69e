//! The e-mail channel: SMTP through `lettre`. Each message is multipart — plain text and HTML
//! (right-to-left for Arabic) — with the visit's `.ics` attached when it changes a calendar.
//! Its Message-ID comes from the idempotency key, so a copy sent again after a crash carries
//! the same ID and mail systems that de-duplicate show it once.

use crate::notifications::channel::{Accepted, Outgoing, Refused, SendFuture, Sender};
use crate::notifications::domain::message::Channel;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long one SMTP exchange may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(20);

pub struct EmailSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum EmailConfigError {
    #[error("MUEEN_SMTP_URL is not a valid SMTP address: {0}")]
    Url(String),
    #[error("MUEEN_MAIL_FROM is not a valid sender (e.g. \"Clinic <no-reply@clinic.example>\")")]
    From,
}

impl EmailSender {
    /// `url`: `smtp://host:port` (plain, for a relay on the same host or a test), `smtp://…?tls=required`
    /// (STARTTLS) or `smtps://user:password@host` (TLS from the start).
    pub fn new(url: &str, from: &str) -> Result<Self, EmailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| EmailConfigError::Url(e.to_string()))?
            .timeout(Some(TIMEOUT))
            .build();
        let from = from.parse().map_err(|_| EmailConfigError::From)?;
        Ok(Self { transport, from })
    }

    fn message(&self, message: &Outgoing, to: &str) -> Result<Message, Refused> {
        let to: Mailbox = to.parse().map_err(|_| Refused {
            reason: "the recipient's e-mail address is not valid".into(),
            retry_after: None,
            permanent: true,
        })?;
        let content = &message.content;
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::plain(content.text.clone()))
            .singlepart(SinglePart::html(content.html.clone()));
        let body = match &content.ics {
            Some(ics) => MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new("appointment.ics".to_owned()).body(
                    ics.clone(),
                    ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                        .unwrap_or(ContentType::TEXT_PLAIN),
                ),
            ),
            None => alternative,
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(content.subject.clone())
            .message_id(Some(message_id(&message.key)))
            .multipart(body)
            .map_err(|e| Refused {
                reason: format!("the message could not be built: {e}"),
                retry_after: None,
                permanent: true,
            })
    }
}

/// A Message-ID that is the same for every try of one message.
fn message_id(key: &str) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "<{}@mueen>",
        hex::encode(&Sha256::digest(key.as_bytes())[..16])
    )
}

impl Sender for EmailSender {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let Some(to) = message.to.email.as_deref() else {
                return Err(Refused {
                    reason: "the recipient has no e-mail address".into(),
                    retry_after: None,
                    permanent: true,
                });
            };
            let email = self.message(message, to)?;
            match self.transport.send(email).await {
                Ok(response) => Ok(Accepted {
                    provider_id: response.message().next().map(str::to_owned),
                }),
                // 5xx: the server refuses this message for good (an unknown mailbox, say).
                Err(e) if e.is_permanent() => Err(Refused {
                    reason: format!("the mail server refused the message: {e}"),
                    retry_after: None,
                    permanent: true,
                }),
                Err(e) => Err(Refused {
                    reason: format!("the mail server could not be reached or deferred: {e}"),
                    retry_after: None,
                    permanent: false,
                }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_try_of_one_message_has_the_same_message_id() {
        let a = super::message_id("event:1:email:x");
        assert_eq!(a, super::message_id("event:1:email:x"));
        assert_ne!(a, super::message_id("event:2:email:x"));
        assert!(a.starts_with('<') && a.ends_with("@mueen>"));
    }
}
