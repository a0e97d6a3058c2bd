//! The poller never spins (F-01): two apps on one vault, whose polls end
//! each other's as the protocol says, a site that answers every long poll
//! at once, logins that wait; and a site whose clock jumps is not written
//! into the vault with every answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod stub;

use std::path::Path;
use std::time::{Duration, Instant};

use common::TestApp;
use spse_sandbox::testing::TestSite;
use stub::{Relay, Stub};

/// Enrolls through a preview of `payload`; the account id.
async fn enroll_payload(t: &TestApp, payload: &str) -> String {
    let preview = t.app.preview_text(payload).unwrap();
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    added.ids[0].clone()
}

/// A1: a second app on the same data folder (what the single-instance
/// plugin prevents on desktop, and what a copied vault does anyway). Each
/// poll ends the other's at once, against an honest site.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_vault_do_not_spin() {
    let site = TestSite::start().await;
    let relay = Relay::start(&site.base).await;
    let dir = tempfile::tempdir().unwrap();
    let a = TestApp::open(dir.path());
    enroll_payload(&a, &relay.payload(&site.payload("PPK2").await)).await;
    let b = TestApp::open_with(common::options(dir.path()), a.store.clone()).app;
    a.app.set_foreground(true);
    b.set_foreground(true);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = relay.polls();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let opened = relay.polls() - before;
    a.app.set_foreground(false);
    b.set_foreground(false);
    assert!(before >= 2, "both apps polled: {before}");
    assert!(opened < 10, "{opened} long polls in 5 s");
}

/// A site that does not hold long polls (or a proxy that cuts them) is
/// asked again on the back-off, not at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_answering_every_poll_at_once_is_not_asked_without_pause() {
    let site = Stub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2")).await;
    t.app.set_foreground(true);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let polls = site.polls();
    t.app.set_foreground(false);
    // 0 s (no wait), 0 s, 1 s, 3 s: the back-off doubles.
    assert!((2..8).contains(&polls), "{polls} polls in 5 s");
}

/// While a login waits, the site answers every poll at once: a second
/// between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_are_a_second_apart_while_a_login_waits() {
    let site = Stub::start_with(|_, now, origin| {
        vec![stub::login(
            "tx-1",
            "PPK2",
            origin,
            now - 1_000,
            now + 59_000,
        )]
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2")).await;
    t.app.set_foreground(true);
    t.wait_for("logins", Duration::from_secs(3), |v| {
        v.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let before = site.polls();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let polls = site.polls() - before;
    t.app.set_foreground(false);
    assert!((2..=5).contains(&polls), "{polls} polls in 4 s");
}

/// Identifies the file at `path` now (a save replaces it: new inode).
fn file_id(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt as _;
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.ino(), metadata.modified().ok()?))
}

/// The site's `server_time` moves 5 s back and forth with every answer:
/// the offset in memory follows, the vault is written at most once a
/// minute for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jumping_site_clock_is_saved_at_most_once_a_minute() {
    let site = Stub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll_payload(&t, &site.payload("PPK2")).await;
    let vault = dir.path().join("vault.json");
    let mut last = file_id(&vault).unwrap();
    let mut writes = 0;
    t.app.set_foreground(true);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if let Some(now) = file_id(&vault)
            && now != last
        {
            writes += 1;
            last = now;
        }
    }
    t.app.set_foreground(false);
    assert!(site.polls() >= 3, "the site was asked: {}", site.polls());
    assert!(writes <= 1, "{writes} vault writes in 5 s");
}
