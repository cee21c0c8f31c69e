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

/// Serves `router` on a free loopback port in this process and returns its address.
pub async fn listen(router: axum::Router) -> Res<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    Ok(addr)
}
