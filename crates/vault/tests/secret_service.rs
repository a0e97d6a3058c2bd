//! The vault on the real Secret Service (gnome-keyring in a private D-Bus
//! session, started by `make test` through scripts/with-secret-service.sh).
//! Ignored by a bare `cargo test`, which has no Secret Service to talk to.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fs;

use spse_otp::Payload;
use spse_vault::{Keystore, Site, Vault};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn add_ppk2(vault: &mut Vault) -> String {
    let uri = format!("otpauth://totp/LPSE%20Kudus:PPK2?secret={SECRET}&issuer=LPSE%20Kudus");
    let account = Payload::parse(&uri).unwrap().accounts()[0].clone();
    let site = Site {
        server: "https://lpse.kuduskab.go.id".into(),
        name: Some("LPSE Kudus".into()),
        training: false,
        device: None,
        trust_root: None,
        pending: None,
    };
    vault.add(account, Some(site), false).unwrap()
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn the_key_lives_in_the_secret_service_and_reopens_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (id, key_id) = {
        let mut vault = Vault::open(dir.path(), Keystore::platform().unwrap()).unwrap();
        (add_ppk2(&mut vault), vault.key_id().to_owned())
    };

    // A fresh connection, as a new process would make, finds it all again.
    let keystore = Keystore::platform().unwrap();
    let vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    assert_eq!(vault.accounts().len(), 1);
    assert_eq!(
        vault.get(&id).unwrap().account.code_at(59).as_str(),
        "287082"
    );

    // The key is the Secret Service item's secret, 32 bytes, under spse-auth.
    let key = keystore.entry(&key_id).unwrap().get_secret().unwrap();
    assert_eq!(key.len(), 32);

    // Nothing secret in the data folder.
    for entry in fs::read_dir(dir.path()).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(SECRET));
        assert!(!bytes.windows(32).any(|w| w == key.as_slice()));
        assert!(!bytes.windows(20).any(|w| w == b"12345678901234567890"));
    }

    // Without its key the vault is refused, not emptied.
    let before = fs::read(dir.path().join("vault.json")).unwrap();
    keystore
        .entry(&key_id)
        .unwrap()
        .delete_credential()
        .unwrap();
    let error = Vault::open(dir.path(), keystore).unwrap_err();
    assert_eq!(error.code(), "key_missing");
    assert_eq!(fs::read(dir.path().join("vault.json")).unwrap(), before);
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn each_vault_gets_its_own_key() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let keystore = Keystore::platform().unwrap();
    let first = Vault::open(one.path(), keystore.clone()).unwrap();
    let second = Vault::open(two.path(), keystore.clone()).unwrap();
    assert_ne!(first.key_id(), second.key_id());
    for vault in [first, second] {
        keystore
            .entry(vault.key_id())
            .unwrap()
            .delete_credential()
            .unwrap();
    }
}
