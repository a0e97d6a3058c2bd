//! Settings → Backup and restore through the app's commands (issue 20),
//! against the real sandbox over loopback: a backup made on one device
//! restores on another whose vault key lives in another keystore, with the
//! same codes and working approvals; a restore or an import adds nothing
//! until confirmed and never doubles an account; an unreadable vault is set
//! aside (kept) for a fresh one to restore into.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::atomic::Ordering;

use common::{TestApp, manual};
use spse_auth_app::app::ExportFormat;
use spse_auth_app::error::ErrorCode;
use spse_auth_app::views::DecisionView;
use spse_auth_app::views::{ManualAccount, ManualKind};
use spse_sandbox::testing::TestSite;

const PASSWORD: &str = "sapu-lidi-2026";

/// An account typed in by hand at `issuer`.
fn typed(issuer: &str, name: &str, kind: &str) -> ManualAccount {
    let kind = if kind == "hotp" {
        ManualKind::Hotp
    } else {
        ManualKind::Totp
    };
    ManualAccount {
        issuer: issuer.into(),
        ..manual(name, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", kind)
    }
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

/// Codes by account name, sorted.
fn codes(t: &TestApp) -> Vec<(String, String)> {
    let accounts = t.app.accounts().unwrap().accounts;
    let codes = t.app.codes().unwrap().codes;
    let mut named: Vec<(String, String)> = accounts
        .iter()
        .map(|a| {
            let code = codes.iter().find(|c| c.id == a.id).unwrap();
            (format!("{}|{}", a.issuer, a.name), code.code.clone())
        })
        .collect();
    named.sort();
    named
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restores_on_another_keystore_with_its_codes_and_approvals() {
    let site = TestSite::start().await;
    let old_dir = tempfile::tempdir().unwrap();
    let new_dir = tempfile::tempdir().unwrap();
    let old = TestApp::open(old_dir.path());
    enroll(&old, &site, "PPK2").await;
    old.app.add_manual(&typed("Bank", "ani", "hotp")).unwrap();
    let status = old.app.backup_status().unwrap();
    assert_eq!((status.accounts, status.spse_accounts), (2, 1));
    assert!(status.changed && status.last_at.is_none());
    assert_eq!(
        old.app.accounts().unwrap().backup.map(|b| b.state),
        Some("never")
    );

    // A short password is refused, naming the rule; a cancelled picker saves nothing.
    let short = old.app.make_backup("1234567").unwrap_err();
    assert_eq!(short.code, ErrorCode::BackupPasswordShort);
    old.host.cancel_save.store(true, Ordering::SeqCst);
    let cancelled = old.app.make_backup(PASSWORD).unwrap();
    assert!(!cancelled.saved);
    assert!(old.app.backup_status().unwrap().changed);

    let saved = old.app.make_backup(PASSWORD).unwrap();
    assert!(saved.saved);
    let (name, bytes) = old.host.saved.lock().unwrap()[0].clone();
    assert!(
        name.starts_with("spse-auth-backup-") && name.ends_with(".spseauth"),
        "{name}"
    );
    assert_eq!(saved.file.as_deref(), Some(name.as_str()));
    assert!(old.app.accounts().unwrap().backup.is_none(), "backed up");
    old.app
        .next_hotp(&old.app.accounts().unwrap().accounts[1].id)
        .unwrap();
    assert_eq!(
        old.app.accounts().unwrap().backup.map(|b| b.state),
        Some("changed"),
        "a counter moved since"
    );

    // Another device, another keystore.
    let new = TestApp::open(new_dir.path());
    let opened = new.app.open_import(bytes.clone()).unwrap();
    assert_eq!((opened.format, opened.encrypted), ("spse", true));
    let needed = new.app.read_import(&opened.handle, None).unwrap_err();
    assert_eq!(needed.code, ErrorCode::ImportPasswordNeeded);
    let wrong = new
        .app
        .read_import(&opened.handle, Some("not-the-password"))
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::ImportWrongPassword);
    let preview = new.app.read_import(&opened.handle, Some(PASSWORD)).unwrap();
    assert!(preview.restore);
    assert_eq!(preview.accounts.len(), 2);
    assert_eq!(
        preview.accounts[0].site.as_deref(),
        Some(site.base.as_str())
    );
    assert!(preview.accounts.iter().all(|a| !a.already));
    assert!(
        new.app.accounts().unwrap().accounts.is_empty(),
        "nothing before confirming"
    );
    let done = new.app.confirm_import(&opened.handle).unwrap();
    assert_eq!((done.added, done.already), (2, 0));
    assert_eq!(
        new.app.confirm_import(&opened.handle).unwrap_err().code,
        ErrorCode::PreviewGone
    );

    // The same codes (the HOTP one at the counter of the backup: one behind).
    let (old_codes, new_codes) = (codes(&old), codes(&new));
    assert_eq!(old_codes[1], new_codes[1], "the SPSE account's code");
    assert_ne!(
        old_codes[0], new_codes[0],
        "the counter moved after the backup"
    );

    // Approvals work on the new device.
    let spse_id = new.app.accounts().unwrap().accounts[0].id.clone();
    let (browser, location) = site.login("PPK2").await;
    assert_eq!(location, "/login/wait");
    let login = new.app.check_logins(None).await.unwrap().remove(0);
    let number = browser.status().await["number"]
        .as_u64()
        .unwrap()
        .to_string();
    let decided = new
        .app
        .decide(&spse_id, &login.tx, DecisionView::Approve, Some(&number))
        .await
        .unwrap();
    assert_eq!(browser.status().await["state"], "accepted", "{decided:?}");

    // Restoring again doubles nothing.
    let again = new.app.open_import(bytes).unwrap();
    let preview = new.app.read_import(&again.handle, Some(PASSWORD)).unwrap();
    assert!(preview.accounts.iter().all(|a| a.already));
    let done = new.app.confirm_import(&again.handle).unwrap();
    assert_eq!((done.added, done.already), (0, 2));
    assert_eq!(new.app.accounts().unwrap().accounts.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_imports_after_its_preview_and_nothing_twice() {
    let from_dir = tempfile::tempdir().unwrap();
    let to_dir = tempfile::tempdir().unwrap();
    let from = TestApp::open(from_dir.path());
    from.app
        .add_manual(&typed("GitHub", "ani", "totp"))
        .unwrap();
    from.app.add_manual(&typed("Bank", "ani", "hotp")).unwrap();
    let to = TestApp::open(to_dir.path());
    to.app.add_manual(&typed("GitHub", "ani", "totp")).unwrap();

    for (format, password) in [
        (ExportFormat::Aegis, Some(PASSWORD)),
        (ExportFormat::AegisPlain, None),
        (ExportFormat::Otpauth, None),
    ] {
        let exported = from.app.export_accounts(format, password).unwrap();
        assert!(exported.saved);
        assert_eq!((exported.count, exported.spse), (2, 0));
        let (_, bytes) = from.host.saved.lock().unwrap().pop().unwrap();
        let opened = to.app.open_import(bytes).unwrap();
        assert_eq!(opened.encrypted, password.is_some(), "{format:?}");
        let preview = to.app.read_import(&opened.handle, password).unwrap();
        assert!(!preview.restore);
        let already: Vec<bool> = preview.accounts.iter().map(|a| a.already).collect();
        assert_eq!(already, [true, false], "{format:?}");
        to.app.cancel_import(&opened.handle);
        assert_eq!(
            to.app.accounts().unwrap().accounts.len(),
            1,
            "cancelled: nothing added"
        );
    }
    let exported = from
        .app
        .export_accounts(ExportFormat::Otpauth, None)
        .unwrap();
    assert!(exported.saved);
    let (_, bytes) = from.host.saved.lock().unwrap().pop().unwrap();
    let opened = to.app.open_import(bytes).unwrap();
    to.app.read_import(&opened.handle, None).unwrap();
    let done = to.app.confirm_import(&opened.handle).unwrap();
    assert_eq!((done.added, done.already), (1, 1));
    assert_eq!(codes(&to), codes(&from));

    // Files that are not exports, and an encrypted export without password.
    let error = to.app.open_import(b"just some text".to_vec()).unwrap_err();
    assert_eq!(error.code, ErrorCode::ImportUnrecognised);
    let missing = to
        .app
        .export_accounts(ExportFormat::Aegis, None)
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::BackupPasswordShort);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_vault_is_set_aside_for_a_fresh_one_to_restore_into() {
    let dir = tempfile::tempdir().unwrap();
    {
        let t = TestApp::open(dir.path());
        t.app.add_manual(&typed("GitHub", "ani", "totp")).unwrap();
    }
    let current = dir.path().join("vault.json");
    let damaged = b"{\"format\":\"spse-auth-vault\", damaged".to_vec();
    std::fs::write(&current, &damaged).unwrap();
    std::fs::write(dir.path().join("vault.json.bak"), &damaged).unwrap();
    let t = TestApp::open(dir.path());
    let error = t.app.accounts().unwrap_err();
    assert_eq!(error.code, ErrorCode::VaultCorrupt);
    let aside = t.app.set_aside_vault().unwrap();
    assert!(
        aside.kept_as.starts_with("vault.json.unreadable-"),
        "{}",
        aside.kept_as
    );
    assert_eq!(
        std::fs::read(dir.path().join(&aside.kept_as)).unwrap(),
        damaged,
        "kept as it was"
    );
    assert!(t.app.accounts().unwrap().accounts.is_empty());
    t.app.add_manual(&typed("Bank", "ani", "totp")).unwrap();
    assert_eq!(t.app.accounts().unwrap().accounts.len(), 1);
    // A vault that opens is never set aside.
    assert_eq!(
        t.app.set_aside_vault().unwrap_err().code,
        ErrorCode::Internal
    );
}
