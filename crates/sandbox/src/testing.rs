//! A sandbox on 127.0.0.1 for other crates' tests and benchmarks, and a
//! browser that uses its pages as a person would (feature `testing`): one
//! copy of what the client's, the accounts', the CLI's tests and the
//! protocol benchmark each used to write for themselves.
//!
//! [`TestSite`] serves on the caller's tokio runtime; [`BlockingSite`] owns
//! a runtime thread, for synchronous tests that drive a binary. Faults for
//! the tests that need them ([`Fault`]) are injected around the real
//! sandbox, never inside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use serde_json::Value;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::{Config, Sandbox, SelfSigned, http_base_url, https_base_url};

/// A fault injected around the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// None: the real sandbox.
    #[default]
    None,
    /// `POST /enroll` is carried out, but its answer never leaves: the app
    /// cannot tell whether it enrolled (a dropped connection, a crash).
    LoseEnrollReply,
    /// `POST /enroll` never reaches the sandbox.
    LoseEnrollRequest,
    /// `POST /enroll` is carried out, then its connection is reset (a TCP
    /// RST) without a byte of the answer: a phone switching networks, a
    /// proxy cutting the response. Unlike [`Fault::LoseEnrollReply`] the
    /// client learns at once that the connection broke, not that the site
    /// is slow. Plain HTTP only (the TLS listener is the sandbox's own).
    CutEnrollReply,
    /// A hostile site: every text it sends for people (site name, browser,
    /// IP, message) carries terminal escape sequences, and a decision's
    /// message says the opposite of its result.
    HostileText,
    /// A broken or hostile site answering about another user: the enrolled
    /// user and every waiting login's user ID are `pokja1`.
    OtherUser,
}

/// How to start a [`TestSite`].
#[derive(Debug, Clone)]
pub struct Options {
    /// How long an Aktivasi QR lives.
    pub qr_ttl: Duration,
    /// How long a login waits for the app.
    pub challenge_ttl: Duration,
    /// Push logins per user in 10 minutes.
    pub push_limit: u32,
    /// Serve HTTPS with a fresh root (see [`TestSite::root_der`]).
    pub tls: bool,
    /// Where to listen (port 0: any free one).
    pub listen: SocketAddr,
    /// A fault to inject.
    pub fault: Fault,
    /// The TLS handshake timeout.
    pub handshake_timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            qr_ttl: Duration::from_secs(60),
            challenge_ttl: Duration::from_secs(60),
            push_limit: 5,
            tls: false,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            fault: Fault::None,
            handshake_timeout: crate::HANDSHAKE_TIMEOUT,
        }
    }
}

/// A sandbox serving on loopback with the demo users, on the current tokio
/// runtime; stopped when dropped.
pub struct TestSite {
    /// Its base URL (`http://127.0.0.1:PORT`).
    pub base: String,
    /// The sandbox itself (for `push_login` and the like).
    pub sandbox: Sandbox,
    root_der: Option<Vec<u8>>,
    root_pem: Option<PathBuf>,
    server: tokio::task::JoinHandle<()>,
    /// Turned true to stop: ends the accept loop and every open connection.
    stopped: watch::Sender<bool>,
    dir: TempDir,
}

impl Drop for TestSite {
    fn drop(&mut self) {
        self.stop();
    }
}

impl TestSite {
    /// The sandbox with default options.
    pub async fn start() -> TestSite {
        TestSite::start_with(Options::default()).await
    }

    /// The sandbox with `options`.
    pub async fn start_with(options: Options) -> TestSite {
        assert!(
            !(options.tls && options.fault == Fault::CutEnrollReply),
            "Fault::CutEnrollReply cuts connections of the plain HTTP listener only"
        );
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind(options.listen).await.unwrap();
        let address = listener.local_addr().unwrap();
        let tls = options.tls.then(|| {
            SelfSigned::new(address.ip())
                .unwrap()
                .with_handshake_timeout(options.handshake_timeout)
        });
        let base = match tls {
            Some(_) => https_base_url(address),
            None => http_base_url(address),
        };
        let sandbox = Sandbox::new(Config {
            db: dir.path().join("sandbox.db"),
            base_url: base.clone(),
            site_name: "LPSE Sandbox".into(),
            qr_ttl: options.qr_ttl,
            challenge_ttl: options.challenge_ttl,
            push_limit: options.push_limit,
        })
        .unwrap();
        sandbox.seed_demo().unwrap();
        let router = with_fault(sandbox.router(), options.fault);
        let (stopped, stop_signal) = watch::channel(false);
        let (root_der, root_pem, server) = match tls {
            Some(tls) => {
                let path = dir.path().join("root.pem");
                std::fs::write(&path, &tls.root_pem).unwrap();
                let der = tls.root_der.clone();
                let server = tokio::spawn(async move {
                    tls.serve_until(listener, router, stop_signal).await;
                });
                (Some(der), Some(path), server)
            }
            None => {
                let resets = options.fault == Fault::CutEnrollReply;
                let server = tokio::spawn(serve_http(listener, router, stop_signal, resets));
                (None, None, server)
            }
        };
        TestSite {
            base,
            sandbox,
            root_der,
            root_pem,
            server,
            stopped,
            dir,
        }
    }

    /// The root an HTTPS site's certificate chains to (DER).
    pub fn root_der(&self) -> Option<&[u8]> {
        self.root_der.as_deref()
    }

    /// The same root as a PEM file, for `--trust-root`.
    pub fn root_pem(&self) -> Option<&Path> {
        self.root_pem.as_deref()
    }

    /// A scratch folder that lives as long as the site.
    pub fn scratch(&self) -> &Path {
        self.dir.path()
    }

    /// Stops serving (the site is down): no new connection is taken and
    /// the open ones end, so a client's kept-alive connection fails too;
    /// the database stays.
    pub fn stop(&self) {
        let _ = self.stopped.send(true);
        self.server.abort();
    }

    /// A browser's HTTP client for this site (trusting its root, not
    /// following redirects, a Firefox User-Agent).
    pub fn http(&self) -> reqwest::Client {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mozilla/5.0 (test) Firefox/145.0");
        if let Some(der) = &self.root_der {
            builder = builder.add_root_certificate(reqwest::Certificate::from_der(der).unwrap());
        }
        builder.build().unwrap()
    }

    /// Logs `user` in with the demo password; the browser and where the
    /// site sent it (`/beranda`, `/login/wait`, `/login/code`).
    pub async fn login(&self, user: &str) -> (Browser, String) {
        let http = self.http();
        let response = http
            .post(format!("{}/login", self.base))
            .form(&[("user_id", user), ("password", &format!("latihan-{user}"))])
            .send()
            .await
            .unwrap();
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        (
            Browser {
                http,
                base: self.base.clone(),
                cookie,
            },
            location,
        )
    }

    /// A fresh Aktivasi payload's text for `user` (logged in on a browser
    /// of its own).
    pub async fn payload(&self, user: &str) -> String {
        let (browser, location) = self.login(user).await;
        assert_eq!(location, "/beranda", "{user} has TOTP on already");
        browser.get_text("/totp/aktivasi/payload").await
    }

    /// "Reset TOTP" as a user without their phone: asks for the mail, opens
    /// the mailbox with its own password, follows the link, confirms.
    pub async fn reset(&self, user: &str) {
        let http = self.http();
        http.post(format!("{}/totp/reset", self.base))
            .form(&[("user_id", user)])
            .send()
            .await
            .unwrap();
        let mailbox = http
            .post(format!("{}/mailbox", self.base))
            .form(&[("user_id", user), ("password", &format!("surat-{user}"))])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start = mailbox
            .find("/totp/reset/confirm?token=")
            .expect("a reset mail");
        let end = start + mailbox[start..].find('"').unwrap();
        let token = mailbox[start..end].trim_start_matches("/totp/reset/confirm?token=");
        let confirm = http
            .get(format!("{}{}", self.base, &mailbox[start..end]))
            .send()
            .await
            .unwrap();
        assert_eq!(confirm.status(), 200);
        let done = http
            .post(format!("{}/totp/reset/confirm", self.base))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 200);
        assert!(done.text().await.unwrap().contains("telah direset"));
    }
}

/// Ends one connection from inside a request's handling (the router's
/// [`Fault`] layer), as the network would: the connection's task drops it.
#[derive(Clone)]
struct Cut(Arc<Notify>);

/// Serves `router` over plain HTTP until `stopped` turns true, which also
/// ends the open connections (axum's own `serve` would keep serving them).
/// With `resets`, a connection ended by its [`Cut`] is reset (RST), not
/// closed.
async fn serve_http(
    listener: TcpListener,
    router: Router,
    stopped: watch::Receiver<bool>,
    resets: bool,
) {
    let mut watching = stopped.clone();
    loop {
        // Stopped first (`biased`): once stopped, a connection waiting in
        // the backlog is never taken, so a test's "site down" is down.
        let accepted = tokio::select! {
            biased;
            _ = watching.wait_for(|stopped| *stopped) => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((tcp, peer)) = accepted else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        // A second handle on the socket, to set SO_LINGER 0 on it when the
        // connection is cut (hyper owns the stream by then): the last close
        // then sends a reset.
        let (tcp, spare) = if resets {
            let std = tcp.into_std().unwrap();
            let spare = std.try_clone().unwrap();
            (tokio::net::TcpStream::from_std(std).unwrap(), Some(spare))
        } else {
            (tcp, None)
        };
        let cut = Cut(Arc::new(Notify::new()));
        let app = router
            .clone()
            .layer(axum::Extension(cut.clone()))
            .layer(axum::Extension(ConnectInfo::<SocketAddr>(peer)));
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let builder = Builder::new(TokioExecutor::new());
            let connection =
                builder.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(app));
            tokio::select! {
                biased;
                _ = stopped.wait_for(|stopped| *stopped) => {}
                _ = connection => {}
                () = cut.0.notified() => {
                    if let Some(spare) = &spare {
                        tokio::net::TcpSocket::from_std_stream(spare.try_clone().unwrap())
                            .set_zero_linger()
                            .unwrap();
                    }
                }
            }
            // The connection (and its stream) is dropped by now; the spare
            // handle is the socket's last.
            drop(spare);
        });
    }
}

/// A logged-in browser: its cookie, and forms posted with the session's
/// CSRF token as the pages carry it.
#[derive(Clone)]
pub struct Browser {
    /// Its HTTP client.
    pub http: reqwest::Client,
    base: String,
    /// `sid=...`.
    pub cookie: String,
}

impl Browser {
    /// GET `path` with the session cookie.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    /// GET `path`'s text.
    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// `/login/status` as JSON (`state`, `number`).
    pub async fn status(&self) -> Value {
        self.get("/login/status").await.json().await.unwrap()
    }

    /// `/login/status?wait=1` as JSON: held open, as the waiting page holds
    /// it, until the login is decided or expires.
    pub async fn held_status(&self) -> Value {
        self.get("/login/status?wait=1").await.json().await.unwrap()
    }

    /// The CSRF token a page at `path` carries.
    pub async fn csrf(&self, path: &str) -> String {
        let page = self.get_text(path).await;
        let start = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        let end = start + page[start..].find('"').unwrap();
        page[start..end].to_owned()
    }

    /// POSTs a form to `path` with `fields` and the CSRF token from `from`.
    pub async fn post_form(
        &self,
        path: &str,
        from: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = self.csrf(from).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Types a code on the code page.
    pub async fn post_code(&self, code: &str) -> reqwest::Response {
        self.post_form("/login/code", "/login/code", &[("code", code)])
            .await
    }

    /// Presses Disable TOTP on Beranda.
    pub async fn disable_totp(&self) -> reqwest::Response {
        self.post_form("/totp/disable", "/beranda", &[]).await
    }
}

/// A [`TestSite`] with a runtime of its own, for synchronous tests.
pub struct BlockingSite {
    /// The site (drop it before the runtime: field order).
    pub site: TestSite,
    /// Its runtime.
    pub runtime: tokio::runtime::Runtime,
}

impl BlockingSite {
    /// Starts the sandbox with `options` on a one-worker runtime.
    pub fn start_with(options: Options) -> BlockingSite {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let site = runtime.block_on(TestSite::start_with(options));
        BlockingSite { site, runtime }
    }

    /// Starts the sandbox with default options.
    pub fn start() -> BlockingSite {
        BlockingSite::start_with(Options::default())
    }

    /// Runs a future of the site's on its runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

impl std::ops::Deref for BlockingSite {
    type Target = TestSite;

    fn deref(&self) -> &TestSite {
        &self.site
    }
}

/// What a hostile site puts in text for people.
pub const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}DITOLAK";

fn with_fault(router: Router, fault: Fault) -> Router {
    if fault == Fault::None {
        return router;
    }
    let fault = Arc::new(fault);
    router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let fault = Arc::clone(&fault);
        async move {
            let enroll = request.uri().path().ends_with("/authenticator/v1/enroll");
            match (*fault, enroll) {
                (Fault::LoseEnrollRequest, true) => std::future::pending::<Response>().await,
                (Fault::LoseEnrollReply, true) => {
                    let _ = next.run(request).await;
                    std::future::pending::<Response>().await
                }
                (Fault::CutEnrollReply, true) => {
                    let cut = request.extensions().get::<Cut>().cloned().unwrap();
                    let _ = next.run(request).await;
                    cut.0.notify_one();
                    std::future::pending::<Response>().await
                }
                (Fault::HostileText | Fault::OtherUser, _)
                    if request.uri().path().starts_with("/authenticator/v1/") =>
                {
                    rewrite(next.run(request).await, *fault).await
                }
                _ => next.run(request).await,
            }
        }
    }))
}

/// The answer with its JSON rewritten as `fault` says.
async fn rewrite(response: Response, fault: Fault) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let Ok(mut json) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let hostile = |value: &mut Value| {
        if let Some(text) = value.as_str() {
            *value = Value::String(format!("{HOSTILE}{text}"));
        }
    };
    match fault {
        Fault::HostileText => {
            for key in ["site_name", "message"] {
                if let Some(value) = json.get_mut(key) {
                    hostile(value);
                }
            }
            if let Some(challenges) = json.get_mut("challenges").and_then(Value::as_array_mut) {
                for challenge in challenges {
                    for key in ["ip", "user_agent"] {
                        hostile(&mut challenge[key]);
                    }
                }
            }
        }
        Fault::OtherUser => {
            if json.get("user_id").is_some() {
                json["user_id"] = Value::from("pokja1");
            }
            if let Some(challenges) = json.get_mut("challenges").and_then(Value::as_array_mut) {
                for challenge in challenges {
                    challenge["user_id"] = Value::from("pokja1");
                }
            }
        }
        _ => {}
    }
    let bytes = serde_json::to_vec(&json).unwrap();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
