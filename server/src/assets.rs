//! The bundle's file names carry a hash of its content, so a browser may keep them for a year
//! without asking again, and a new release is fetched at once because its names differ.
//!
//! The build writes `mueen.js`, `mueen.wasm` and `mueen.css` (and their `.br`/`.gz` twins). At
//! start-up the server hashes the three together and renames the bundle in `LeptosOptions` to
//! `mueen.<hash>`: pages then link `/pkg/mueen.<hash>.js` (and `.wasm`, `.css`), and this
//! module maps those names back to the files on disk. One hash for the three keeps them a
//! matched set. Names without the current hash are served as before, revalidated on each use.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Uri},
    middleware::Next,
    response::Response,
};
use leptos::config::LeptosOptions;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// The parts of the bundle that share one hash, as the build names them.
const BUNDLE_EXTENSIONS: [&str; 3] = ["js", "wasm", "css"];

/// The hashed name of the bundle (`mueen.<hash>`) and the build's own (`mueen`).
#[derive(Debug, Clone)]
pub struct Fingerprint {
    pub plain: Arc<str>,
    pub hashed: Arc<str>,
}

/// Hashes the built bundle in `pkg_dir` and renames it in `options`. Without a built bundle
/// (a test that renders pages only) the options are left as they are and `None` is returned.
pub fn fingerprint(options: &mut LeptosOptions, pkg_dir: &Path) -> Option<Fingerprint> {
    let plain = options.output_name.clone();
    let mut hasher = Sha256::new();
    for ext in BUNDLE_EXTENSIONS {
        let bytes = std::fs::read(pkg_dir.join(format!("{plain}.{ext}"))).ok()?;
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize();
    let short = hex::encode(&digest[..8]);
    let hashed: Arc<str> = format!("{plain}.{short}").into();
    options.output_name = hashed.clone();
    Some(Fingerprint { plain, hashed })
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, no-cache";

/// In front of the `/pkg` files: a request for a hashed name is served from the build's file
/// and may be cached for good; anything else is revalidated on each use.
pub async fn hashed_names(
    State(fingerprint): State<Option<Fingerprint>>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut immutable = false;
    if let Some(fp) = &fingerprint {
        let path = req.uri().path();
        let name = path.trim_start_matches('/');
        if let Some(ext) = name
            .strip_prefix(fp.hashed.as_ref())
            .and_then(|rest| rest.strip_prefix('.'))
            .filter(|ext| BUNDLE_EXTENSIONS.contains(ext))
        {
            let plain = format!("/{}.{ext}", fp.plain);
            if let Ok(uri) = plain.parse::<Uri>() {
                *req.uri_mut() = uri;
                immutable = true;
            }
        }
    }
    let mut response = next.run(req).await;
    let cacheable = response.status().is_success() || response.status().as_u16() == 304;
    let policy = if immutable && cacheable {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// The error messages the form enhancer shows, one file per language at an address named by
/// its content (`app::kernel::i18n::error_messages_file`): kept by browsers for a year.
pub async fn error_messages(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    use app::kernel::i18n::{error_messages_file, Locale, MESSAGES_DIR};
    use axum::response::IntoResponse;
    let found = [Locale::Ar, Locale::En]
        .into_iter()
        .map(error_messages_file)
        .find(|m| m.path.strip_prefix(MESSAGES_DIR) == Some(file.as_str()));
    let Some(messages) = found else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        // Kept for the life of the process: served without a copy.
        messages.json.as_str(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("mueen").build()
    }

    #[test]
    fn the_name_follows_the_content_of_all_three_files() {
        let dir = std::env::temp_dir().join(format!("mueen-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for ext in BUNDLE_EXTENSIONS {
            std::fs::write(dir.join(format!("mueen.{ext}")), ext).expect("write");
        }
        let mut first = options();
        let a = fingerprint(&mut first, &dir).expect("bundle found");
        assert_eq!(&*a.plain, "mueen");
        assert_eq!(first.output_name, a.hashed);
        assert!(a.hashed.starts_with("mueen.") && a.hashed.len() == "mueen.".len() + 16);

        let mut same = options();
        assert_eq!(
            fingerprint(&mut same, &dir).map(|f| f.hashed),
            Some(a.hashed.clone())
        );

        std::fs::write(dir.join("mueen.css"), "changed").expect("write");
        let mut changed = options();
        let b = fingerprint(&mut changed, &dir).expect("bundle found");
        assert_ne!(
            a.hashed, b.hashed,
            "a change in the styles renames the bundle"
        );

        std::fs::remove_file(dir.join("mueen.wasm")).expect("remove");
        let mut missing = options();
        assert!(fingerprint(&mut missing, &dir).is_none());
        assert_eq!(&*missing.output_name, "mueen", "left as built");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
