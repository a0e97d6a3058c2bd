//! A sandbox SPSE site on 127.0.0.1 for the CLI's tests, served by its own
//! runtime thread, and a browser that logs in to it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use spse_sandbox::{Config, Sandbox};
use tempfile::TempDir;

pub(crate) struct TestSite {
    pub(crate) base: String,
    /// With `start_tls`: the root certificate file (PEM) the CLI can trust.
    pub(crate) root_pem: Option<std::path::PathBuf>,
    root_der: Option<Vec<u8>>,
    runtime: tokio::runtime::Runtime,
    _dir: TempDir,
}

impl TestSite {
    pub(crate) fn start() -> TestSite {
        TestSite::start_with(None)
    }

    /// The sandbox over HTTPS, its certificate from a fresh root.
    pub(crate) fn start_tls() -> TestSite {
        TestSite::start_with(Some(
            spse_sandbox::SelfSigned::new("127.0.0.1".parse().unwrap()).unwrap(),
        ))
    }

    fn start_with(tls: Option<spse_sandbox::SelfSigned>) -> TestSite {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let address = listener.local_addr().unwrap();
        let base = match tls {
            Some(_) => spse_sandbox::https_base_url(address),
            None => spse_sandbox::http_base_url(address),
        };
        let sandbox = Sandbox::new(Config {
            db: dir.path().join("sandbox.db"),
            base_url: base.clone(),
            site_name: "LPSE Sandbox".into(),
            qr_ttl: Duration::from_secs(60),
            challenge_ttl: Duration::from_secs(60),
            push_limit: 5,
        })
        .unwrap();
        sandbox.seed_demo().unwrap();
        let (root_pem, root_der) = match tls {
            Some(tls) => {
                let path = dir.path().join("root.pem");
                std::fs::write(&path, &tls.root_pem).unwrap();
                let der = tls.root_der.clone();
                let router = sandbox.router();
                runtime.spawn(async move { tls.serve(listener, router).await });
                (Some(path), Some(der))
            }
            None => {
                let app = sandbox
                    .router()
                    .into_make_service_with_connect_info::<SocketAddr>();
                runtime.spawn(async move {
                    let _ = axum::serve(listener, app).await;
                });
                (None, None)
            }
        };
        TestSite {
            base,
            root_pem,
            root_der,
            runtime,
            _dir: dir,
        }
    }

    /// Logs `user` in; returns the browser and where the site sent it.
    pub(crate) fn login(&self, user: &str) -> (Browser<'_>, String) {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some(der) = &self.root_der {
            builder = builder.add_root_certificate(reqwest::Certificate::from_der(der).unwrap());
        }
        let http = builder.build().unwrap();
        let response = self
            .runtime
            .block_on(
                http.post(format!("{}/login", self.base))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("user_id={user}&password=latihan-{user}"))
                    .send(),
            )
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
                site: self,
                http,
                cookie,
            },
            location,
        )
    }

    /// A fresh Aktivasi payload for `user` (TOTP not yet active for them).
    pub(crate) fn payload(&self, user: &str) -> String {
        let (browser, _) = self.login(user);
        browser.get_text("/totp/aktivasi/payload")
    }

    /// "Reset TOTP" through the mailbox link.
    pub(crate) fn reset(&self, user: &str) {
        let http = reqwest::Client::new();
        self.runtime
            .block_on(
                http.post(format!("{}/totp/reset", self.base))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("user_id={user}"))
                    .send(),
            )
            .unwrap();
        let mailbox = self
            .runtime
            .block_on(async {
                http.post(format!("{}/mailbox", self.base))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("user_id={user}&password=latihan-{user}"))
                    .send()
                    .await?
                    .text()
                    .await
            })
            .unwrap();
        let start = mailbox.find("/totp/reset/confirm?token=").unwrap();
        let end = start + mailbox[start..].find('"').unwrap();
        let status = self
            .runtime
            .block_on(
                http.get(format!("{}{}", self.base, &mailbox[start..end]))
                    .send(),
            )
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
}

pub(crate) struct Browser<'a> {
    site: &'a TestSite,
    http: reqwest::Client,
    cookie: String,
}

impl Browser<'_> {
    pub(crate) fn get_text(&self, path: &str) -> String {
        self.site
            .runtime
            .block_on(async {
                self.http
                    .get(format!("{}{path}", self.site.base))
                    .header("cookie", &self.cookie)
                    .send()
                    .await?
                    .text()
                    .await
            })
            .unwrap()
    }

    pub(crate) fn status(&self) -> Value {
        serde_json::from_str(&self.get_text("/login/status")).unwrap()
    }
}

/// `spse-auth` with its vault in `dir` and no terminal on stdin.
pub(crate) fn cli(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spse-auth"));
    command.env("SPSE_AUTH_DATA_DIR", dir).stdin(Stdio::null());
    command
}

pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    cli(dir).args(args).output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs and expects success; the stdout.
pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}
