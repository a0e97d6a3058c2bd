//! Prompts that find the user (issue 19), against the real sandbox over
//! loopback: on desktop the polls go on while the window is hidden and a
//! login is told by an OS notification, withdrawn once answered or
//! expired; the first close to the tray is said once; the start at login
//! is set before it is saved. On phones each site is told its account's
//! push endpoint (`PUT /push`), and a login then reaches it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{Notice, TestApp, options};
use spse_auth_app::app::TRAY_NOTICE;
use spse_auth_app::views::DecisionView;
use spse_protocol::wire::Decision;
use spse_sandbox::testing::{Options, TestSite};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// An app as on desktop: hidden, polling from the tray, the user not
/// looking.
fn hidden_desktop(dir: &std::path::Path) -> TestApp {
    let mut options = options(dir);
    options.poll_hidden = true;
    TestApp::open_with(options, keyring_core::mock::Store::new().unwrap())
}

async fn enroll(t: &TestApp, site: &TestSite, user: &str) -> String {
    let preview = t.app.preview_text(&site.payload(user).await).unwrap();
    t.app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap()
        .ids[0]
        .clone()
}

/// Waits up to `within` for the notices to satisfy `test`.
async fn notices_until(t: &TestApp, within: Duration, test: impl Fn(&[Notice]) -> bool) {
    let start = Instant::now();
    loop {
        if test(&t.host.notices.lock().unwrap()) {
            return;
        }
        assert!(
            start.elapsed() < within,
            "not within {within:?}: {:?}",
            t.host.notices.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn shown(notices: &[Notice]) -> Vec<(i32, String, String)> {
    notices
        .iter()
        .filter_map(|n| match n {
            Notice::Shown(id, title, body) => Some((*id, title.clone(), body.clone())),
            Notice::Withdrawn(_) => None,
        })
        .collect()
}

/// Hidden, a login reaches the user within a second by a notification
/// naming the account and the site, never its number; answered, it is
/// withdrawn. A notification is shown once per login, however often the
/// site lists it.
#[tokio::test(flavor = "multi_thread")]
async fn a_login_while_hidden_is_notified_and_withdrawn_once_answered() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = hidden_desktop(dir.path());
    let id = enroll(&t, &site, "PPK2").await;
    t.app.start().await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let asked = Instant::now();
    notices_until(&t, Duration::from_secs(2), |n| !shown(n).is_empty()).await;
    let took = asked.elapsed();
    let (notice, title, body) = shown(&t.host.notices.lock().unwrap())[0].clone();
    assert!(title.starts_with("Permintaan login: PPK2 di "), "{title}");
    assert!(body.contains("127.0.0.1"), "the checked address: {body}");
    let login = t.app.check_logins(None).await.unwrap().remove(0);
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    for text in [&title, &body] {
        assert!(!text.contains(&format!(" {number}")), "no number: {text}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(shown(&t.host.notices.lock().unwrap()).len(), 1, "once");

    t.app
        .decide(&id, &login.tx, DecisionView::Approve, Some(&number))
        .await
        .unwrap();
    notices_until(&t, Duration::from_secs(1), |n| {
        n.contains(&Notice::Withdrawn(notice))
    })
    .await;
    t.app.set_foreground(false);
    println!("login -> notification (hidden, in-process): {took:?}");
}

/// A login answered elsewhere (the CLI, on the same vault) is withdrawn
/// once the site no longer lists it.
#[tokio::test(flavor = "multi_thread")]
async fn a_login_answered_elsewhere_is_withdrawn() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = hidden_desktop(dir.path());
    let id = enroll(&t, &site, "PPK2").await;
    t.app.start().await;
    let (browser, _) = site.login("PPK2").await;
    notices_until(&t, Duration::from_secs(2), |n| !shown(n).is_empty()).await;
    let notice = shown(&t.host.notices.lock().unwrap())[0].0;

    let vault = t.other_process(dir.path());
    let stored = vault.get(&id).unwrap().clone();
    let (server, device) = spse_accounts::sites::device_of(&stored).unwrap().unwrap();
    let client = spse_client::Client::new().unwrap().with_cleartext(true);
    let waiting = client.pending(&server, &device, 0).await.unwrap();
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    client
        .decide(
            &server,
            &device,
            &waiting[0],
            Decision::Approve,
            Some(&number),
        )
        .await
        .unwrap();
    notices_until(&t, Duration::from_secs(4), |n| {
        n.contains(&Notice::Withdrawn(notice))
    })
    .await;
    t.app.set_foreground(false);
}

/// A login that expires, or that another device answered, is withdrawn;
/// with the window in view nothing is notified (the sheet shows it).
#[tokio::test(flavor = "multi_thread")]
async fn an_expired_login_is_withdrawn_and_none_is_shown_in_view() {
    let site = TestSite::start_with(Options {
        challenge_ttl: Duration::from_secs(2),
        ..Options::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let t = hidden_desktop(dir.path());
    enroll(&t, &site, "PPK2").await;
    t.app.start().await;
    site.login("PPK2").await;
    notices_until(&t, Duration::from_secs(2), |n| !shown(n).is_empty()).await;
    let notice = shown(&t.host.notices.lock().unwrap())[0].0;
    notices_until(&t, Duration::from_secs(6), |n| {
        n.contains(&Notice::Withdrawn(notice))
    })
    .await;

    t.host.in_view.store(true, Ordering::SeqCst);
    t.app.set_foreground(true);
    site.login("PPK2").await;
    t.wait_for("logins", Duration::from_secs(3), |v| {
        v.as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    assert_eq!(shown(&t.host.notices.lock().unwrap()).len(), 1);
    t.app.set_foreground(false);
}

/// The first close to the tray says so once, ever: a second close, or the
/// app started again, says nothing.
#[test]
fn the_first_close_to_the_tray_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    t.app.closed_to_tray();
    t.app.closed_to_tray();
    let again = TestApp::open(dir.path());
    again.app.closed_to_tray();
    let told = shown(&t.host.notices.lock().unwrap());
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, TRAY_NOTICE);
    assert!(told[0].2.contains("Keluar"), "{}", told[0].2);
    assert!(again.host.notices.lock().unwrap().is_empty());
}

/// The start at login is set on the system before the setting is saved:
/// refused, the setting stays off, on disk too.
#[test]
fn the_start_at_login_is_set_before_it_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let mut settings = t.app.settings();
    assert!(settings.close_to_tray && !settings.start_at_login);
    settings.start_at_login = true;
    t.host.autostart_fails.store(true, Ordering::SeqCst);
    assert!(t.app.set_settings(settings).is_err());
    assert!(!t.app.settings().start_at_login);
    assert!(!TestApp::open(dir.path()).app.settings().start_at_login);

    t.host.autostart_fails.store(false, Ordering::SeqCst);
    t.app.set_settings(settings).unwrap();
    settings.close_to_tray = false;
    t.app.set_settings(settings).unwrap();
    assert_eq!(*t.host.autostart.lock().unwrap(), vec![true], "set once");
    let reopened = TestApp::open(dir.path()).app.settings();
    assert!(reopened.start_at_login && !reopened.close_to_tray);
}

/// On a phone, "Selalu aktif" (no push distributor): the service starts,
/// the polls go on while hidden and a login is notified; turned off, the
/// service stops and so do the hidden polls. Started again with it on, the
/// service is started at once.
#[tokio::test(flavor = "multi_thread")]
async fn always_on_keeps_a_hidden_phone_polling_and_notifying() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    enroll(&t, &site, "PPK2").await;
    t.app.start().await;
    site.login("PPK2").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        shown(&t.host.notices.lock().unwrap()).is_empty(),
        "hidden, no polls"
    );

    let mut settings = t.app.settings();
    settings.always_on = true;
    t.app.set_settings(settings).unwrap();
    assert_eq!(*t.host.always_on.lock().unwrap(), vec![true]);
    notices_until(&t, Duration::from_secs(3), |n| !shown(n).is_empty()).await;

    settings.always_on = false;
    t.app.set_settings(settings).unwrap();
    assert_eq!(*t.host.always_on.lock().unwrap(), vec![true, false]);
    let before = shown(&t.host.notices.lock().unwrap()).len();
    site.login("PPK2").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        shown(&t.host.notices.lock().unwrap()).len(),
        before,
        "polls ended"
    );

    settings.always_on = true;
    t.app.set_settings(settings).unwrap();
    t.app.set_foreground(false);
    let store = Arc::clone(&t.store);
    drop(t);
    let again = TestApp::open_with(options(dir.path()), store);
    assert_eq!(*again.host.always_on.lock().unwrap(), vec![true]);
}

/// A push service on loopback: the path of every POST it gets.
async fn push_service() -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let n = tcp.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Some(path) = head.split(' ').nth(1) {
                    let _ = tx.send(path.to_owned());
                }
                let _ = tcp
                    .write_all(
                        b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
            });
        }
    });
    (base, rx)
}

/// On a phone: at start the connector is handed each enrolled account with
/// its site's VAPID key, the site is told the endpoint it got (`PUT
/// /push`), and a login then wakes it; started again, the site is told
/// again; an endpoint it already has is not sent twice in one run.
#[tokio::test(flavor = "multi_thread")]
async fn each_start_registers_the_push_endpoints_and_a_login_reaches_them() {
    let site = TestSite::start().await;
    let (base, mut pushes) = push_service().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    *t.host.push_base.lock().unwrap() = Some(base.clone());
    let id = enroll(&t, &site, "PPK2").await;

    assert_eq!(t.app.push_sync(true).await, 1, "told at once");
    let wanted = t.host.subscribed.lock().unwrap().last().cloned().unwrap();
    assert_eq!(wanted.len(), 1);
    assert_eq!(wanted[0].instance, id);
    assert_eq!(wanted[0].vapid_key.len(), 87, "b64u of 65 bytes");
    assert_eq!(t.app.push_sync(false).await, 0, "not twice in a run");

    site.login("PPK2").await;
    let path = tokio::time::timeout(Duration::from_secs(3), pushes.recv())
        .await
        .expect("a push within 3 s")
        .unwrap();
    assert_eq!(path, format!("/{id}"));

    // Started again on the same vault: told again.
    let store = Arc::clone(&t.store);
    t.app.set_foreground(false);
    drop(t);
    let again = TestApp::open_with(options(dir.path()), store);
    *again.host.push_base.lock().unwrap() = Some(base);
    assert_eq!(again.app.push_sync(true).await, 1, "told after a start");
}
