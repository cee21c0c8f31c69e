//! The one trait every way of sending implements, and the log channel: the only one on when
//! nothing is configured, so `make run` needs no provider and sends nothing anywhere.

use crate::kernel::i18n::Locale;
use crate::notifications::domain::message::Channel;
use crate::notifications::domain::text::Composed;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use uuid::Uuid;

/// A message ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: Uuid,
    /// Given to providers that take an idempotency key, so a retry after a crash is not sent
    /// twice there.
    pub key: String,
    pub recipient_id: Uuid,
    pub kind: String,
    pub params: serde_json::Value,
    pub to: Contact,
    /// The words, in the recipient's language.
    pub content: Composed,
}

/// How a recipient is reached, read when the message is sent (a changed address counts).
#[derive(Debug, Clone)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    /// E.164 (`+9665…`); a dependent's record may have none.
    pub phone: Option<String>,
    pub locale: Locale,
}

/// The provider took the message.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    pub provider_id: Option<String>,
}

/// The provider did not take it.
#[derive(Debug, Clone)]
pub struct Refused {
    pub reason: String,
    /// What the provider asked for (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// Trying again cannot help (a number that does not exist, a template refused).
    pub permanent: bool,
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Accepted, Refused>> + Send + 'a>>;

pub trait Sender: Send + Sync {
    fn channel(&self) -> Channel;
    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a>;
}

/// Writes each message to the server log.
pub struct LogSender;

impl Sender for LogSender {
    fn channel(&self) -> Channel {
        Channel::Log
    }

    fn send<'a>(&'a self, message: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                message = %message.id,
                recipient = %message.recipient_id,
                kind = %message.kind,
                subject = %message.content.subject,
                "notification (log channel)"
            );
            Ok(Accepted {
                provider_id: Some(format!("log:{}", message.id)),
            })
        })
    }
}
