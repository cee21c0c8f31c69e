//! What the benchmarks share: their data set and a throw-away database.

pub mod seed;

pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// `url` with its database name replaced by `db`.
pub fn with_db(url: &str, db: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{db}"),
        None => url.to_owned(),
    }
}
