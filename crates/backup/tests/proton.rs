//! Proton Authenticator's export: every file of the fixtures' `proton/`
//! folder read as the upstream tests expect (beemdevelopment/Aegis
//! `testImportProtonAuthenticator`; ente-io/ente
//! `proton_import_parser_test.dart`), and the password-protected export's
//! failures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spse_backup::{Detected, Error, Format, Imported, Limits, SkipReason, detect, read};

/// The password of Ente's password-protected fixture (its name says it).
const PASSWORD: &str = "1231246";

/// Ente's expectations of its plain and protected fixtures, in order:
/// `.env` / example@ente.io, `/e/` / cool@ente.com (the label `:cool@ente.com`),
/// ente / simple@ente.sh, reddit / r@ente.com; all SHA1, 6 digits, 30 s.
const ENTE_FIXTURE: &[&str] = &[
    "totp SHA1 6 30 .env|example@ente.io MI4GCOJSGIZTKLJSGMZWKLJUGEZDQLJYG5STILJSMUYDIYTCMQ3TSOJRGI",
    "totp SHA1 6 30 /e/|cool@ente.com 554VBDOGJRLDG2JV",
    "totp SHA1 6 30 ente|simple@ente.sh PIBTGMBYQYVSLN5PVZYQUTKYHOBRYYT7",
    "totp SHA1 6 30 reddit|r@ente.com J4YFC3TZKVYWCVCNIVBWIV2GHFAXUNDF",
];

/// Reads fixture `path` with `password` and returns what it holds.
fn import(path: &str, password: Option<&str>) -> Option<Imported> {
    let bytes = common::fixture(path)?;
    let imported =
        read(&bytes, password, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(imported.format, Format::Proton, "{path}");
    Some(imported)
}

/// Asserts `path` holds exactly `expected`, nothing skipped.
fn assert_accounts(path: &str, password: Option<&str>, expected: &[&str]) {
    let Some(imported) = import(path, password) else {
        return;
    };
    assert_eq!(common::lines(&imported.accounts), expected, "{path}");
    assert_eq!(imported.skipped, vec![], "{path}");
}

#[test]
fn aegis_plain_export() {
    // Three of the Aegis test vectors.
    assert_accounts(
        "proton/aegis-upstream_proton_authenticator.json",
        None,
        &[
            "totp SHA1 6 30 Deno|Mason 4SJHB4GSD43FZBAI7C2HLRJGPQ",
            "totp SHA256 7 20 SPDX|James 5OM4WOOGPLQEF6UGN3CPEOOLWU",
            "totp SHA512 8 50 Airbnb|Elijah 7ELGJSGXNCCTV3O6LKJWYFV2RA",
        ],
    );
}

#[test]
fn ente_plain_export() {
    assert_accounts(
        "proton/ente_proton_authenticator_backup.json",
        None,
        ENTE_FIXTURE,
    );
}

#[test]
fn ente_password_protected_export() {
    // Ente: the same four codes as the plain fixture.
    assert_accounts(
        "proton/ente_proton_authenticator_backup_encrypted_1231246.json",
        Some(PASSWORD),
        ENTE_FIXTURE,
    );
}

#[test]
fn every_file_is_detected() {
    let files = [
        ("aegis-upstream_proton_authenticator.json", false),
        ("ente_proton_authenticator_backup.json", false),
        (
            "ente_proton_authenticator_backup_encrypted_1231246.json",
            true,
        ),
    ];
    for (file, encrypted) in files {
        let Some(bytes) = common::fixture(&format!("proton/{file}")) else {
            return;
        };
        assert_eq!(
            detect(&bytes).unwrap(),
            Detected {
                format: Format::Proton,
                encrypted
            },
            "{file}"
        );
    }
}

/// The protected fixture's bytes.
fn sealed() -> Option<Vec<u8>> {
    common::fixture("proton/ente_proton_authenticator_backup_encrypted_1231246.json")
}

#[test]
fn no_password_asks_for_one() {
    let Some(bytes) = sealed() else { return };
    assert_eq!(
        read(&bytes, None, &Limits::default()).unwrap_err(),
        Error::PasswordNeeded {
            format: Format::Proton
        }
    );
}

#[test]
fn wrong_password_is_told() {
    let Some(bytes) = sealed() else { return };
    for password in ["wrong-password", ""] {
        assert_eq!(
            read(&bytes, Some(password), &Limits::default()).unwrap_err(),
            Error::WrongPassword {
                format: Format::Proton
            }
        );
    }
}

#[test]
fn the_fixed_19_mib_are_checked_against_the_limit() {
    let Some(bytes) = sealed() else { return };
    assert_eq!(
        read(&bytes, Some(PASSWORD), &Limits { kdf_memory_mib: 16 }).unwrap_err(),
        Error::TooMuchMemory {
            format: Format::Proton,
            asked_mib: 19,
            limit_mib: 16
        }
    );
}

/// The protected fixture with `change` made to its JSON.
fn edited(change: impl FnOnce(&mut serde_json::Value)) -> Option<Vec<u8>> {
    let mut json: serde_json::Value = serde_json::from_slice(&sealed()?).unwrap();
    change(&mut json);
    Some(serde_json::to_vec(&json).unwrap())
}

#[test]
fn truncated_or_broken_files_are_damaged_without_panic() {
    use serde_json::json;
    let Some(bytes) = sealed() else { return };
    let content = {
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        json["content"].as_str().unwrap().to_owned()
    };
    // Broken fields: damaged, naming the field.
    let cases = [
        ("content", json!("AAAA"), "content"),
        ("content", json!(&content[..content.len() - 3]), "content"),
        ("salt", json!("***"), "salt"),
        ("salt", json!("c2hvcnQ="), "salt"),
    ];
    for (field, value, named) in cases {
        let Some(bytes) = edited(|j| j[field] = value.clone()) else {
            return;
        };
        let err = read(&bytes, Some(PASSWORD), &Limits::default()).unwrap_err();
        assert!(
            matches!(&err, Error::Damaged { format: Format::Proton, what } if what.starts_with(named)),
            "{field}: {err:?}"
        );
    }
    // Whole Base64 groups cut off: the GCM tag fails, as a wrong password's.
    let Some(bytes) = edited(|j| j["content"] = json!(&content[..content.len() - 8])) else {
        return;
    };
    assert_eq!(
        read(&bytes, Some(PASSWORD), &Limits::default()).unwrap_err(),
        Error::WrongPassword {
            format: Format::Proton
        }
    );
    // A newer version says so.
    let Some(bytes) = edited(|j| j["version"] = json!(2)) else {
        return;
    };
    assert_eq!(
        read(&bytes, Some(PASSWORD), &Limits::default()).unwrap_err(),
        Error::NewerVersion {
            format: Format::Proton,
            version: "2".into()
        }
    );
    // The plain export cut anywhere: never a panic, damaged once plainly
    // Proton's ("entries" and "entry_type" in) but no longer JSON.
    let Some(plain) = common::fixture("proton/ente_proton_authenticator_backup.json") else {
        return;
    };
    let marker = b"\"entry_type\"";
    let after = plain
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap()
        + marker.len();
    for len in 0..plain.len() {
        let result = read(&plain[..len], None, &Limits::default());
        if len >= after && result.is_err() {
            assert!(
                matches!(
                    result,
                    Err(Error::Damaged {
                        format: Format::Proton,
                        ..
                    })
                ),
                "{len}: {result:?}"
            );
        }
    }
}

#[test]
fn broken_entries_are_skipped_and_no_error_holds_a_secret() {
    let json = br#"{"version": 1, "entries": [
        {"id": "1", "content": {"uri": "otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP", "entry_type": "Totp", "name": "me"}, "note": null},
        {"id": "2", "content": {"uri": "steam://JBSWY3DPEHPK3PXP", "entry_type": "Steam", "name": "gabe"}, "note": null},
        {"id": "3", "content": {"uri": "otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=Shop", "entry_type": "Totp", "name": "shopper"}, "note": null},
        {"id": "4", "content": {"uri": "otpauth://totp/Bad:one?secret=SECRET1!!", "entry_type": "Totp", "name": "one"}, "note": null},
        {"id": "5", "content": {"entry_type": "Totp", "name": "nothing"}, "note": null},
        {"id": "6"}
    ]}"#;
    let imported = read(json, None, &Limits::default()).unwrap();
    assert_eq!(
        common::lines(&imported.accounts),
        [
            "totp SHA1 6 30 Site|me JBSWY3DPEHPK3PXP",
            "steam SHA1 5 30 Steam|gabe JBSWY3DPEHPK3PXP",
            // A link without a label: the entry's name.
            "totp SHA1 6 30 Shop|shopper JBSWY3DPEHPK3PXP",
        ]
    );
    let names: Vec<&str> = imported.skipped.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["one", "nothing", ""]);
    assert!(
        matches!(&imported.skipped[1].reason, SkipReason::Invalid(why) if why.contains("content.uri"))
    );
    for skip in &imported.skipped {
        assert!(
            !skip.reason.to_string().contains("SECRET1"),
            "{}",
            skip.reason
        );
    }
    let Some(bytes) = sealed() else { return };
    for password in ["hunter2-wrong", PASSWORD] {
        let err = read(
            &bytes[..bytes.len() / 2],
            Some(password),
            &Limits::default(),
        )
        .unwrap_err();
        let said = format!("{err} {err:?}");
        assert!(!said.contains(password), "{said}");
    }
}
