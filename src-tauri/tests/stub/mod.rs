//! A tiny hostile SPSE site over plain tokio, for what the sandbox, being
//! honest, never does: it enrolls anyone, answers every long poll at once,
//! moves its clock by 5 s on every other answer, and sends the logins a
//! test makes up (with any text, lifetimes and times). It counts the long
//! polls it was sent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The logins the site lists in answer `n` (from 0), at its time `now`
/// (Unix ms), for its `origin`.
pub type Logins = dyn Fn(u64, u64, &str) -> Vec<Value> + Send + Sync;

/// The hostile site; stopped when dropped.
pub struct Stub {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    polls: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    /// A site that answers every poll at once with no login.
    pub async fn start() -> Stub {
        Stub::start_with(|_, _, _| Vec::new()).await
    }

    /// A site that answers every poll at once with `logins`.
    pub async fn start_with(
        logins: impl Fn(u64, u64, &str) -> Vec<Value> + Send + Sync + 'static,
    ) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let polls = Arc::new(AtomicU64::new(0));
        let logins: Arc<Logins> = Arc::new(logins);
        let task = {
            let (base, polls) = (base.clone(), Arc::clone(&polls));
            tokio::spawn(async move {
                while let Ok((tcp, _)) = listener.accept().await {
                    let (base, polls, logins) =
                        (base.clone(), Arc::clone(&polls), Arc::clone(&logins));
                    tokio::spawn(async move {
                        let _ = serve(tcp, &base, &polls, &*logins).await;
                    });
                }
            })
        };
        Stub { base, polls, task }
    }

    /// How many `GET /challenges` it was sent.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// An SPSE payload enrolling `user` here (the site accepts any code).
    pub fn payload(&self, user: &str) -> String {
        let server: String = self
            .base
            .bytes()
            .map(|b| match b {
                b':' => "%3A".to_owned(),
                b'/' => "%2F".to_owned(),
                b => char::from(b).to_string(),
            })
            .collect();
        format!(
            "otpauth://totp/Hostile:{user}?secret=JBSWY3DPEHPK3PXP&issuer=Hostile\
             &spse={server}&enroll=Qm9kYS10b2tlbi1mb3ItcXIx"
        )
    }
}

/// A login for `user` as the site would list it.
pub fn login(tx: &str, user: &str, origin: &str, created: u64, expires: u64) -> Value {
    json!({
        "tx_id": tx, "nonce": "bm9uY2U", "user_id": user, "origin": origin,
        "ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/145.0",
        "created": created, "expires": expires, "number_match": false,
    })
}

fn now_ms() -> u64 {
    spse_protocol::now_ms()
}

/// One connection, one request (answered with `Connection: close`).
async fn serve(
    mut tcp: TcpStream,
    base: &str,
    polls: &AtomicU64,
    logins: &Logins,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = tcp.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        bytes.extend_from_slice(&buffer[..read]);
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while bytes.len() < head_end + length {
        let read = tcp.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
    let body: Value = serde_json::from_slice(&bytes[head_end..]).unwrap_or(Value::Null);
    let line = head.lines().next().unwrap_or_default();
    let now = now_ms();
    let (status, answer) = if line.starts_with("POST /authenticator/v1/enroll ") {
        let answer = json!({"server_time": now, "site_name": "Hostile",
            "user_id": body["user_id"], "status": "active"});
        ("200 OK", answer)
    } else if line.starts_with("GET /authenticator/v1/challenges?") {
        let n = polls.fetch_add(1, Ordering::Relaxed);
        let time = now + (n % 2) * 5_000;
        let answer = json!({"server_time": time, "challenges": logins(n, time, base)});
        ("200 OK", answer)
    } else {
        let answer = json!({"server_time": now, "error": "invalid_request", "message": "no"});
        ("400 Bad Request", answer)
    };
    let text = answer.to_string();
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{text}",
        text.len()
    );
    tcp.write_all(response.as_bytes()).await?;
    tcp.shutdown().await
}

/// A TCP relay in front of a real site that counts the long polls sent
/// through it (`GET /authenticator/v1/challenges`), for the sandbox, which
/// does not count them itself. An account enrolled through it
/// ([`Relay::payload`]) polls through it; its logins name the site's own
/// origin, which the app refuses from the relay's: for counting polls only.
pub struct Relay {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    target: String,
    polls: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Relay {
    /// A relay to `base` (`http://HOST:PORT`).
    pub async fn start(base: &str) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let target = base.trim_start_matches("http://").to_owned();
        let polls = Arc::new(AtomicU64::new(0));
        let task = {
            let (target, polls) = (target.clone(), Arc::clone(&polls));
            tokio::spawn(async move {
                while let Ok((inbound, _)) = listener.accept().await {
                    let (target, polls) = (target.clone(), Arc::clone(&polls));
                    tokio::spawn(async move {
                        let Ok(outbound) = TcpStream::connect(&target).await else {
                            return;
                        };
                        let (mut in_read, mut in_write) = inbound.into_split();
                        let (mut out_read, mut out_write) = outbound.into_split();
                        let upstream = async {
                            const NEEDLE: &[u8] = b"GET /authenticator/v1/challenges";
                            let mut seen: Vec<u8> = Vec::new();
                            let mut buffer = [0u8; 4096];
                            loop {
                                let read = in_read.read(&mut buffer).await?;
                                if read == 0 {
                                    return out_write.shutdown().await;
                                }
                                seen.extend_from_slice(&buffer[..read]);
                                let found =
                                    seen.windows(NEEDLE.len()).filter(|w| *w == NEEDLE).count();
                                polls.fetch_add(found as u64, Ordering::Relaxed);
                                // Keep what could begin a needle cut by the read.
                                let keep = seen.len().min(NEEDLE.len() - 1);
                                seen.drain(..seen.len() - keep);
                                out_write.write_all(&buffer[..read]).await?;
                            }
                        };
                        let downstream = tokio::io::copy(&mut out_read, &mut in_write);
                        let _ = tokio::join!(upstream, downstream);
                    });
                }
            })
        };
        Relay {
            base: format!("http://{address}"),
            target,
            polls,
            task,
        }
    }

    /// How many long polls went through.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// The site's `payload`, enrolling through the relay.
    pub fn payload(&self, payload: &str) -> String {
        let encoded = |address: &str| address.replace(':', "%3A");
        let relay = encoded(self.base.trim_start_matches("http://"));
        let through = payload
            .replace(&encoded(&self.target), &relay)
            .replace(&encoded(&self.target).replace("%3A", "%3a"), &relay);
        assert_ne!(through, payload, "the payload names {}", self.target);
        through
    }
}
