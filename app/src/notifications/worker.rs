//! The workers: each plans what the outbox holds and sends what is due, in a loop, resting
//! when there is nothing to do. They run in the server process by default; several processes
//! may run them against one database (every claim skips rows another holds).

use crate::notifications::planner::{plan_batch, PlanRules};
use crate::notifications::sender::{deliver_batch, Senders};
use jiff::Timestamp;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Rows taken per round.
const BATCH: i64 = 50;

#[derive(Clone)]
pub struct Notifier {
    pub pool: PgPool,
    pub rules: Arc<PlanRules>,
    pub senders: Arc<Senders>,
    /// How long an idle worker waits before it looks again.
    pub idle: Duration,
}

impl Notifier {
    /// Workers that send on the log channel only, with the default plan and retries.
    pub fn log_only(pool: PgPool) -> Self {
        Self {
            pool,
            rules: Arc::new(PlanRules::default()),
            senders: Arc::new(Senders::new(
                vec![Arc::new(crate::notifications::channel::LogSender)],
                crate::notifications::domain::retry::RetryPolicy::default(),
                5,
                Duration::from_secs(60),
            )),
            idle: Duration::from_millis(500),
        }
    }

    /// The workers the configuration asks for, in this order of preference: WhatsApp
    /// (`MUEEN_WHATSAPP_*`), e-mail (`MUEEN_SMTP_URL`), SMS (`MUEEN_SMS_URL`); the log channel
    /// when no real channel is configured.
    pub fn from_config(
        pool: PgPool,
        config: &crate::kernel::config::Config,
        keys: Arc<crate::kernel::crypto::Keyring>,
    ) -> Result<Self, String> {
        let mut senders: Vec<Arc<dyn crate::notifications::channel::Sender>> = vec![];
        if let Some(url) = &config.smtp_url {
            senders.push(Arc::new(
                crate::notifications::email::EmailSender::new(&url.0, &config.mail_from)
                    .map_err(|e| e.to_string())?,
            ));
        }
        if let Some(sms) = &config.sms {
            senders.push(Arc::new(
                crate::notifications::sms_gateway::SmsGateway::new(
                    &sms.url,
                    &sms.token.0,
                    &sms.sender,
                    Duration::from_secs(15),
                )?,
            ));
        }
        if let Some(wa) = &config.whatsapp {
            senders.insert(
                0,
                Arc::new(crate::notifications::whatsapp::WhatsAppSender::new(
                    &wa.graph_url,
                    &wa.phone_number_id,
                    &wa.token.0,
                    &wa.template_prefix,
                    Duration::from_secs(15),
                )?),
            );
        }
        if senders.is_empty() {
            senders.push(Arc::new(crate::notifications::channel::LogSender));
        }
        let running = senders.iter().map(|s| s.channel()).collect();
        let mut built = Senders::new(
            senders,
            crate::notifications::domain::retry::RetryPolicy::default(),
            5,
            Duration::from_secs(60),
        );
        if let Some(site) = &config.public_url {
            built = built.with_site(site);
        }
        built = built
            .with_keys(keys)
            .with_lease(Duration::from_secs(u64::from(config.notify_lease_seconds)));
        Ok(Self {
            pool,
            rules: Arc::new(PlanRules { running }),
            senders: Arc::new(built),
            idle: Duration::from_millis(500),
        })
    }

    /// One round: plan a batch of events, send a batch of messages. Returns how many rows
    /// were taken in all (0: nothing to do).
    pub async fn round(&self) -> usize {
        let planned = plan_batch(&self.pool, &self.rules, BATCH, Timestamp::now())
            .await
            .unwrap_or_else(|err| {
                tracing::error!(error = ?err, "planning notifications failed");
                0
            });
        let sent = deliver_batch(&self.pool, &self.senders, BATCH)
            .await
            .unwrap_or_else(|err| {
                tracing::error!(error = ?err, "sending notifications failed");
                0
            });
        planned + sent
    }

    /// Rounds until one finds nothing to do: what a test (or a drain before shutdown) waits
    /// for.
    pub async fn drain(&self) {
        while self.round().await > 0 {}
    }

    /// Starts `count` workers that run until the process ends.
    pub fn spawn(&self, count: usize) {
        for _ in 0..count {
            let me = self.clone();
            tokio::spawn(async move {
                loop {
                    if me.round().await == 0 {
                        tokio::time::sleep(me.idle).await;
                    }
                }
            });
        }
    }
}
