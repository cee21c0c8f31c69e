//! Start-up of attachments' storage: the configured S3 or the embedded store, and the data
//! keys from configuration or the key file.

use crate::embedded_s3::EmbeddedS3;
use app::kernel::config::Config;
use app::kernel::crypto::Keyring;
use app::kernel::storage::ObjectStore;
use app::records::service::attachments::Vault;
use std::sync::Arc;

/// The vault the app state carries, and the embedded store when one was started (it stops
/// when dropped).
pub struct Files {
    pub vault: Vault,
    pub embedded: Option<EmbeddedS3>,
}

/// The data keys: `MUEEN_DATA_KEYS`, else the key file under the data directory.
/// The index key (`index:base64`) is required: without it no national ID can be found.
pub fn keys(config: &Config) -> Result<Keyring, String> {
    let ring = match &config.data_keys {
        Some(text) => Keyring::parse(&text.0).map_err(|e| format!("MUEEN_DATA_KEYS: {e}"))?,
        None => Keyring::from_key_file(&config.data_dir.join("keys")).map_err(|e| e.to_string())?,
    };
    if !ring.has_index() {
        return Err(format!(
            "MUEEN_DATA_KEYS has no `{}:` entry (32 bytes, base64): the blind index of national \
             IDs needs it; add one and keep it for good",
            app::kernel::crypto::INDEX_ID
        ));
    }
    Ok(ring)
}

/// Opens storage. The embedded store must come up (it is ours); an external one that does not
/// answer yet is only warned about, since uploads then fail one by one with a clear message.
pub async fn open(config: &Config) -> Result<Files, String> {
    let keys = keys(config)?;
    let (settings, embedded) = match &config.s3 {
        Some(settings) => (settings.clone(), None),
        None => {
            let store = EmbeddedS3::start(&config.data_dir.join("objects"), 0).await?;
            (store.settings.clone(), Some(store))
        }
    };
    let store = ObjectStore::new(&settings);
    match (store.ensure_bucket().await, &embedded) {
        (Ok(()), _) => {}
        (Err(err), Some(_)) => return Err(format!("embedded object store: {err}")),
        (Err(err), None) => tracing::warn!(
            bucket = %settings.bucket,
            "object storage does not answer yet ({err}); uploads will fail until it does"
        ),
    }
    Ok(Files {
        vault: Vault {
            store: Arc::new(store),
            keys: Arc::new(keys),
            max_bytes: config.max_upload_bytes,
        },
        embedded,
    })
}
