//! Exports for leaving SPSE Auth: each parses back to what it was made
//! from; the encrypted Aegis file opens as Aegis opens it (scrypt, then
//! AES-256-GCM), and, once this crate reads Aegis files, reads back to the
//! same accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use base64::Engine as _;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use serde_json::{Value, json};
use spse_backup::export;
use spse_otp::{Account, Payload};

fn accounts() -> Vec<Account> {
    [
        "otpauth://totp/LPSE%20Kudus:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20Kudus",
        "otpauth://totp/ACME:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA256&digits=8&period=60",
        "otpauth://hotp/carol?secret=GEZDGNBVGY3TQOJQ&counter=7&algorithm=SHA512",
        "otpauth://steam/Steam:gamer?secret=JBSWY3DPEHPK3PXP&issuer=Steam",
        "otpauth://totp/Pel%C3%A9%20%E2%9C%93:b%C3%BC%22r%5C?secret=JBSWY3DPEHPK3PXP&issuer=Pel%C3%A9%20%E2%9C%93",
    ]
    .iter()
    .map(|uri| Payload::parse(uri).unwrap().accounts()[0].clone())
    .collect()
}

/// Each account's entry as Aegis writes it, the uuid left out.
fn expected_entries() -> Value {
    let entry = |kind: &str, name: &str, issuer: &str, info: Value| {
        json!({"type": kind, "name": name, "issuer": issuer, "note": "", "favorite": false,
               "icon": null, "info": info, "groups": []})
    };
    json!([
        entry(
            "totp",
            "PPK2",
            "LPSE Kudus",
            json!({"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "algo": "SHA1", "digits": 6, "period": 30})
        ),
        entry(
            "totp",
            "alice@example.com",
            "ACME",
            json!({"secret": "JBSWY3DPEHPK3PXP",
            "algo": "SHA256", "digits": 8, "period": 60})
        ),
        entry(
            "hotp",
            "carol",
            "",
            json!({"secret": "GEZDGNBVGY3TQOJQ",
            "algo": "SHA512", "digits": 6, "counter": 7})
        ),
        entry(
            "steam",
            "gamer",
            "Steam",
            json!({"secret": "JBSWY3DPEHPK3PXP",
            "algo": "SHA1", "digits": 5, "period": 30})
        ),
        entry(
            "totp",
            "bü\"r\\",
            "Pelé ✓",
            json!({"secret": "JBSWY3DPEHPK3PXP",
            "algo": "SHA1", "digits": 6, "period": 30})
        ),
    ])
}

/// Checks the entries' uuids (v4, all different) and drops them.
fn without_uuids(entries: &Value) -> Value {
    let mut entries = entries.clone();
    let mut seen = std::collections::HashSet::new();
    for entry in entries.as_array_mut().unwrap() {
        let uuid = entry
            .as_object_mut()
            .unwrap()
            .remove("uuid")
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        check_uuid_v4(&uuid);
        assert!(seen.insert(uuid), "uuids are unique");
    }
    entries
}

fn check_uuid_v4(uuid: &str) {
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{uuid}"
    );
    assert!(
        uuid.chars()
            .all(|c| c == '-' || matches!(c, '0'..='9' | 'a'..='f')),
        "{uuid}"
    );
    assert!(groups[2].starts_with('4'), "version 4: {uuid}");
    assert!(
        matches!(&groups[3][..1], "8" | "9" | "a" | "b"),
        "variant: {uuid}"
    );
}

fn unhex(text: &str) -> Vec<u8> {
    assert!(
        text.len().is_multiple_of(2) && text.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
    );
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// AES-256-GCM open, as Aegis does: ciphertext, then the tag kept apart.
fn gcm_open(key: &[u8], nonce_hex: &str, tag_hex: &str, ciphertext: &[u8]) -> Vec<u8> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap());
    let nonce = Nonce::try_assume_unique_for_key(&unhex(nonce_hex)).unwrap();
    let mut data = ciphertext.to_vec();
    data.extend(unhex(tag_hex));
    key.open_in_place(nonce, Aad::empty(), &mut data)
        .unwrap()
        .to_vec()
}

fn aegis_reader_exists() -> bool {
    !include_str!("../src/formats/aegis.rs").contains("PLACEHOLDER")
}

/// Once this crate reads Aegis files, the export reads back to the accounts.
fn reads_back(file: &[u8], password: Option<&str>) {
    if !aegis_reader_exists() {
        println!("skipped: the Aegis importer is not written yet");
        return;
    }
    let imported = spse_backup::read(file, password, &spse_backup::Limits::default()).unwrap();
    assert_eq!(imported.format, spse_backup::Format::Aegis);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_eq!(imported.accounts, accounts());
}

#[test]
fn the_plain_aegis_export_is_an_aegis_vault() {
    let file = export::aegis_plain(&accounts());
    assert_eq!(file.last(), Some(&b'\n'));
    let vault: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(vault["version"], 1);
    assert_eq!(vault["header"], json!({"slots": null, "params": null}));
    assert_eq!(vault["db"]["version"], 3);
    assert_eq!(vault["db"]["groups"], json!([]));
    assert_eq!(vault["db"]["icons_optimized"], true);
    assert_eq!(without_uuids(&vault["db"]["entries"]), expected_entries());
    reads_back(&file, None);
}

#[test]
fn the_encrypted_aegis_export_opens_as_aegis_opens_it() {
    let password = "sandi ekspor ✓";
    let file = export::aegis_encrypted(&accounts(), password).unwrap();
    let vault: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(vault["version"], 1);
    let text = String::from_utf8(file.clone()).unwrap();
    assert!(
        !text.contains("JBSWY3DPEHPK3PXP") && !text.contains("PPK2"),
        "all sealed"
    );

    let slots = vault["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(slot["type"], 1);
    assert_eq!(
        (&slot["n"], &slot["r"], &slot["p"]),
        (&json!(32768), &json!(8), &json!(1))
    );
    check_uuid_v4(slot["uuid"].as_str().unwrap());
    let salt = unhex(slot["salt"].as_str().unwrap());
    assert_eq!(salt.len(), 32);

    // The password slot: scrypt(password, salt) unwraps the master key.
    let mut slot_key = [0u8; 32];
    scrypt::scrypt(
        password.as_bytes(),
        &salt,
        &scrypt::Params::new(15, 8, 1, 32).unwrap(),
        &mut slot_key,
    )
    .unwrap();
    let wrapped = unhex(slot["key"].as_str().unwrap());
    assert_eq!(wrapped.len(), 32);
    let master = gcm_open(
        &slot_key,
        slot["key_params"]["nonce"].as_str().unwrap(),
        slot["key_params"]["tag"].as_str().unwrap(),
        &wrapped,
    );

    // The master key opens the db: base64 with padding.
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(vault["db"].as_str().unwrap())
        .unwrap();
    let params = &vault["header"]["params"];
    let db: Value = serde_json::from_slice(&gcm_open(
        &master,
        params["nonce"].as_str().unwrap(),
        params["tag"].as_str().unwrap(),
        &sealed,
    ))
    .unwrap();
    assert_eq!(db["version"], 3);
    assert_eq!(without_uuids(&db["entries"]), expected_entries());

    reads_back(&file, Some(password));
}

#[test]
fn the_encrypted_export_refuses_a_short_password() {
    assert_eq!(
        export::aegis_encrypted(&accounts(), "pendek").unwrap_err(),
        spse_backup::Error::PasswordTooShort { min: 8 }
    );
}

#[test]
fn two_exports_share_no_key_salt_or_uuid() {
    let a: Value =
        serde_json::from_slice(&export::aegis_encrypted(&accounts(), "password1").unwrap())
            .unwrap();
    let b: Value =
        serde_json::from_slice(&export::aegis_encrypted(&accounts(), "password1").unwrap())
            .unwrap();
    let slot = |v: &Value, k: &str| v["header"]["slots"][0][k].clone();
    for member in ["salt", "uuid", "key"] {
        assert_ne!(slot(&a, member), slot(&b, member), "{member}");
    }
    assert_ne!(
        a["header"]["params"]["nonce"],
        b["header"]["params"]["nonce"]
    );
    let plain_a: Value = serde_json::from_slice(&export::aegis_plain(&accounts())).unwrap();
    let plain_b: Value = serde_json::from_slice(&export::aegis_plain(&accounts())).unwrap();
    assert_ne!(
        plain_a["db"]["entries"][0]["uuid"],
        plain_b["db"]["entries"][0]["uuid"]
    );
}

#[test]
fn the_otpauth_list_parses_back_to_the_accounts() {
    let list = export::otpauth_list(&accounts());
    let text = std::str::from_utf8(&list).unwrap();
    assert!(text.ends_with('\n'));
    let read: Vec<Account> = text
        .lines()
        .map(|line| match Payload::parse(line).unwrap() {
            Payload::Otpauth(account) => account,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(read, accounts());
    assert!(text.lines().nth(3).unwrap().starts_with("otpauth://steam/"));
    // This crate reads it back as an otpauth:// list too.
    if include_str!("../src/formats/uris.rs").contains("PLACEHOLDER") {
        println!("skipped: the otpauth:// list importer is not written yet");
        return;
    }
    let imported = spse_backup::read(&list, None, &spse_backup::Limits::default()).unwrap();
    assert_eq!(imported.format, spse_backup::Format::OtpauthList);
    assert_eq!(imported.accounts, accounts());
}

#[test]
fn nothing_to_export_is_an_empty_but_valid_file() {
    let vault: Value = serde_json::from_slice(&export::aegis_plain(&[])).unwrap();
    assert_eq!(vault["db"]["entries"], json!([]));
    assert!(export::otpauth_list(&[]).is_empty());
    let sealed: Value =
        serde_json::from_slice(&export::aegis_encrypted(&[], "password1").unwrap()).unwrap();
    assert!(sealed["db"].is_string());
}
