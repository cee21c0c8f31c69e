//! A real SMTP server for the tests, on loopback: the `mailin` crate's SMTP state machine over
//! tokio sockets. It keeps every message it accepts (envelope and raw text) and stops when
//! dropped. `refuse_next` makes it answer the next messages' DATA with a temporary failure, as a
//! mail server that is overloaded does.

use mailin::{response, Action, Handler, Response, SessionBuilder};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message's text (headers and body) as sent, line endings included.
    pub raw: String,
}

#[derive(Default)]
struct Inbox {
    messages: Mutex<Vec<Received>>,
    refuse: AtomicUsize,
    /// Milliseconds the sink waits before each reply, as a busy mail server does.
    delay_ms: AtomicU64,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    inbox: Arc<Inbox>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Session {
    inbox: Arc<Inbox>,
    current: Option<Received>,
}

impl Handler for Session {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        let left = self.inbox.refuse.load(Ordering::SeqCst);
        if left > 0 {
            self.inbox.refuse.store(left - 1, Ordering::SeqCst);
            return response::INTERNAL_ERROR;
        }
        self.current = Some(Received {
            from: from.to_owned(),
            to: to.to_vec(),
            raw: String::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(message) = &mut self.current {
            message.raw.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(message) = self.current.take() {
            self.inbox
                .messages
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(message);
        }
        response::OK
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the SMTP sink");
        let addr = listener.local_addr().expect("its address");
        let inbox = Arc::new(Inbox::default());
        let shared = inbox.clone();
        let task = tokio::spawn(async move {
            let mut sessions = tokio::task::JoinSet::new();
            while let Ok((socket, peer)) = listener.accept().await {
                let inbox = shared.clone();
                sessions.spawn(async move {
                    let _ = serve(socket, peer.ip(), inbox).await;
                });
            }
        });
        SmtpSink { addr, inbox, task }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox
            .messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits `per_reply` before each answer from now on.
    pub fn slow(&self, per_reply: std::time::Duration) {
        let ms = u64::try_from(per_reply.as_millis()).unwrap_or(u64::MAX);
        self.inbox.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Answers the next `count` messages with "451 try again later".
    pub fn refuse_next(&self, count: usize) {
        self.inbox.refuse.store(count, Ordering::SeqCst);
    }
}

async fn serve(
    socket: tokio::net::TcpStream,
    peer: IpAddr,
    inbox: Arc<Inbox>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let mut session = SessionBuilder::new("sink.test").build(
        peer,
        Session {
            inbox: inbox.clone(),
            current: None,
        },
    );
    write.write_all(&session.greeting().buffer()?).await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let answer = session.process(&line);
        let delay = inbox.delay_ms.load(Ordering::SeqCst);
        if delay > 0 && !matches!(answer.action, Action::NoReply) {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        }
        match answer.action {
            Action::NoReply => {}
            Action::Reply => write.write_all(&answer.buffer()?).await?,
            Action::Close | Action::UpgradeTls => {
                write.write_all(&answer.buffer()?).await?;
                return Ok(());
            }
        }
    }
}
