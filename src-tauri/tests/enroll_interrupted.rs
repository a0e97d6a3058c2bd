//! Review finding F-05 in the app: a connection that breaks after the site
//! took `POST /enroll` is no proof that the request never left, so
//! `confirm_add` never deletes the account (and its device key) the site
//! may hold: it asks the site, or keeps the account pending when the site
//! cannot be asked. Over a temporary vault (keystore mocked) and the
//! sandbox on loopback with a fault around it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::time::Duration;

use common::TestApp;
use spse_auth_app::error::ErrorCode;
use spse_sandbox::testing::{Fault, Options, TestSite};

async fn start(fault: Fault) -> TestSite {
    TestSite::start_with(Options {
        fault,
        ..Options::default()
    })
    .await
}

/// The connection is reset once the site has enrolled the device, before a
/// byte of its answer: the app asks the site, which knows the device, and
/// the account is added as any other (before, it was taken for "site
/// unreachable" and deleted with its key).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_after_the_site_enrolled_keeps_the_account() {
    let site = start(Fault::CutEnrollReply).await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(&site.payload("PPK2").await).unwrap();
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    assert_eq!(added.server.as_deref(), Some(site.base.as_str()));
    assert_eq!(added.user.as_deref(), Some("PPK2"));
    assert_eq!(added.site_name, None, "the answer with the name was cut");

    let vault = t.other_process(dir.path());
    let stored = vault.get(&added.ids[0]).expect("the account is kept");
    assert_eq!(stored.account.name(), "PPK2");
    assert!(!stored.is_pending(), "settled as enrolled");
    let (_, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait", "the site holds its device");
}

/// Test A7 of the review: the site has enrolled the device and holds its
/// answer; then it stops, which ends the held connection (the client sees
/// it closed, not timed out). The site cannot be asked, so the account is
/// kept pending, to be settled at the next start, and the UI is told so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_cut_after_enrolling_keeps_the_account() {
    let site = start(Fault::LoseEnrollReply).await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(&site.payload("PPK2").await).unwrap();
    let app = t.app.clone();
    let adding = tokio::spawn(async move { app.confirm_add(&preview.handle, true, false).await });
    let mut enrolled = false;
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        if site.login("PPK2").await.1 == "/login/wait" {
            enrolled = true;
            break;
        }
    }
    assert!(enrolled, "the site never enrolled the device");
    site.stop();
    let error = adding
        .await
        .unwrap()
        .expect_err("the site cannot confirm it");
    assert_eq!(error.code(), ErrorCode::EnrollmentUnsettled, "{error:?}");

    let vault = t.other_process(dir.path());
    let kept: Vec<_> = vault
        .accounts()
        .iter()
        .filter(|a| a.account.name() == "PPK2")
        .collect();
    assert_eq!(
        kept.len(),
        1,
        "the account whose device the site holds was deleted"
    );
    assert!(kept[0].is_pending(), "kept pending until the site answers");
}
