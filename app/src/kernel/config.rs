//! All runtime settings, read once from the environment at start-up.

use std::{path::PathBuf, str::FromStr};

#[derive(Debug, Clone)]
pub struct Config {
    /// When unset, the server runs its own PostgreSQL under `data_dir`.
    pub database_url: Option<String>,
    /// With an external server: the owner of the schema, for migrations, when the app's own
    /// URL is a role with data privileges only.
    pub database_owner_url: Option<String>,
    pub data_dir: PathBuf,
    pub embedded_pg_port: u16,
    pub pg_bin_dir: Option<PathBuf>,
    pub seed_demo: bool,
    /// The demo accounts' password; generated and printed once at seeding when unset.
    pub demo_password: Option<String>,
    pub log_json: bool,
    /// Marks the session cookie `Secure`; turn on when served over TLS.
    pub secure_cookies: bool,
    /// How many proxies of ours stand in front of the server: the client address is read that
    /// many entries from the right of `X-Forwarded-For`, and the host from `X-Forwarded-Host`.
    /// 0 (the default) trusts neither header.
    pub trusted_proxy_hops: u8,
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_ip: i64,
    pub login_window_minutes: i64,
    /// Self-registrations one address may make inside the log-in window.
    pub registrations_per_ip: i64,
    /// How many dependents one guardian may add, and how many visits to come the guardian and
    /// all their dependents may hold together: one account cannot book out a calendar.
    pub max_dependents: i64,
    pub max_family_active_bookings: i64,
    pub staff_idle_minutes: i64,
    pub patient_idle_minutes: i64,
    /// A session ends this long after log-in however active it is.
    pub staff_session_max_hours: i64,
    pub patient_session_max_hours: i64,
    /// The address patients and pharmacists reach the site at (`https://clinic.example`),
    /// printed in the prescription's QR code; unset, the request's own host is used.
    pub public_url: Option<String>,
    /// Where attachments are kept; unset, the server runs its embedded S3 store under
    /// `data_dir`.
    pub s3: Option<crate::kernel::storage::S3Settings>,
    /// Data keys (`id:base64,…`, the first seals); unset, a key file under `data_dir`.
    pub data_keys: Option<Redacted>,
    /// The largest attachment accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Keeps rendered public pages for visitors without a session (`server::page_cache`).
    pub page_cache: bool,
    /// Notification workers the server runs (`notifications::worker`); 0 runs none (another
    /// process does the sending).
    pub notify_workers: usize,
    /// How long a worker holds the messages it took before another may send them (a worker
    /// that died mid-batch is noticed after this).
    pub notify_lease_seconds: u32,
    /// The e-mail channel's SMTP server (`smtp://host:port`, `smtps://user:password@host`);
    /// unset, no e-mail is sent.
    pub smtp_url: Option<Redacted>,
    /// The sender of e-mails.
    pub mail_from: String,
    /// The SMS gateway (`MUEEN_SMS_URL`, `MUEEN_SMS_TOKEN`, `MUEEN_SMS_SENDER`); unset, no SMS.
    pub sms: Option<SmsSettings>,
    /// WhatsApp Business Cloud API (`MUEEN_WHATSAPP_*`); unset, no WhatsApp and no webhook.
    pub whatsapp: Option<WhatsAppSettings>,
    /// What the SMS gateway charges per segment, in halalas, for the admins' cost estimate.
    pub sms_halalas_per_segment: u32,
}

/// The WhatsApp Business account the clinic sends from, and its webhook's secrets.
#[derive(Debug, Clone)]
pub struct WhatsAppSettings {
    /// The Graph API's address (`https://graph.facebook.com/v21.0`).
    pub graph_url: String,
    pub phone_number_id: String,
    pub token: Redacted,
    /// Signs the webhook's deliveries (`X-Hub-Signature-256`).
    pub app_secret: Redacted,
    /// What the GET handshake must present.
    pub verify_token: Redacted,
    /// Templates are named `{prefix}_{kind}` (`mueen_booked`, `mueen_reminder`, …).
    pub template_prefix: String,
}

/// An SMS gateway's address, token and the sender name registered with it.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    pub url: String,
    pub token: Redacted,
    pub sender: String,
}

/// A secret setting: readable by the code that needs it, never printed by `Debug`.
#[derive(Clone)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("environment variable {name} has an invalid value {value:?}: expected {expected}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// `S3_BUCKET` turns on an external store, with its credentials (`S3_ACCESS_KEY_ID` and
/// `S3_SECRET_ACCESS_KEY`, or the usual `AWS_` names), `S3_REGION` and, for anything but AWS
/// itself, `S3_ENDPOINT`.
fn s3_settings(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::kernel::storage::S3Settings>, ConfigError> {
    let endpoint = get("S3_ENDPOINT");
    let Some(bucket) = get("S3_BUCKET") else {
        return match endpoint {
            Some(value) => Err(ConfigError {
                name: "S3_ENDPOINT",
                value,
                expected: "S3_BUCKET to be set too",
            }),
            None => Ok(None),
        };
    };
    let secret = |names: [&'static str; 2]| {
        names.iter().find_map(|n| get(n)).ok_or(ConfigError {
            name: names[0],
            value: String::new(),
            expected: "a value when S3_BUCKET is set",
        })
    };
    if let Some(url) = &endpoint {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ConfigError {
                name: "S3_ENDPOINT",
                value: url.clone(),
                expected: "an address starting with https:// or http://",
            });
        }
    }
    Ok(Some(crate::kernel::storage::S3Settings {
        endpoint,
        bucket,
        region: get("S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        access_key: secret(["S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"])?,
        secret_key: secret(["S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"])?,
    }))
}

impl Config {
    pub fn trusts_forwarded_headers(&self) -> bool {
        self.trusted_proxy_hops > 0
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        Ok(Self {
            database_url: non_empty("DATABASE_URL"),
            database_owner_url: non_empty("MUEEN_DATABASE_OWNER_URL"),
            data_dir: non_empty("MUEEN_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("data")),
            embedded_pg_port: parse(&get, "MUEEN_EMBEDDED_PG_PORT", 54329, "a port number")?,
            pg_bin_dir: non_empty("MUEEN_PG_BIN_DIR").map(PathBuf::from),
            seed_demo: parse_bool(&get, "MUEEN_SEED_DEMO", true)?,
            demo_password: non_empty("MUEEN_DEMO_PASSWORD"),
            log_json: match non_empty("MUEEN_LOG_FORMAT").as_deref() {
                None | Some("text") => false,
                Some("json") => true,
                Some(other) => {
                    return Err(ConfigError {
                        name: "MUEEN_LOG_FORMAT",
                        value: other.to_owned(),
                        expected: "text or json",
                    })
                }
            },
            secure_cookies: parse_bool(&get, "MUEEN_SECURE_COOKIES", false)?,
            page_cache: parse_bool(&get, "MUEEN_PAGE_CACHE", true)?,
            // MUEEN_TRUST_FORWARDED_FOR=true, the older switch, means one proxy.
            trusted_proxy_hops: match non_empty("MUEEN_TRUSTED_PROXY_HOPS") {
                Some(_) => parse(
                    &get,
                    "MUEEN_TRUSTED_PROXY_HOPS",
                    0,
                    "a number of proxies (0-255)",
                )?,
                None => u8::from(parse_bool(&get, "MUEEN_TRUST_FORWARDED_FOR", false)?),
            },
            login_max_failures_per_account: parse(
                &get,
                "MUEEN_LOGIN_MAX_FAILURES_PER_ACCOUNT",
                5,
                "a whole number",
            )?,
            login_max_failures_per_ip: parse(
                &get,
                "MUEEN_LOGIN_MAX_FAILURES_PER_IP",
                20,
                "a whole number",
            )?,
            login_window_minutes: parse(&get, "MUEEN_LOGIN_WINDOW_MINUTES", 15, "minutes")?,
            registrations_per_ip: parse(&get, "MUEEN_REGISTRATIONS_PER_IP", 10, "a whole number")?,
            max_dependents: parse(&get, "MUEEN_MAX_DEPENDENTS", 10, "a whole number")?,
            max_family_active_bookings: parse(
                &get,
                "MUEEN_MAX_FAMILY_ACTIVE_BOOKINGS",
                10,
                "a whole number",
            )?,
            staff_idle_minutes: parse(&get, "MUEEN_STAFF_IDLE_MINUTES", 30, "minutes")?,
            patient_idle_minutes: parse(&get, "MUEEN_PATIENT_IDLE_MINUTES", 720, "minutes")?,
            staff_session_max_hours: parse(&get, "MUEEN_STAFF_SESSION_MAX_HOURS", 12, "hours")?,
            patient_session_max_hours: parse(
                &get,
                "MUEEN_PATIENT_SESSION_MAX_HOURS",
                720,
                "hours",
            )?,
            public_url: match non_empty("MUEEN_PUBLIC_URL") {
                None => None,
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    Some(url.trim().trim_end_matches('/').to_owned())
                }
                Some(other) => {
                    return Err(ConfigError {
                        name: "MUEEN_PUBLIC_URL",
                        value: other,
                        expected: "an address starting with https:// or http://",
                    })
                }
            },
            s3: s3_settings(&non_empty)?,
            data_keys: non_empty("MUEEN_DATA_KEYS").map(Redacted),
            max_upload_bytes: parse::<usize>(&get, "MUEEN_MAX_UPLOAD_MB", 20, "megabytes")?
                .saturating_mul(1024 * 1024),
            notify_workers: parse(&get, "MUEEN_NOTIFY_WORKERS", 1, "a number of workers")?,
            notify_lease_seconds: match parse(&get, "MUEEN_NOTIFY_LEASE_SECONDS", 120, "seconds")? {
                lease @ 2..=3600 => lease,
                other => {
                    return Err(ConfigError {
                        name: "MUEEN_NOTIFY_LEASE_SECONDS",
                        value: other.to_string(),
                        expected: "seconds from 2 to 3600",
                    })
                }
            },
            smtp_url: match non_empty("MUEEN_SMTP_URL") {
                None => None,
                Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                    Some(Redacted(url.trim().to_owned()))
                }
                Some(_) => {
                    return Err(ConfigError {
                        name: "MUEEN_SMTP_URL",
                        // It may hold a password: not repeated in the message.
                        value: "(hidden)".to_owned(),
                        expected: "an address starting with smtp:// or smtps://",
                    });
                }
            },
            mail_from: non_empty("MUEEN_MAIL_FROM")
                .unwrap_or_else(|| "Mu'een <no-reply@localhost>".to_owned()),
            sms: match (
                non_empty("MUEEN_SMS_URL"),
                non_empty("MUEEN_SMS_TOKEN"),
                non_empty("MUEEN_SMS_SENDER"),
            ) {
                (None, None, None) => None,
                (Some(url), Some(token), Some(sender))
                    if url.starts_with("https://") || url.starts_with("http://") =>
                {
                    Some(SmsSettings {
                        url: url.trim().to_owned(),
                        token: Redacted(token.trim().to_owned()),
                        sender: sender.trim().to_owned(),
                    })
                }
                (url, _, _) => {
                    return Err(ConfigError {
                        name: "MUEEN_SMS_URL",
                        value: url.unwrap_or_default(),
                        expected:
                            "an http(s) address, with MUEEN_SMS_TOKEN and MUEEN_SMS_SENDER set too",
                    })
                }
            },
            sms_halalas_per_segment: parse(
                &get,
                "MUEEN_SMS_HALALAS_PER_SEGMENT",
                8,
                "halalas (a whole number)",
            )?,
            whatsapp: match (
                non_empty("MUEEN_WHATSAPP_PHONE_ID"),
                non_empty("MUEEN_WHATSAPP_TOKEN"),
                non_empty("MUEEN_WHATSAPP_APP_SECRET"),
                non_empty("MUEEN_WHATSAPP_VERIFY_TOKEN"),
            ) {
                (None, None, None, None) => None,
                (Some(phone_number_id), Some(token), Some(app_secret), Some(verify_token)) => {
                    Some(WhatsAppSettings {
                        graph_url: non_empty("MUEEN_WHATSAPP_URL")
                            .unwrap_or_else(|| "https://graph.facebook.com/v21.0".to_owned()),
                        phone_number_id: phone_number_id.trim().to_owned(),
                        token: Redacted(token.trim().to_owned()),
                        app_secret: Redacted(app_secret.trim().to_owned()),
                        verify_token: Redacted(verify_token.trim().to_owned()),
                        template_prefix: non_empty("MUEEN_WHATSAPP_TEMPLATE_PREFIX")
                            .unwrap_or_else(|| "mueen".to_owned()),
                    })
                }
                _ => {
                    return Err(ConfigError {
                        name: "MUEEN_WHATSAPP_PHONE_ID",
                        value: "(some set, some not)".to_owned(),
                        expected: "all of MUEEN_WHATSAPP_PHONE_ID, _TOKEN, _APP_SECRET and _VERIFY_TOKEN, or none",
                    })
                }
            },
        })
    }
}

fn parse<T: FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    expected: &'static str,
) -> Result<T, ConfigError> {
    match get(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(value) => value.trim().parse().map_err(|_| ConfigError {
            name,
            value,
            expected,
        }),
    }
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError {
            name,
            value: other.to_owned(),
            expected: "true or false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn defaults_need_no_environment() {
        let config = Config::from_lookup(|_| None).expect("defaults");
        assert_eq!(config.database_url, None);
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert!(config.seed_demo);
        assert_eq!(config.staff_idle_minutes, 30);
        assert_eq!(config.login_max_failures_per_account, 5);
    }

    #[test]
    fn s3_is_embedded_unless_a_bucket_and_its_credentials_are_given() {
        let lookup = |pairs: &[(&'static str, &'static str)]| {
            let env: HashMap<&str, &str> = pairs.iter().copied().collect();
            Config::from_lookup(|k| env.get(k).map(|v| v.to_string()))
        };
        let embedded = lookup(&[]).expect("defaults");
        assert!(embedded.s3.is_none());
        assert_eq!(embedded.max_upload_bytes, 20 * 1024 * 1024);
        let s3 = lookup(&[
            ("S3_BUCKET", "records"),
            ("S3_ENDPOINT", "https://s3.me-south-1.example"),
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("S3_SECRET_ACCESS_KEY", "SK"),
        ])
        .expect("external")
        .s3
        .expect("set");
        assert_eq!(
            (
                s3.bucket.as_str(),
                s3.region.as_str(),
                s3.access_key.as_str()
            ),
            ("records", "us-east-1", "AK")
        );
        assert_eq!(
            lookup(&[("S3_BUCKET", "records"), ("S3_ACCESS_KEY_ID", "AK")])
                .expect_err("no secret")
                .name,
            "S3_SECRET_ACCESS_KEY"
        );
        assert_eq!(
            lookup(&[("S3_ENDPOINT", "http://x")])
                .expect_err("no bucket")
                .name,
            "S3_ENDPOINT"
        );
        // The secret never reaches a log line through Debug.
        assert!(!format!("{s3:?}").contains("SK"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let env: HashMap<&str, &str> = [("MUEEN_SEED_DEMO", "maybe")].into();
        let err = Config::from_lookup(|k| env.get(k).map(|v| v.to_string())).expect_err("invalid");
        assert_eq!(err.name, "MUEEN_SEED_DEMO");
        let env: HashMap<&str, &str> = [("MUEEN_EMBEDDED_PG_PORT", "99999")].into();
        assert!(Config::from_lookup(|k| env.get(k).map(|v| v.to_string())).is_err());
    }

    #[test]
    fn proxy_hops_default_to_none_and_the_older_switch_means_one() {
        let lookup = |pairs: &[(&'static str, &'static str)]| {
            let env: HashMap<&str, &str> = pairs.iter().copied().collect();
            Config::from_lookup(|k| env.get(k).map(|v| v.to_string()))
        };
        assert_eq!(lookup(&[]).expect("defaults").trusted_proxy_hops, 0);
        let old = lookup(&[("MUEEN_TRUST_FORWARDED_FOR", "true")]).expect("old switch");
        assert_eq!(old.trusted_proxy_hops, 1);
        let two = lookup(&[("MUEEN_TRUSTED_PROXY_HOPS", "2")]).expect("hops");
        assert_eq!(two.trusted_proxy_hops, 2);
        assert!(lookup(&[("MUEEN_TRUSTED_PROXY_HOPS", "-1")]).is_err());
    }
}
