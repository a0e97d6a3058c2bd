//! docs/vault-vector.json: the vault format's test vector decrypts, with the
//! documented key, to the documented plaintext and accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use keyring_core::mock;
use spse_vault::{Keystore, Vault, VaultFile, VaultKey};

const VECTOR: &str = include_str!("../../../docs/vault-vector.json");
const PLAINTEXT: &str = include_str!("../../../docs/vault-vector.plaintext.json");

fn key() -> [u8; 32] {
    std::array::from_fn(|i| i as u8)
}

#[test]
fn the_vector_decrypts_to_the_documented_plaintext() {
    let file = VaultFile::parse(VECTOR.as_bytes()).unwrap();
    assert_eq!(
        file.associated_data(),
        "spse-auth-vault\nversion=1\ncipher=AES-256-GCM\nkey_source=keyring\n\
         key_id=vault-0123456789abcdef\nkey_check=7K4zsvlhD2E\nnonce=UK9Z7_KCBvJdsr4M"
    );
    let plaintext = file.open(&VaultKey::from_bytes(key())).unwrap();
    assert_eq!(
        std::str::from_utf8(&plaintext).unwrap(),
        PLAINTEXT.trim_end()
    );
    assert_eq!(
        file.to_bytes(),
        VECTOR.as_bytes(),
        "the file is written as documented"
    );
}

/// A data folder holding the vector, and a keystore holding its key.
fn vector_folder() -> (tempfile::TempDir, Keystore) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vault.json"), VECTOR).unwrap();
    let keystore = Keystore::new(mock::Store::new().unwrap());
    keystore
        .entry("vault-0123456789abcdef")
        .unwrap()
        .set_secret(&key())
        .unwrap();
    (dir, keystore)
}

#[test]
fn the_vector_opens_as_a_vault() {
    let (dir, keystore) = vector_folder();
    let vault = Vault::open(dir.path(), keystore).unwrap();
    let accounts = vault.accounts();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].id, "a00112233445566aa");
    assert_eq!(accounts[0].account.name(), "PPK2");
    assert_eq!(
        accounts[0].site.as_ref().unwrap().server,
        "https://lpse.kuduskab.go.id"
    );
    assert_eq!(accounts[0].account.code_at(59).as_str(), "287082");
    assert_eq!(accounts[1].label.as_deref(), Some("Kantor"));
    assert_eq!(accounts[1].account.code_at(0).as_str(), "254676");
    assert_eq!(accounts[1].created_at, 1_763_856_001);
}

/// A format 1 vault opens in this build, and its first change writes the
/// current format with every account kept.
#[test]
fn a_format_1_vault_upgrades_on_its_next_change() {
    let (dir, keystore) = vector_folder();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    assert_eq!(vault.accounts()[0].site.as_ref().unwrap().device, None);
    vault.rename("a00112233445566aa", Some("Kudus")).unwrap();
    let text = std::fs::read_to_string(dir.path().join("vault.json")).unwrap();
    assert!(text.contains(&format!("\"version\": {}", spse_vault::VERSION)));
    let reopened = Vault::open(dir.path(), keystore).unwrap();
    assert_eq!(reopened.accounts().len(), 2);
    assert_eq!(reopened.accounts()[0].label.as_deref(), Some("Kudus"));
    assert_eq!(
        std::fs::read(dir.path().join("vault.json.bak")).unwrap(),
        VECTOR.as_bytes()
    );
}
