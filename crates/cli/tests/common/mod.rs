//! The sandbox for the CLI's tests (`spse_sandbox::testing`, on a runtime
//! thread of its own) with synchronous calls, and the binary's runner.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use spse_sandbox::testing::{self, BlockingSite, Options};

#[allow(unused_imports)]
pub(crate) use spse_sandbox::testing::Fault;

/// A sandbox site with synchronous helpers.
pub(crate) struct TestSite(BlockingSite);

impl std::ops::Deref for TestSite {
    type Target = testing::TestSite;

    fn deref(&self) -> &testing::TestSite {
        &self.0.site
    }
}

impl TestSite {
    pub(crate) fn start() -> TestSite {
        TestSite(BlockingSite::start())
    }

    /// The sandbox over HTTPS, its certificate from a fresh root.
    pub(crate) fn start_tls() -> TestSite {
        TestSite::start_with(Options {
            tls: true,
            ..Options::default()
        })
    }

    pub(crate) fn start_with(options: Options) -> TestSite {
        TestSite(BlockingSite::start_with(options))
    }

    /// Logs `user` in; returns the browser and where the site sent it.
    pub(crate) fn login(&self, user: &str) -> (Browser<'_>, String) {
        let (browser, location) = self.0.block_on(self.0.site.login(user));
        (
            Browser {
                site: &self.0,
                browser,
            },
            location,
        )
    }

    /// A fresh Aktivasi payload for `user` (TOTP not yet active for them).
    pub(crate) fn payload(&self, user: &str) -> String {
        self.0.block_on(self.0.site.payload(user))
    }

    /// "Reset TOTP" through the mailbox link.
    pub(crate) fn reset(&self, user: &str) {
        self.0.block_on(self.0.site.reset(user));
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }
}

pub(crate) struct Browser<'a> {
    site: &'a BlockingSite,
    pub(crate) browser: testing::Browser,
}

impl Browser<'_> {
    pub(crate) fn get_text(&self, path: &str) -> String {
        self.site.block_on(self.browser.get_text(path))
    }

    pub(crate) fn status(&self) -> Value {
        self.site.block_on(self.browser.status())
    }

    pub(crate) fn disable_totp(&self) -> u16 {
        self.site
            .block_on(self.browser.disable_totp())
            .status()
            .as_u16()
    }
}

/// `spse-auth` with its vault in `dir` and no terminal on stdin.
pub(crate) fn cli(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spse-auth"));
    command
        .env("SPSE_AUTH_DATA_DIR", dir)
        .env_remove("SPSE_AUTH_TRUST_ROOT")
        .stdin(Stdio::null());
    command
}

pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    cli(dir).args(args).output().unwrap()
}

/// Runs with `input` on standard input (a payload after `-`).
pub(crate) fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = cli(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command refusing its arguments exits before reading: a broken pipe.
    let _ = std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes());
    child.wait_with_output().unwrap()
}

/// `spse-auth add - <args>` with `payload` on standard input, as README
/// shows (it keeps the secret out of `ps`).
pub(crate) fn add(dir: &Path, payload: &str, args: &[&str]) -> Output {
    let mut all = vec!["add", "-"];
    all.extend_from_slice(args);
    run_with_stdin(dir, &all, payload)
}

/// `add` that must succeed; the new account's id.
pub(crate) fn added(dir: &Path, payload: &str, args: &[&str]) -> String {
    let out = add(dir, payload, args);
    assert_eq!(out.status.code(), Some(0), "add: {}", text(&out.stderr));
    text(&out.stdout)
        .trim()
        .strip_prefix("added ")
        .unwrap()
        .to_owned()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `list --json`, parsed.
pub(crate) fn list(dir: &Path) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(dir, &["list", "--json"]))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
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
