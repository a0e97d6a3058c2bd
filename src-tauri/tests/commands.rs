//! Every command over a temporary vault (keystore mocked) and the sandbox
//! SPSE site on loopback: adding from text and pictures, codes, logins
//! approved with the number, denied and reported, the poller, deleting
//! after a reset, the error codes, and no secret in any answer or event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::time::{Duration, Instant};

use common::{TestApp, qr_picture, qr_png};
use serde_json::Value;
use spse_auth_app::error::{AppError, ErrorCode};
use spse_auth_app::views::{
    DecisionView, Language, ManualKind, RemovalCheck, RestoredFrom, Settings, Theme,
};
use spse_otp::Payload;
use spse_sandbox::testing::TestSite;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

fn code(result: Result<impl std::fmt::Debug, AppError>) -> ErrorCode {
    result.expect_err("must be refused").code()
}

/// Enrolls `user` through a preview of the site's QR text; the account id.
async fn enroll(t: &TestApp, site: &TestSite, user: &str) -> String {
    let preview = t.app.preview_text(&site.payload(user).await).unwrap();
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    added.ids[0].clone()
}

/// The 30 s clear goes through the host (Android clears without reading);
/// the default host clears only the code it copied, never a newer copy.
#[tokio::test(start_paused = true)]
async fn a_copied_code_is_cleared_after_30_s_unless_something_else_was_copied() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(GITHUB).unwrap();
    let id = t
        .app
        .confirm_add(&preview.handle, false, false)
        .await
        .unwrap()
        .ids[0]
        .clone();
    let clipboard = || t.host.clipboard.lock().unwrap().clone();

    t.app.copy_code(&id).unwrap();
    let copied = clipboard().unwrap();
    assert_eq!(copied.len(), 6);
    tokio::time::sleep(spse_auth_app::app::CLIPBOARD_TTL - Duration::from_secs(1)).await;
    assert_eq!(
        clipboard().as_deref(),
        Some(copied.as_str()),
        "still there at 29 s"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(clipboard().as_deref(), Some(""), "cleared after 30 s");

    t.app.copy_code(&id).unwrap();
    *t.host.clipboard.lock().unwrap() = Some("the user's own text".into());
    tokio::time::sleep(spse_auth_app::app::CLIPBOARD_TTL + Duration::from_secs(1)).await;
    assert_eq!(clipboard().as_deref(), Some("the user's own text"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_spse_qr_enrolls_after_confirmation_and_gives_codes() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(&site.payload("PPK2").await).unwrap();
    assert_eq!(preview.kind, "spse");
    assert_eq!(preview.server.as_deref(), Some(site.base.as_str()));
    assert!(preview.training, "plain http on loopback");
    assert_eq!(preview.replaces, Vec::new());
    assert_eq!(preview.accounts[0].name, "PPK2");
    // A training server needs the user's word first; the preview stays.
    assert_eq!(
        code(t.app.confirm_add(&preview.handle, false, false).await),
        ErrorCode::NeedsConfirmation
    );
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    assert_eq!(added.server.as_deref(), Some(site.base.as_str()));
    assert_eq!(added.site_name.as_deref(), Some("LPSE Sandbox"));
    assert_eq!(added.user.as_deref(), Some("PPK2"));
    assert_eq!(
        code(t.app.confirm_add(&preview.handle, true, false).await),
        ErrorCode::PreviewGone
    );
    assert!(!t.host.named("accounts-changed").is_empty());

    let accounts = t.app.accounts().unwrap();
    assert_eq!(accounts.sites.len(), 1);
    assert_eq!(accounts.sites[0].name.as_deref(), Some("LPSE Sandbox"));
    let account = &accounts.accounts[0];
    assert_eq!(account.id, added.ids[0]);
    assert!(account.enrolled && !account.pending);
    assert_eq!(
        (account.kind, account.digits, account.period),
        ("totp", 6, Some(30))
    );

    let codes = t.app.codes().unwrap();
    let c = &codes.codes[0];
    assert_eq!(c.code.len(), 6);
    assert_eq!(c.next.as_ref().unwrap().len(), 6);
    let until = c.valid_until.unwrap();
    assert!(until > codes.now && until <= codes.now + 30_000);
    t.app.copy_code(&account.id).unwrap();
    let copied = t.host.clipboard.lock().unwrap().clone().unwrap();
    assert!(copied == c.code || copied == *c.next.as_ref().unwrap());

    // The same QR user again: a replacement, needing confirmation.
    site.reset("PPK2").await;
    let again = t.app.preview_text(&site.payload("PPK2").await).unwrap();
    assert_eq!(
        again.replaces.iter().map(|a| &a.id).collect::<Vec<_>>(),
        [&account.id]
    );
    assert_eq!(
        code(t.app.confirm_add(&again.handle, true, false).await),
        ErrorCode::NeedsConfirmation
    );
    let replaced = t.app.confirm_add(&again.handle, true, true).await.unwrap();
    let accounts = t.app.accounts().unwrap().accounts;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].id, replaced.ids[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pictures_from_bytes_files_and_the_clipboard_are_previewed() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());

    let text = site.payload("PPK2").await;
    let preview = t.app.preview_image(qr_png(&text)).await.unwrap();
    assert_eq!(preview.kind, "spse");
    let added = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
    assert_eq!(added.user.as_deref(), Some("PPK2"));

    let preview = t.app.preview_image(qr_png(GITHUB)).await.unwrap();
    assert_eq!(preview.kind, "otpauth");
    assert_eq!(preview.accounts[0].issuer, "GitHub");
    t.app.cancel_add(&preview.handle);
    assert_eq!(
        code(t.app.confirm_add(&preview.handle, false, false).await),
        ErrorCode::PreviewGone
    );

    // The clipboard: its picture first, else its text.
    assert_eq!(
        code(t.app.preview_clipboard().await),
        ErrorCode::ClipboardEmpty
    );
    *t.host.clipboard.lock().unwrap() = Some(GITHUB.to_owned());
    assert_eq!(t.app.preview_clipboard().await.unwrap().kind, "otpauth");
    let grey = qr_picture(GITHUB);
    let rgba: Vec<u8> = grey.as_raw().iter().flat_map(|&l| [l, l, l, 255]).collect();
    *t.host.image.lock().unwrap() = Some((grey.width(), grey.height(), rgba));
    *t.host.clipboard.lock().unwrap() = Some("not a payload".to_owned());
    let preview = t.app.preview_clipboard().await.unwrap();
    assert_eq!(preview.accounts[0].name, "alice");

    // Refusals, each with its code.
    assert_eq!(
        code(t.app.preview_image(b"not a picture".to_vec()).await),
        ErrorCode::ImageUnreadable
    );
    assert_eq!(
        code(
            t.app
                .preview_image(qr_png("https://lpse.example.go.id"))
                .await
        ),
        ErrorCode::QrNotAuthenticator
    );
    assert_eq!(code(t.app.preview_text("hello")), ErrorCode::PayloadInvalid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_are_approved_with_the_number_denied_and_reported() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let id = enroll(&t, &site, "PPK2").await;

    // Approve: the number is required and checked.
    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let number = browser.status().await["number"].as_u64().unwrap();
    let logins = t.app.check_logins(None).await.unwrap();
    assert_eq!(logins.len(), 1);
    let login = &logins[0];
    assert_eq!(
        (login.account_id.as_str(), login.user_id.as_str()),
        (id.as_str(), "PPK2")
    );
    assert_eq!(login.server, site.base);
    assert!(login.training, "the sandbox on loopback is a training site");
    assert_eq!(login.site_name.as_deref(), Some("LPSE Sandbox"));
    assert_eq!(login.browser.as_deref(), Some("Firefox 145"));
    assert_eq!(login.ip.as_deref(), Some("127.0.0.1"));
    assert!(login.number_match);
    let now = spse_protocol::now_ms();
    assert!(login.expires_at > now && login.created_at <= now + 1_000);
    let tx = login.tx.clone();
    assert_eq!(
        code(t.app.decide(&id, &tx, DecisionView::Approve, None).await),
        ErrorCode::NumberRequired
    );
    let wrong = ((number - 10 + 1) % 90 + 10).to_string();
    assert_eq!(
        code(
            t.app
                .decide(&id, &tx, DecisionView::Approve, Some(&wrong))
                .await
        ),
        ErrorCode::NumberMismatch
    );
    let decided = t
        .app
        .decide(&id, &tx, DecisionView::Approve, Some(&number.to_string()))
        .await
        .unwrap();
    assert_eq!(
        (decided.decision, decided.user_id.as_str()),
        (DecisionView::Approve, "PPK2")
    );
    assert_eq!(browser.status().await["state"], "accepted");
    assert_eq!(
        code(
            t.app
                .decide(&id, &tx, DecisionView::Approve, Some(&number.to_string()))
                .await
        ),
        ErrorCode::LoginGone
    );

    // Deny.
    let (browser, _) = site.login("PPK2").await;
    let tx = t.app.check_logins(Some(&id)).await.unwrap()[0].tx.clone();
    let decided = t
        .app
        .decide(&id, &tx, DecisionView::Deny, None)
        .await
        .unwrap();
    assert_eq!(decided.decision, DecisionView::Deny);
    assert_eq!(browser.status().await["state"], "denied");

    // Report ("Bukan saya").
    let (browser, _) = site.login("PPK2").await;
    let tx = t.app.check_logins(None).await.unwrap()[0].tx.clone();
    let decided = t
        .app
        .decide(&id, &tx, DecisionView::Report, None)
        .await
        .unwrap();
    assert_eq!(decided.decision, DecisionView::Report);
    assert_eq!(browser.status().await["state"], "denied");
    assert!(t.app.check_logins(None).await.unwrap().is_empty());
    let last = t.host.named("logins").pop().unwrap();
    assert_eq!(last, Value::Array(Vec::new()), "the list emptied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_poller_shows_a_new_login_within_a_second_while_visible() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let id = enroll(&t, &site, "PPK2").await;
    t.app.set_foreground(true);
    t.wait_for("site-state", Duration::from_secs(5), |v| {
        v["state"] == "reachable"
    })
    .await;
    // Let the long poll settle into waiting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let (_browser, _) = site.login("PPK2").await;
    let logins = t
        .wait_for("logins", Duration::from_secs(3), |v| {
            v.as_array().is_some_and(|a| !a.is_empty())
        })
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(logins[0]["accountId"], id.as_str());
    assert_eq!(logins[0]["numberMatch"], true);

    // Hidden: no polling. A reset on the site: seen as totpDisabled when visible.
    t.app.set_foreground(false);
    site.reset("PPK2").await;
    t.app.set_foreground(true);
    t.wait_for("site-state", Duration::from_secs(5), |v| {
        v["state"] == "totpDisabled"
    })
    .await;
    assert_eq!(
        t.app.accounts().unwrap().sites[0].state,
        spse_auth_app::views::SiteState::TotpDisabled
    );
    t.app.set_foreground(false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_deleted_without_warning_only_after_its_reset() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let id = enroll(&t, &site, "PPK2").await;
    assert_eq!(
        t.app.removal_check(&id).await.unwrap(),
        RemovalCheck::StillActive
    );
    site.reset("PPK2").await;
    assert_eq!(t.app.removal_check(&id).await.unwrap(), RemovalCheck::Safe);
    t.app.remove(&id).await.unwrap();
    assert!(t.app.accounts().unwrap().accounts.is_empty());
    assert_eq!(code(t.app.remove(&id).await), ErrorCode::AccountNotFound);

    // A site that is down: the check cannot say.
    let id = enroll(&t, &site, "pokja1").await;
    site.stop();
    assert_eq!(
        t.app.removal_check(&id).await.unwrap(),
        RemovalCheck::Unknown
    );
    assert_eq!(
        code(t.app.check_logins(None).await),
        ErrorCode::SiteUnreachable
    );
    let last = t.host.named("site-state").pop().unwrap();
    assert_eq!(last["state"], "offline");
    assert_eq!(
        t.app.accounts().unwrap().sites[0].state,
        spse_auth_app::views::SiteState::Offline
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_only_accounts_are_added_renamed_moved_on_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(GITHUB).unwrap();
    assert_eq!((preview.kind, preview.server.clone()), ("otpauth", None));
    let added = t
        .app
        .confirm_add(&preview.handle, false, false)
        .await
        .unwrap();
    let github = added.ids[0].clone();
    assert_eq!(added.server, None);
    // The same account again: a replacement, after confirmation.
    let again = t.app.preview_text(GITHUB).unwrap();
    assert_eq!(
        again.replaces.iter().map(|a| &a.id).collect::<Vec<_>>(),
        [&github]
    );
    assert_eq!(
        code(t.app.confirm_add(&again.handle, false, false).await),
        ErrorCode::NeedsConfirmation
    );
    let github = t
        .app
        .confirm_add(&again.handle, false, true)
        .await
        .unwrap()
        .ids[0]
        .clone();

    let manual = |secret: &str, kind: ManualKind| common::manual("budi", secret, kind);
    let bad = t
        .app
        .add_manual(&manual("not base32!", ManualKind::Totp))
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::PayloadInvalid);
    assert!(bad.message.starts_with("secret"), "{}", bad.message);
    let hotp = t
        .app
        .add_manual(&manual("jbsw y3dp ehpk 3pxp", ManualKind::Hotp))
        .unwrap()
        .ids[0]
        .clone();
    assert_eq!(
        code(
            t.app
                .add_manual(&manual("JBSWY3DPEHPK3PXP", ManualKind::Hotp))
        ),
        ErrorCode::AccountExists
    );
    let mut wrong_digits = manual("JBSWY3DPEHPK3PXP", ManualKind::Totp);
    wrong_digits.digits = 3;
    wrong_digits.name = "other".into();
    assert_eq!(
        code(t.app.add_manual(&wrong_digits)),
        ErrorCode::PayloadInvalid
    );

    t.app.rename(&hotp, Some("  Tabungan ")).unwrap();
    let before = t.app.codes().unwrap();
    let hotp_code = |codes: &spse_auth_app::views::CodesView| {
        codes
            .codes
            .iter()
            .find(|c| c.period.is_none())
            .unwrap()
            .code
            .clone()
    };
    assert_eq!(hotp_code(&before).len(), 8);
    t.app.next_hotp(&hotp).unwrap();
    let after = t.app.codes().unwrap();
    assert_ne!(hotp_code(&before), hotp_code(&after));
    let accounts = t.app.accounts().unwrap().accounts;
    let moved = accounts.iter().find(|a| a.kind == "hotp").unwrap();
    assert_eq!(
        moved.label.as_deref(),
        Some("Tabungan"),
        "the label is kept"
    );
    assert_eq!(moved.id, hotp, "the id is kept");
    assert_eq!(code(t.app.next_hotp(&github)), ErrorCode::PayloadInvalid);

    assert_eq!(
        t.app.removal_check(&github).await.unwrap(),
        RemovalCheck::NoSite
    );
    assert_eq!(
        code(t.app.check_logins(Some(&github)).await),
        ErrorCode::NotEnrolled
    );
    assert_eq!(
        code(t.app.rename("nope", Some("x"))),
        ErrorCode::AccountNotFound
    );
    assert_eq!(code(t.app.copy_code("nope")), ErrorCode::AccountNotFound);
    assert_eq!(
        code(
            t.app
                .decide("nope", "tx", DecisionView::Approve, None)
                .await
        ),
        ErrorCode::LoginGone
    );
    t.app.remove(&github).await.unwrap();
    assert_eq!(t.app.accounts().unwrap().accounts.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_by_another_process_are_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    assert!(t.app.accounts().unwrap().accounts.is_empty());
    let mut cli = t.other_process(dir.path());
    let Payload::Otpauth(account) = Payload::parse(GITHUB).unwrap() else {
        panic!()
    };
    cli.add(account, None, false).unwrap();
    assert!(t.host.named("accounts-changed").is_empty());
    assert_eq!(t.app.accounts().unwrap().accounts.len(), 1);
    assert_eq!(t.host.named("accounts-changed").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_kept_beside_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    assert_eq!(t.app.settings(), Settings::default());
    let chosen = Settings {
        language: Language::Id,
        theme: Theme::Dark,
        screenshot_protection: false,
        close_to_tray: false,
        start_at_login: true,
        always_on: false,
    };
    // Screenshot protection (FLAG_SECURE on Android) is on from the start
    // by default and follows the setting.
    assert_eq!(*t.host.secure.lock().unwrap(), vec![true]);
    assert_eq!(t.app.set_settings(chosen).unwrap(), chosen);
    assert_eq!(*t.host.secure.lock().unwrap(), vec![true, false]);
    drop(t);
    let t = TestApp::open(dir.path());
    assert_eq!(t.app.settings(), chosen);
    assert_eq!(*t.host.secure.lock().unwrap(), vec![false], "kept off");
    let about = t.app.about();
    assert_eq!(about.data_dir, dir.path().display().to_string());
    assert!(about.platform.contains(std::env::consts::ARCH));
    assert!(!about.licences.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vault_that_cannot_be_opened_is_an_error_state_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let t = TestApp::open(&file);
    assert_eq!(code(t.app.accounts()), ErrorCode::Io);
    assert_eq!(code(t.app.codes()), ErrorCode::Io);
    assert_eq!(code(t.app.preview_text(GITHUB)), ErrorCode::Io);
    assert_eq!(t.app.settings(), Settings::default());
}

/// An enrollment left pending (a crash between storing and the site's
/// answer) is settled at start and told to the window once it listens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_enrollment_is_settled_at_start_and_told() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let Payload::Spse(enrollment) = Payload::parse(&site.payload("PPK2").await).unwrap() else {
        panic!("not an SPSE payload")
    };
    {
        let mut cli = t.other_process(dir.path());
        let key = spse_protocol::DeviceKey::generate().unwrap();
        let record = spse_vault::Site {
            device: Some(spse_vault::DeviceIdentity {
                id: spse_client::random_device_id().unwrap(),
                key: key.pkcs8().to_vec().into(),
            }),
            ..spse_vault::Site::new(site.base.clone(), true)
        };
        let enrolling = cli
            .begin_enrollment(enrollment.account.clone(), record, false)
            .unwrap();
        let id = enrolling.id().to_owned();
        drop(enrolling);
        assert!(cli.get(&id).unwrap().is_pending());
    }
    t.app.start().await;
    assert!(
        t.host.named("recovered").is_empty(),
        "not before the window asks"
    );
    assert!(t.app.accounts().unwrap().accounts.is_empty(), "rolled back");
    let recovered = t.host.named("recovered");
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0][0]["outcome"], "rolledBack");
    assert_eq!(recovered[0][0]["userId"], "PPK2");
    assert_eq!(recovered[0][0]["server"], site.base.as_str());
}

/// A damaged `vault.json` opened from its backup is said in the list for
/// the whole run, even after the next save clears the vault's own record.
#[tokio::test]
async fn a_vault_opened_from_its_backup_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    assert_eq!(t.app.accounts().unwrap().restored_from_backup, None);
    let manual = |name: &str| common::manual(name, "JBSWY3DPEHPK3PXP", ManualKind::Totp);
    t.app.add_manual(&manual("budi")).unwrap();
    t.app.add_manual(&manual("sari")).unwrap();
    std::fs::write(dir.path().join("vault.json"), b"{ not a vault").unwrap();

    let reopened = TestApp::open_with(common::options(dir.path()), t.store.clone()).app;
    let view = reopened.accounts().unwrap();
    assert_eq!(view.restored_from_backup, Some(RestoredFrom::Corrupt));
    assert_eq!(view.accounts.len(), 1, "the backup: one change behind");
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["restoredFromBackup"], "corrupt");

    assert_eq!(view.restores, 1);

    reopened.add_manual(&manual("sari")).unwrap();
    let view = reopened.accounts().unwrap();
    assert_eq!(
        (view.restored_from_backup, view.restores),
        (Some(RestoredFrom::Corrupt), 1),
        "still told after the next save, as the same restore"
    );
    assert_eq!(
        reopened.accounts().unwrap().restores,
        1,
        "read again: the same"
    );

    // Damaged again in the same run (F-20): a second restore, told again.
    std::fs::write(dir.path().join("vault.json"), b"{ still not a vault").unwrap();
    let view = reopened.accounts().unwrap();
    assert_eq!(
        (view.restored_from_backup, view.restores),
        (Some(RestoredFrom::Corrupt), 2)
    );
    assert_eq!(serde_json::to_value(&view).unwrap()["restores"], 2);
}

/// A link opened on the phone is a preview on the Add screen, told once
/// the window listens; nothing is added until the user confirms it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_opens_the_add_preview_and_never_adds_by_itself() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let payload = site.payload("PPK2").await;
    // The app was started by the link: the window does not listen yet.
    t.app.open_link(&payload);
    assert!(t.host.named("link").is_empty());
    assert!(t.app.accounts().unwrap().accounts.is_empty(), "not added");
    let link = t.host.named("link");
    assert_eq!(link.len(), 1, "told after the first accounts call");
    assert_eq!(link[0]["error"], Value::Null);
    let preview = &link[0]["preview"];
    assert_eq!(preview["kind"], "spse");
    assert_eq!(preview["training"], true);
    assert_eq!(preview["accounts"][0]["name"], "PPK2");
    assert!(!t.host.all_text().contains("enroll="), "no token in events");
    // While it runs: at once. A link that is not an authenticator link, or
    // is broken, is an error shown on the Add screen.
    t.app.open_link(GITHUB);
    t.app
        .open_link("https://example.com/otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
    t.app.open_link("otpauth://totp/x?secret=");
    let links = t.host.named("link");
    assert_eq!(links.len(), 4);
    assert_eq!(links[1]["preview"]["accounts"][0]["name"], "alice");
    assert_eq!(links[2]["error"]["code"], "payloadInvalid");
    assert_eq!(links[3]["error"]["code"], "payloadInvalid");
    assert!(!t.host.all_text().contains("JBSWY3DPEHPK3PXP"), "no secret");
    assert!(
        t.app.accounts().unwrap().accounts.is_empty(),
        "still nothing added"
    );
    // The user confirms the SPSE preview: enrolled.
    let handle = preview["handle"].as_str().unwrap();
    let added = t.app.confirm_add(handle, true, false).await.unwrap();
    assert_eq!(added.user.as_deref(), Some("PPK2"));
    assert_eq!(t.app.accounts().unwrap().accounts.len(), 1);
}

/// An Android release build forbids cleartext: an http:// training server
/// is refused before anything is sent (its token stays unused).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_without_cleartext_refuses_an_http_training_server() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = common::options(dir.path());
    options.cleartext = false;
    let app = TestApp::open_with(options, keyring_core::mock::Store::new().unwrap()).app;
    let payload = site.payload("PPK2").await;
    assert_eq!(
        code(app.preview_text(&payload)),
        ErrorCode::CleartextBlocked
    );
    // Codes-only accounts have no server: unaffected.
    assert_eq!(app.preview_text(GITHUB).unwrap().kind, "otpauth");
    // The token was not used: a build that allows it enrolls with it.
    let t = TestApp::open(tempfile::tempdir().unwrap().path());
    let preview = t.app.preview_text(&payload).unwrap();
    t.app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap();
}

/// F-11 (test A3): an http:// account a training build added, kept through
/// an update to a build without cleartext, is never reached in the clear:
/// checking, answering and the delete check are refused before sending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_without_cleartext_refuses_http_accounts_already_stored() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let preview = t.app.preview_text(&site.payload("PPK2").await).unwrap();
    let id = t
        .app
        .confirm_add(&preview.handle, true, false)
        .await
        .unwrap()
        .ids[0]
        .clone();
    let (browser, _) = site.login("PPK2").await;
    let tx = t.app.check_logins(None).await.unwrap()[0].tx.clone();

    let mut options = common::options(dir.path());
    options.cleartext = false;
    let release = TestApp::open_with(options, t.store.clone()).app;
    assert_eq!(
        release.accounts().unwrap().accounts.len(),
        1,
        "kept, not lost"
    );
    assert_eq!(
        code(release.check_logins(None).await),
        ErrorCode::CleartextBlocked
    );
    assert_eq!(
        code(release.decide(&id, &tx, DecisionView::Deny, None).await),
        ErrorCode::LoginGone,
        "nothing was fetched, so nothing can be answered"
    );
    assert_eq!(
        release.removal_check(&id).await.unwrap(),
        RemovalCheck::Unknown
    );
    assert_eq!(
        browser.status().await["state"],
        "waiting",
        "the site heard nothing"
    );
}

/// F-12: the root `SPSE_AUTH_TRUST_ROOT` names is for training servers
/// only (loopback, private addresses): an enrollment with a public LPSE
/// name never reads or pins it. Shown with a root file that cannot be
/// read: a training host is refused for it, a public name goes on to the
/// site (here a name that does not resolve).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trust_root_is_for_training_hosts_only() {
    let site = TestSite::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = common::options(dir.path());
    options.trust_root = Some(dir.path().join("no-such-root.pem"));
    let app = TestApp::open_with(options, keyring_core::mock::Store::new().unwrap()).app;
    let training = app.preview_text(&site.payload("PPK2").await).unwrap();
    assert_eq!(
        code(app.confirm_add(&training.handle, true, false).await),
        ErrorCode::SiteBadRoot
    );
    let public = app
        .preview_text(
            "otpauth://totp/LPSE:PPK2?secret=JBSWY3DPEHPK3PXP&issuer=LPSE\
             &spse=https%3A%2F%2Flpse.invalid&enroll=Qm9kYS10b2tlbi1mb3ItcXIx",
        )
        .unwrap();
    assert_eq!(
        code(app.confirm_add(&public.handle, false, false).await),
        ErrorCode::SiteUnreachable
    );
}

/// An `otpauth-migration` export (Google Authenticator's) of TOTP accounts
/// `(issuer, name)`, all with the secret of `JBSWY3DPEHPK3PXP`.
fn migration(accounts: &[(&str, &str)]) -> String {
    use base64::Engine;
    let field = |tag: u8, bytes: &[u8]| {
        let mut out = vec![tag, u8::try_from(bytes.len()).unwrap()];
        out.extend_from_slice(bytes);
        out
    };
    let mut message = Vec::new();
    for (issuer, name) in accounts {
        let mut entry = field(0x0a, b"Hello!\xde\xad\xbe\xef");
        entry.extend(field(0x12, name.as_bytes()));
        entry.extend(field(0x1a, issuer.as_bytes()));
        entry.extend([0x30, 0x02]); // type: TOTP
        message.extend(field(0x0a, &entry));
    }
    let data = base64::engine::general_purpose::STANDARD.encode(&message);
    format!(
        "otpauth-migration://offline?data={}",
        data.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    )
}

/// F-18: an export holding several accounts already here lists every one
/// it replaces, and replacing keeps their labels; without the user's word
/// nothing of it is added.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_lists_every_account_it_replaces_and_keeps_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let mut ids = Vec::new();
    for name in ["a", "b"] {
        let uri = format!("otpauth://totp/ACME:{name}?secret=JBSWY3DPEHPK3PXP&issuer=ACME");
        let preview = t.app.preview_text(&uri).unwrap();
        ids.push(
            t.app
                .confirm_add(&preview.handle, false, false)
                .await
                .unwrap()
                .ids[0]
                .clone(),
        );
    }
    t.app.rename(&ids[1], Some("Kantor")).unwrap();

    let preview = t
        .app
        .preview_text(&migration(&[("ACME", "a"), ("ACME", "b"), ("ACME", "c")]))
        .unwrap();
    assert_eq!(preview.kind, "migration");
    let mut replaced: Vec<&str> = preview.replaces.iter().map(|a| a.id.as_str()).collect();
    replaced.sort_unstable();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(replaced, expected, "both accounts named");
    assert_eq!(
        code(t.app.confirm_add(&preview.handle, false, false).await),
        ErrorCode::NeedsConfirmation
    );
    assert_eq!(t.app.accounts().unwrap().accounts.len(), 2, "nothing added");
    let added = t
        .app
        .confirm_add(&preview.handle, false, true)
        .await
        .unwrap();
    assert_eq!(added.ids.len(), 3);
    let accounts = t.app.accounts().unwrap().accounts;
    let labels: Vec<(&str, Option<&str>)> = accounts
        .iter()
        .map(|a| (a.name.as_str(), a.label.as_deref()))
        .collect();
    assert_eq!(labels, [("a", None), ("b", Some("Kantor")), ("c", None)]);
}

/// F-14 (test A5): a QR whose names hold a text-direction override or a
/// zero-width character is refused by name; one stored before that rule
/// (an older build) still opens, shown with `?` in their place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_that_read_as_other_names_are_refused_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::open(dir.path());
    let error = t
        .app
        .preview_text("otpauth://totp/ACME:%E2%80%AEmoc.knab?secret=JBSWY3DPEHPK3PXP&issuer=ACME")
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::PayloadInvalid);
    assert_eq!(
        error.message,
        "label: contains an invisible formatting character (text direction or zero width)"
    );
    assert_eq!(
        code(
            t.app
                .preview_text("otpauth://totp/Git%E2%80%8BHub:alice?secret=JBSWY3DPEHPK3PXP")
        ),
        ErrorCode::PayloadInvalid
    );

    // Stored by an older build, straight into the vault.
    let disguised = Payload::parse(
        "otpauth://totp/ACME:%E2%80%AEmoc.knab?secret=JBSWY3DPEHPK3PXP&issuer=%E2%81%A6ACME",
    )
    .unwrap()
    .accounts()[0]
        .clone();
    let mut vault =
        spse_vault::Vault::open(dir.path(), spse_vault::Keystore::new(t.store.clone())).unwrap();
    vault.add(disguised, None, false).unwrap();
    let shown = &t.app.accounts().unwrap().accounts[0];
    assert_eq!(
        (shown.issuer.as_str(), shown.name.as_str()),
        ("?ACME", "?moc.knab")
    );
}
