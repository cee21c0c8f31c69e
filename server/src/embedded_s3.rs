//! The S3-protocol store Mu'een runs in its own process when no S3 is configured: `s3s-fs`
//! keeps objects as files under the data directory and `s3s` speaks the protocol on a loopback
//! port, so the app reaches it through `aws-sdk-s3` exactly as it would reach any S3. The
//! credentials are random for each start: nothing else on the machine can use the port.

use app::kernel::storage::S3Settings;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use std::{net::SocketAddr, path::Path};
use tokio::task::JoinSet;

/// The bucket attachments go to in the embedded store.
pub const BUCKET: &str = "mueen-records";

/// A running store; stopping it (or dropping it) closes the port and every open connection.
pub struct EmbeddedS3 {
    pub settings: S3Settings,
    pub addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl EmbeddedS3 {
    /// Serves the objects under `root` on 127.0.0.1 (`port` 0 picks a free one).
    pub async fn start(root: &Path, port: u16) -> Result<Self, String> {
        std::fs::create_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let fs = s3s_fs::FileSystem::new(root).map_err(|e| format!("s3s-fs: {e:?}"))?;
        let access_key = format!("mueen-{}", uuid::Uuid::new_v4().simple());
        let secret_key = uuid::Uuid::new_v4().simple().to_string();
        let service = {
            let mut builder = S3ServiceBuilder::new(fs);
            builder.set_auth(SimpleAuth::from_single(
                access_key.as_str(),
                secret_key.as_str(),
            ));
            builder.build()
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| format!("embedded S3 could not listen on port {port}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("embedded S3: {e}"))?;
        let server = tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            // Connections live in the set, so aborting this task closes them all.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((socket, _)) => {
                            let conn = http
                                .serve_connection(TokioIo::new(socket), service.clone())
                                .into_owned();
                            connections.spawn(async move {
                                let _ = conn.await;
                            });
                        }
                        Err(err) => tracing::warn!("embedded S3: accept failed: {err}"),
                    },
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Ok(Self {
            settings: S3Settings {
                endpoint: Some(format!("http://{addr}")),
                bucket: BUCKET.into(),
                region: "us-east-1".into(),
                access_key,
                secret_key,
            },
            addr,
            server,
        })
    }

    pub fn stop(&self) {
        self.server.abort();
    }
}

impl Drop for EmbeddedS3 {
    fn drop(&mut self) {
        self.server.abort();
    }
}
