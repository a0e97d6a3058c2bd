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

const KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// The format 2 and 3 vectors, written by an independent writer
/// (tests/vault_reader/make_vectors.py, from docs/vault.md alone).
fn vector(version: u32) -> (&'static str, &'static str) {
    match version {
        2 => (
            include_str!("../../../docs/vault-vector-v2.json"),
            include_str!("../../../docs/vault-vector-v2.plaintext.json"),
        ),
        3 => (
            include_str!("../../../docs/vault-vector-v3.json"),
            include_str!("../../../docs/vault-vector-v3.plaintext.json"),
        ),
        _ => unreachable!(),
    }
}

#[test]
fn the_format_2_and_3_vectors_decrypt_and_are_laid_out_as_this_build_writes() {
    for version in [2, 3] {
        let (file_text, plaintext) = vector(version);
        let file = VaultFile::parse(file_text.as_bytes()).unwrap();
        assert_eq!(file.version, version);
        assert!(
            file.associated_data()
                .starts_with(&format!("spse-auth-vault\nversion={version}\n"))
        );
        let opened = file.open(&VaultKey::from_bytes(key())).unwrap();
        assert_eq!(std::str::from_utf8(&opened).unwrap(), plaintext.trim_end());
        assert_eq!(file.to_bytes(), file_text.as_bytes(), "v{version}");
    }
}

#[test]
fn the_format_3_vector_opens_with_every_member() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vault.json"), vector(3).0).unwrap();
    let keystore = Keystore::new(mock::Store::new().unwrap());
    keystore
        .entry("vault-0123456789abcdef")
        .unwrap()
        .set_secret(&key())
        .unwrap();
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let accounts = vault.accounts();
    assert_eq!(accounts.len(), 3);
    let kudus = accounts[0].site.as_ref().unwrap();
    assert_eq!(kudus.device.as_ref().unwrap().id, "EREREREREREREREREREREQ");
    assert!(!accounts[0].is_pending());
    let training = accounts[2].site.as_ref().unwrap();
    assert!(accounts[2].is_pending());
    assert_eq!(
        training.pending.as_ref().unwrap().started_at,
        1_763_856_002_000
    );
    assert_eq!(training.trust_root.as_ref().unwrap()[0], 0x30, "DER");
    assert_eq!(
        vault.clocks()["https://lpse.kuduskab.go.id"].offset_ms,
        -92_000
    );
    // Rewritten by this build, the content is byte for byte the same.
    vault.rename("a8899aabbccddeeff", Some("Kantor")).unwrap();
    let written = std::fs::read(dir.path().join("vault.json")).unwrap();
    let file = VaultFile::parse(&written).unwrap();
    let content = file.open(&VaultKey::from_bytes(key())).unwrap();
    assert_eq!(
        std::str::from_utf8(&content).unwrap(),
        vector(3).1.trim_end()
    );
}

/// tests/vault_reader/read_vault.py on `path`: the plaintext it prints.
fn python_reader(path: &std::path::Path, key_hex: &str) -> String {
    let reader = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vault_reader/read_vault.py"
    );
    // Debian's python3, which has the python3-cryptography that `make test`
    // installs (a python3 earlier on PATH, e.g. pyenv's, may not).
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let out = std::process::Command::new(python)
        .arg(reader)
        .arg(path)
        .arg(key_hex)
        .output()
        .expect("python3 (make test installs it, with python3-cryptography)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// docs/vault.md is enough to read every vector: the independent reader
/// decrypts each to its documented plaintext.
#[test]
fn the_independent_reader_opens_every_vector() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs");
    for (file, plaintext) in [
        ("vault-vector.json", PLAINTEXT),
        ("vault-vector-v2.json", vector(2).1),
        ("vault-vector-v3.json", vector(3).1),
    ] {
        let path = std::path::Path::new(docs).join(file);
        assert_eq!(
            python_reader(&path, KEY_HEX),
            plaintext.trim_end(),
            "{file}"
        );
    }
}

/// ...and it opens a vault this build has just written, with every kind of
/// member in it, knowing nothing but docs/vault.md.
#[test]
fn the_independent_reader_opens_a_freshly_written_vault() {
    use spse_otp::Payload;
    use spse_vault::{ClockOffset, DeviceIdentity, Site};
    let dir = tempfile::tempdir().unwrap();
    let keystore = Keystore::new(mock::Store::new().unwrap());
    let mut vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let account = |uri: &str| Payload::parse(uri).unwrap().accounts()[0].clone();
    let site = Site {
        device: Some(DeviceIdentity {
            id: "EREREREREREREREREREREQ".into(),
            key: zeroize::Zeroizing::new(vec![1, 2, 3]),
        }),
        trust_root: Some(vec![0x30, 0x03, 0x02, 0x01, 0x01]),
        ..Site::new("https://lpse.example.go.id", false)
    };
    let enrolling = vault
        .begin_enrollment(
            account("otpauth://totp/LPSE:PPK2?secret=JBSWY3DPEHPK3PXP"),
            site,
            false,
        )
        .unwrap();
    let spse = enrolling.id().to_owned();
    vault
        .finish_enrollment(enrolling, Some("LPSE Contoh".into()))
        .unwrap();
    let plain = vault
        .add(
            account("otpauth://hotp/ACME:bob?secret=GEZDGNBVGY3TQOJQ&counter=7"),
            None,
            false,
        )
        .unwrap();
    vault
        .set_clocks(&std::collections::BTreeMap::from([(
            "https://lpse.example.go.id".to_owned(),
            ClockOffset {
                offset_ms: 61_000,
                measured_at: 1,
            },
        )]))
        .unwrap();
    let key = keystore
        .entry(vault.key_id())
        .unwrap()
        .get_secret()
        .unwrap();
    let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();

    let read: serde_json::Value =
        serde_json::from_str(&python_reader(&dir.path().join("vault.json"), &key_hex)).unwrap();
    let accounts = read["accounts"].as_array().unwrap();
    assert_eq!(accounts[0]["id"], spse.as_str());
    assert!(
        accounts[0]["otpauth"]
            .as_str()
            .unwrap()
            .contains("secret=JBSWY3DPEHPK3PXP")
    );
    assert_eq!(accounts[0]["site"]["name"], "LPSE Contoh");
    assert_eq!(accounts[0]["site"]["device"]["key"], "AQID");
    assert_eq!(accounts[0]["site"]["trust_root"], "MAMCAQE");
    assert_eq!(accounts[1]["id"], plain.as_str());
    assert_eq!(
        read["clocks"]["https://lpse.example.go.id"]["offset_ms"],
        61_000
    );
    // The backup is a vault too.
    let backup: serde_json::Value =
        serde_json::from_str(&python_reader(&dir.path().join("vault.json.bak"), &key_hex)).unwrap();
    assert_eq!(backup["accounts"].as_array().unwrap().len(), 2);
}
