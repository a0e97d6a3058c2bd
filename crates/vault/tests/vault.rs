//! The vault's behaviour through its public API, on real files, with the
//! keystore faked by `keyring_core::mock` to inject its failures.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fs;
use std::sync::Arc;

use keyring_core::mock;
use spse_otp::{Account, Payload};
use spse_vault::{Error, Keystore, RecoveryReason, Site, Vault};
use tempfile::TempDir;

const SECRET: &str = "JBSWY3DPEHPK3PXP";

fn account(issuer: &str, name: &str) -> Account {
    let uri = format!("otpauth://totp/{issuer}:{name}?secret={SECRET}&issuer={issuer}");
    Payload::parse(&uri).unwrap().accounts()[0].clone()
}

fn site(server: &str) -> Option<Site> {
    Some(Site {
        server: server.into(),
        name: Some("LPSE".into()),
        training: false,
        device: None,
        trust_root: None,
        pending: None,
    })
}

fn setup() -> (TempDir, Keystore) {
    (
        tempfile::tempdir().unwrap(),
        Keystore::new(mock::Store::new().unwrap()),
    )
}

/// A vault holding one account: its folder, keystore, key id and file bytes.
fn vault_with_one_account() -> (TempDir, Keystore, String, Vec<u8>) {
    let (dir, keystore) = setup();
    let key_id = {
        let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
        vault.add(account("A", "a"), None, false).unwrap();
        vault.key_id().to_owned()
    };
    let before = fs::read(dir.path().join("vault.json")).unwrap();
    (dir, keystore, key_id, before)
}

fn fail_next_keystore_call(keystore: &Keystore, key_id: &str, error: keyring_core::Error) {
    let entry = keystore.entry(key_id).unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(error);
}

#[test]
fn first_open_creates_an_empty_vault_and_its_key() {
    let (dir, keystore) = setup();
    let vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    assert!(vault.accounts().is_empty());
    assert!(vault.paths().current.exists());
    assert!(vault.key_id().starts_with("vault-"));
    let key = keystore
        .entry(vault.key_id())
        .unwrap()
        .get_secret()
        .unwrap();
    assert_eq!(key.len(), 32);
    // Reopening finds the same vault, not a new one.
    let again = Vault::open(dir.path(), keystore).unwrap();
    assert_eq!(again.key_id(), vault.key_id());
}

#[test]
fn accounts_are_kept_grouped_and_ordered() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let kudus = "https://lpse.kuduskab.go.id";
    let lkpp = "https://latihan-lpse.lkpp.go.id";
    let a = vault
        .add(account("LPSE", "PPK2"), site(kudus), false)
        .unwrap();
    let b = vault.add(account("GitHub", "alice"), None, false).unwrap();
    let c = vault
        .add(account("LPSE", "PPK2"), site(lkpp), false)
        .unwrap();
    let d = vault
        .add(account("LPSE", "pokja1"), site(kudus), false)
        .unwrap();

    let vault = Vault::open(dir.path(), keystore).unwrap();
    let ids: Vec<&str> = vault.accounts().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [&a, &b, &c, &d]);
    let groups = vault.groups();
    let shape: Vec<(Option<&str>, Vec<&str>)> = groups
        .iter()
        .map(|g| {
            (
                g.site.map(|s| s.server.as_str()),
                g.accounts.iter().map(|a| a.account.name()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (Some(kudus), vec!["PPK2", "pokja1"]),
            (None, vec!["alice"]),
            (Some(lkpp), vec!["PPK2"]),
        ]
    );
    assert_eq!(vault.get(&a).unwrap().account.secret().bits(), 80);
}

#[test]
fn the_same_site_and_user_is_replaced_only_when_confirmed() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore).unwrap();
    let server = "https://lpse.kuduskab.go.id";
    let first = vault
        .add(account("LPSE", "PPK2"), site(server), false)
        .unwrap();
    let other = vault
        .add(account("LPSE", "PPK3"), site(server), false)
        .unwrap();

    let error = vault
        .add(account("LPSE", "PPK2"), site(server), false)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "account: PPK2 on {server} is already in the vault as {first}; confirm to replace it"
        )
    );
    assert!(error.is_bad_input());
    assert_eq!(vault.accounts().len(), 2);

    let second = vault
        .add(account("LPSE", "PPK2"), site(server), true)
        .unwrap();
    assert_ne!(second, first);
    let ids: Vec<&str> = vault.accounts().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [second.as_str(), other.as_str()], "keeps its place");

    // Codes-only: the same issuer, name and secret is the same account.
    vault.add(account("GitHub", "alice"), None, false).unwrap();
    assert!(matches!(
        vault.add(account("GitHub", "alice"), None, false),
        Err(Error::AlreadyExists { .. })
    ));
}

#[test]
fn remove_rename_and_reorder() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let a = vault.add(account("A", "a"), None, false).unwrap();
    let b = vault.add(account("B", "b"), None, false).unwrap();
    let c = vault.add(account("C", "c"), None, false).unwrap();

    vault.rename(&b, Some("  Kantor  ")).unwrap();
    vault.reorder(&[&c, &a, &b]).unwrap();
    let removed = vault.remove(&a).unwrap();
    assert_eq!(removed.account.name(), "a");

    let vault2 = Vault::open(dir.path(), keystore).unwrap();
    let view: Vec<(&str, Option<&str>, u32)> = vault2
        .accounts()
        .iter()
        .map(|s| (s.id.as_str(), s.label.as_deref(), s.order))
        .collect();
    assert_eq!(
        view,
        [(c.as_str(), None, 0), (b.as_str(), Some("Kantor"), 1)]
    );

    assert_eq!(
        vault.remove(&a).unwrap_err().to_string(),
        format!("id: no account {a} in the vault")
    );
    assert_eq!(
        vault.rename(&b, Some(" ")).unwrap_err().to_string(),
        "name: must not be empty"
    );
    assert_eq!(
        vault.rename(&b, Some("a\nb")).unwrap_err().to_string(),
        "name: must not contain control characters"
    );
    assert_eq!(
        vault.reorder(&[&b]).unwrap_err().to_string(),
        "order: must list every account of the vault exactly once"
    );
    assert!(vault.reorder(&[&b, &b]).is_err());
    vault.rename(&b, None).unwrap();
    assert_eq!(vault.get(&b).unwrap().label, None);
}

#[test]
fn two_handles_never_lose_each_others_updates() {
    let (dir, keystore) = setup();
    let mut app = Vault::open(dir.path(), keystore.clone()).unwrap();
    let mut cli = Vault::open(dir.path(), keystore.clone()).unwrap();
    app.add(account("A", "from-app"), None, false).unwrap();
    cli.add(account("B", "from-cli"), None, false).unwrap();
    app.add(account("C", "from-app-again"), None, false)
        .unwrap();
    let names: Vec<String> = Vault::open(dir.path(), keystore)
        .unwrap()
        .accounts()
        .iter()
        .map(|a| a.account.name().to_owned())
        .collect();
    assert_eq!(names, ["from-app", "from-cli", "from-app-again"]);
}

#[test]
fn threads_adding_at_once_all_land() {
    let (dir, keystore) = setup();
    Vault::open(dir.path(), keystore.clone()).unwrap();
    let path = Arc::new(dir.path().to_owned());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (path, keystore) = (Arc::clone(&path), keystore.clone());
            std::thread::spawn(move || {
                let mut vault = Vault::open(&path, keystore).unwrap();
                for i in 0..10 {
                    vault
                        .add(account("T", &format!("t{t}-{i}")), None, false)
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(Vault::open(&path, keystore).unwrap().accounts().len(), 40);
}

#[test]
fn an_unreachable_keystore_is_a_clear_error_and_changes_nothing() {
    let (dir, keystore, key_id, before) = vault_with_one_account();
    fail_next_keystore_call(
        &keystore,
        &key_id,
        keyring_core::Error::NoStorageAccess("org.freedesktop.DBus.Error.ServiceUnknown".into()),
    );
    let error = Vault::open(dir.path(), keystore.clone()).unwrap_err();
    assert_eq!(error.code(), "keystore_unavailable");
    let text = error.to_string();
    assert!(
        text.starts_with("the system keystore cannot be reached: "),
        "{text}"
    );
    assert!(text.contains("ServiceUnknown"), "{text}");
    assert_eq!(fs::read(dir.path().join("vault.json")).unwrap(), before);
    // Once it is back, everything is there.
    assert_eq!(
        Vault::open(dir.path(), keystore).unwrap().accounts().len(),
        1
    );
}

/// What the app keeps as its vault when the keystore cannot even be asked
/// (Android, its glue not loaded): the same code and words as any other
/// unreachable keystore, so the window says the same.
#[test]
fn a_keystore_that_cannot_be_asked_is_the_same_clear_error() {
    let error = Keystore::unreachable("the app's Android glue did not load");
    assert_eq!(error.code(), "keystore_unavailable");
    let text = error.to_string();
    assert!(
        text.starts_with("the system keystore cannot be reached: "),
        "{text}"
    );
    assert!(
        text.ends_with("(the app's Android glue did not load)"),
        "{text}"
    );
}

#[test]
fn an_unreachable_keystore_on_first_use_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken = Keystore::new(Arc::new(DeadStore));
    let error = Vault::open(dir.path(), broken).unwrap_err();
    assert_eq!(error.code(), "keystore_unavailable");
    assert!(!dir.path().join("vault.json").exists());
}

#[test]
fn a_missing_key_refuses_and_never_makes_a_new_vault() {
    let (dir, keystore, key_id, before) = vault_with_one_account();
    keystore
        .entry(&key_id)
        .unwrap()
        .delete_credential()
        .unwrap();
    for _ in 0..2 {
        let error = Vault::open(dir.path(), keystore.clone()).unwrap_err();
        assert_eq!(error.code(), "key_missing");
        assert!(error.to_string().contains(&key_id));
    }
    assert_eq!(fs::read(dir.path().join("vault.json")).unwrap(), before);
}

#[test]
fn a_wrong_key_refuses_and_changes_nothing() {
    let (dir, keystore) = setup();
    let key_id = Vault::open(dir.path(), keystore.clone())
        .unwrap()
        .key_id()
        .to_owned();
    let before = fs::read(dir.path().join("vault.json")).unwrap();
    keystore
        .entry(&key_id)
        .unwrap()
        .set_secret(&[9u8; 32])
        .unwrap();
    let error = Vault::open(dir.path(), keystore.clone()).unwrap_err();
    assert_eq!(error.code(), "key_wrong");
    keystore
        .entry(&key_id)
        .unwrap()
        .set_secret(&[9u8; 16])
        .unwrap();
    assert_eq!(
        Vault::open(dir.path(), keystore).unwrap_err().code(),
        "key_wrong"
    );
    assert_eq!(fs::read(dir.path().join("vault.json")).unwrap(), before);
}

fn vault_with_two_saves() -> (TempDir, Keystore) {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    vault.add(account("A", "a"), None, false).unwrap();
    vault.add(account("B", "b"), None, false).unwrap();
    (dir, keystore)
}

/// Flips one character of the sealed data: still valid JSON and base64.
fn tamper(path: &std::path::Path) {
    let text = fs::read_to_string(path).unwrap();
    let at = text.find("\"sealed\": \"").unwrap() + 20;
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_tampered_file_without_a_good_backup_is_refused_untouched() {
    let (dir, keystore) = vault_with_two_saves();
    let current = dir.path().join("vault.json");
    tamper(&current);
    tamper(&dir.path().join("vault.json.bak"));
    let before = fs::read(&current).unwrap();
    let error = Vault::open(dir.path(), keystore).unwrap_err();
    assert_eq!(error.code(), "vault_tampered");
    assert_eq!(
        error.to_string(),
        format!(
            "{}: failed its integrity check (altered or damaged); it was left untouched",
            current.display()
        )
    );
    assert_eq!(fs::read(&current).unwrap(), before);
}

#[test]
fn a_tampered_file_opens_from_the_backup_and_is_kept_aside() {
    let (dir, keystore) = vault_with_two_saves();
    let current = dir.path().join("vault.json");
    tamper(&current);
    let damaged = fs::read(&current).unwrap();

    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let recovery = vault.recovery().unwrap();
    assert_eq!(recovery.reason, RecoveryReason::Tampered);
    assert_eq!(recovery.damaged, current);
    // The backup is the vault before the last save: one account.
    assert_eq!(vault.accounts().len(), 1);
    assert_eq!(
        fs::read(&current).unwrap(),
        damaged,
        "untouched until a save"
    );

    vault.add(account("C", "c"), None, false).unwrap();
    assert!(vault.recovery().is_none());
    let aside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("vault.json.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read(dir.path().join(&aside[0])).unwrap(), damaged);
    let reopened = Vault::open(dir.path(), keystore).unwrap();
    assert!(reopened.recovery().is_none());
    assert_eq!(reopened.accounts().len(), 2);
}

#[test]
fn a_corrupt_file_opens_from_the_backup() {
    let (dir, keystore) = vault_with_two_saves();
    let current = dir.path().join("vault.json");
    let bytes = fs::read(&current).unwrap();
    fs::write(&current, &bytes[..bytes.len() / 2]).unwrap();
    let vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    assert_eq!(vault.recovery().unwrap().reason, RecoveryReason::Corrupt);
    assert_eq!(vault.accounts().len(), 1);

    // Without a backup, the same damage is a clear error.
    fs::remove_file(dir.path().join("vault.json.bak")).unwrap();
    let error = Vault::open(dir.path(), keystore).unwrap_err();
    assert_eq!(error.code(), "vault_corrupt");
    assert!(error.to_string().contains("not a readable vault file"));
}

#[test]
fn a_missing_current_file_opens_from_the_backup() {
    let (dir, keystore) = vault_with_two_saves();
    fs::remove_file(dir.path().join("vault.json")).unwrap();
    let vault = Vault::open(dir.path(), keystore).unwrap();
    assert_eq!(vault.recovery().unwrap().reason, RecoveryReason::Missing);
    assert_eq!(vault.accounts().len(), 1);
}

#[test]
fn a_newer_format_is_refused() {
    let (dir, keystore) = vault_with_two_saves();
    let current = dir.path().join("vault.json");
    let text = fs::read_to_string(&current).unwrap();
    let this = format!("\"version\": {}", spse_vault::VERSION);
    assert!(text.contains(&this));
    fs::write(&current, text.replace(&this, "\"version\": 7")).unwrap();
    let error = Vault::open(dir.path(), keystore).unwrap_err();
    assert_eq!(error.code(), "vault_too_new");
    assert!(
        error
            .to_string()
            .ends_with("written by a newer SPSE Auth (vault format 7); update the app")
    );
}

#[test]
fn no_secret_is_written_anywhere_in_the_data_folder() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    for i in 0..3 {
        vault
            .add(
                account("LPSE", &format!("u{i}")),
                site("https://lpse.go.id"),
                false,
            )
            .unwrap();
    }
    let secret = account("x", "y").secret().expose().to_vec();
    let key = keystore
        .entry(vault.key_id())
        .unwrap()
        .get_secret()
        .unwrap();
    for entry in fs::read_dir(dir.path()).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SECRET));
        assert!(!text.to_lowercase().contains(&SECRET.to_lowercase()));
        assert!(!bytes.windows(secret.len()).any(|w| w == secret));
        assert!(!bytes.windows(key.len()).any(|w| w == key));
        // Sites are sealed too ('.' is outside base64url, so no false alarm).
        assert!(!text.contains("lpse.go.id"));
    }
}

#[test]
fn debug_output_hides_secrets() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore).unwrap();
    vault.add(account("A", "a"), None, false).unwrap();
    let shown = format!("{vault:?}");
    assert!(shown.contains("[REDACTED]"));
    assert!(!shown.contains(SECRET));
}

/// A keystore that is never there, like a desktop without a Secret Service.
#[derive(Debug)]
struct DeadStore;

impl keyring_core::api::CredentialStoreApi for DeadStore {
    fn vendor(&self) -> String {
        "dead".into()
    }
    fn id(&self) -> String {
        "dead".into()
    }
    fn build(
        &self,
        _: &str,
        _: &str,
        _: Option<&std::collections::HashMap<&str, &str>>,
    ) -> keyring_core::Result<keyring_core::Entry> {
        Err(keyring_core::Error::NoStorageAccess(
            "org.freedesktop.DBus.Error.ServiceUnknown".into(),
        ))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn an_hotp_counter_moves_on_in_place() {
    let (dir, keystore) = setup();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let hotp = Payload::parse("otpauth://hotp/Bank:alice?secret=JBSWY3DPEHPK3PXP&counter=7")
        .unwrap()
        .accounts()[0]
        .clone();
    let id = vault.add(hotp, None, false).unwrap();
    let totp = vault.add(account("GitHub", "alice"), None, false).unwrap();
    vault.rename(&id, Some("Bank")).unwrap();
    assert_eq!(vault.advance_hotp(&id).unwrap(), Some(8));
    assert_eq!(vault.advance_hotp(&totp).unwrap(), None);
    // Kept in place, and on disk.
    let again = Vault::open(dir.path(), keystore).unwrap();
    let stored = again.get(&id).unwrap();
    assert_eq!(stored.account.kind(), spse_otp::Kind::Hotp { counter: 8 });
    assert_eq!(stored.label.as_deref(), Some("Bank"));
    assert_eq!(again.accounts()[0].id, id);
}
