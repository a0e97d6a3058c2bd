//! Bitwarden's and Bitwarden Authenticator's exports: every file of the
//! fixtures' `bitwarden/` folder read as the upstream tests expect
//! (beemdevelopment/Aegis `DatabaseImporterTest` `testImportBitwarden*`;
//! protonpass/proton-pass-common `parser/bitwarden/{json,csv}.rs` tests;
//! jamie-mh/AuthenticatorPro `BitwardenBackupConverterTest`), and the
//! password-protected export's failures.
//!
//! Where the upstream tests leave a label open (Aegis checks only a Steam
//! entry's secret, AuthenticatorPro counts), one rule holds: a link keeps
//! its labels; a `steam://` value or bare secret takes the item's name as
//! issuer and the login's username (else the item's name) as account name,
//! which is what proton-pass-common expects (`SteamName`, `ItemWithTOTP` /
//! `myusername`) and AuthenticatorPro does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spse_backup::{Detected, Error, Format, Imported, Limits, detect, read};

/// The password of AuthenticatorPro's two password-protected exports.
const PASSWORD: &str = "rud9^5S6$^Ewmr%d";

/// The Aegis test vectors as Bitwarden holds them: three TOTP links, and a
/// `steam://` value in the item "Test Steam" (JSON) or "Test 4" (CSV).
fn aegis_vectors(steam_item: &str) -> Vec<String> {
    vec![
        "totp SHA1 6 30 Deno|Mason 4SJHB4GSD43FZBAI7C2HLRJGPQ".into(),
        "totp SHA256 7 20 SPDX|James 5OM4WOOGPLQEF6UGN3CPEOOLWU".into(),
        "totp SHA512 8 50 Airbnb|Elijah 7ELGJSGXNCCTV3O6LKJWYFV2RA".into(),
        format!("steam SHA1 5 30 {steam_item}|{steam_item} JRZCL47CMXVOQMNPZR2F7J4RGI"),
    ]
}

/// AuthenticatorPro's vault: 8 items with a TOTP (cards, identities, notes
/// and items without one are no accounts), no failure.
const STRATUM_VAULT: &[&str] = &[
    "totp SHA1 6 60 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
    "totp SHA1 9 30 Many|Digits WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
    "totp SHA1 6 30 NoIssuer|NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
    // A bare Base32 secret: the item "Secret", username "Only".
    "totp SHA1 6 30 Secret|Only JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
    "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
    "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
    "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
    "steam SHA1 5 30 Steam|john@example.com GJD4ZX3RQMLCAXKCT7GGQ4U27VN4FPK6",
];

/// proton-pass-common's `bitwarden.json` and `bitwarden.csv`: labels
/// `LABEL_256_8_15` (SHA256, 8, 15), `LABEL_DEFAULT`, the Steam item
/// `SteamName`, `Seven digit username` (7 digits). `SOMESECRET` has two
/// unused bits, so it is written back as `SOMESECREQ`.
const PROTON_SAMPLE: &[&str] = &[
    "totp SHA256 8 15 ISSUER|LABEL_256_8_15 SECRETDATA",
    "totp SHA1 6 30 ISSUER_DEFAULT|LABEL_DEFAULT SOMESECREQ",
    "steam SHA1 5 30 SteamName|SteamName STEAMKEY",
    "totp SHA1 7 30 SevenDigits|Seven digit username SEVENDIGITSECRET",
];

/// Reads fixture `path`, which must be Bitwarden's, and returns what it holds.
fn import(path: &str, password: Option<&str>) -> Option<Imported> {
    let bytes = common::fixture(path)?;
    let imported =
        read(&bytes, password, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(imported.format, Format::Bitwarden, "{path}");
    Some(imported)
}

/// Asserts `path` holds exactly `expected`, nothing skipped.
fn assert_accounts(path: &str, password: Option<&str>, expected: &[String]) {
    let Some(imported) = import(path, password) else {
        return;
    };
    assert_eq!(common::lines(&imported.accounts), expected, "{path}");
    assert_eq!(imported.skipped, vec![], "{path}");
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| (*l).to_owned()).collect()
}

#[test]
fn aegis_json_export() {
    assert_accounts(
        "bitwarden/aegis-upstream_bitwarden.json",
        None,
        &aegis_vectors("Test Steam"),
    );
}

#[test]
fn aegis_csv_export() {
    assert_accounts(
        "bitwarden/aegis-upstream_bitwarden.csv",
        None,
        &aegis_vectors("Test 4"),
    );
}

#[test]
fn proton_json_sample() {
    assert_accounts(
        "bitwarden/protonpass_bitwarden.json",
        None,
        &strings(PROTON_SAMPLE),
    );
}

#[test]
fn proton_csv_with_its_own_column_order() {
    // folder,favorite,type,name,login_uri,login_totp and three extra fields a row.
    assert_accounts(
        "bitwarden/protonpass_bitwarden.csv",
        None,
        &strings(PROTON_SAMPLE),
    );
}

#[test]
fn proton_password_manager_export_with_a_bare_secret() {
    // "ItemWithoutTOTP" (totp null) is no account, and not skipped either.
    assert_accounts(
        "bitwarden/protonpass_bitwarden_app.json",
        None,
        &strings(&["totp SHA1 6 30 ItemWithTOTP|myusername KNKVARKSKNCUGUSFKRFUKWJR"]),
    );
}

#[test]
fn authenticator_csv_with_empty_labels_and_blank_lines() {
    // Links `otpauth://totp/?secret=..&issuer=Code%202%20`: the item's name
    // (trimmed) is the account name, as proton-pass-common expects
    // ("Code 2", "Code 3", "Code1", SHA1 6 30). `JSJZJFBBDK` and
    // `JDKSNDJJDNDJJDBXB` carry unused bits, written back without them.
    assert_accounts(
        "bitwarden/protonpass_bitwarden_sample.csv",
        None,
        &strings(&[
            "totp SHA1 6 30 Code 2|Code 2 NDSKXJHDJNDBDBBB",
            "totp SHA1 6 30 Code 3|Code 3 JSJZJFBBDI",
            "totp SHA1 6 30 Code1|Code1 JDKSNDJJDNDJJDBX",
        ]),
    );
}

#[test]
fn authenticator_ios_json() {
    // `EXAMPLE` has three unused bits: written back as `EXAMPLA`.
    assert_accounts(
        "bitwarden/bitwarden-authenticator-ios_BitwardenExport.json",
        None,
        &strings(&[
            "totp SHA1 6 30 Bitwarden|person@example.com EXAMPLA",
            "steam SHA1 5 30 Steam|person@example.com EXAMPLA",
        ]),
    );
}

#[test]
fn authenticator_android_json() {
    // AuthenticatorPro's ConvertAsync_authenticator: 6 accounts, no failure.
    assert_accounts(
        "bitwarden/stratum_bitwardenauthenticator.json",
        None,
        &strings(&[
            "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
            "totp SHA1 6 30 NoIssuer|NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
            "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
            "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
            "totp SHA1 9 30 Many|Digits WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
            "totp SHA1 6 60 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
        ]),
    );
}

#[test]
fn stratum_unencrypted_vault() {
    assert_accounts(
        "bitwarden/stratum_bitwarden.unencrypted.json",
        None,
        &strings(STRATUM_VAULT),
    );
}

#[test]
fn stratum_password_protected_pbkdf2() {
    assert_accounts(
        "bitwarden/stratum_bitwarden.encrypted.pbkdf2.json",
        Some(PASSWORD),
        &strings(STRATUM_VAULT),
    );
}

#[test]
fn stratum_password_protected_argon2id() {
    assert_accounts(
        "bitwarden/stratum_bitwarden.encrypted.argon2id.json",
        Some(PASSWORD),
        &strings(STRATUM_VAULT),
    );
}

#[test]
fn account_restricted_export_is_refused_with_what_to_do() {
    let Some(bytes) =
        common::fixture("bitwarden/stratum_bitwarden.encrypted.accountrestricted.json")
    else {
        return;
    };
    // No password can open it, so none is asked for.
    assert_eq!(
        detect(&bytes).unwrap(),
        Detected {
            format: Format::Bitwarden,
            encrypted: false
        }
    );
    for password in [None, Some("password")] {
        let err = read(&bytes, password, &Limits::default()).unwrap_err();
        let Error::Unsupported { format, what } = &err else {
            panic!("not refused as unsupported: {err:?}");
        };
        assert_eq!(*format, Format::Bitwarden);
        assert!(
            what.contains("sealed with the Bitwarden account's own key"),
            "{what}"
        );
        assert!(what.contains("\"Password protected\""), "{what}");
        assert!(what.contains("unencrypted"), "{what}");
        assert_eq!(err.code(), "importUnsupported");
    }
}

#[test]
fn every_file_is_detected() {
    let files = [
        ("aegis-upstream_bitwarden.csv", false),
        ("aegis-upstream_bitwarden.json", false),
        ("bitwarden-authenticator-ios_BitwardenExport.json", false),
        ("protonpass_bitwarden.csv", false),
        ("protonpass_bitwarden.json", false),
        ("protonpass_bitwarden_app.json", false),
        ("protonpass_bitwarden_sample.csv", false),
        ("stratum_bitwarden.encrypted.accountrestricted.json", false),
        ("stratum_bitwarden.encrypted.argon2id.json", true),
        ("stratum_bitwarden.encrypted.pbkdf2.json", true),
        ("stratum_bitwarden.unencrypted.json", false),
        ("stratum_bitwardenauthenticator.json", false),
    ];
    for (file, encrypted) in files {
        let Some(bytes) = common::fixture(&format!("bitwarden/{file}")) else {
            return;
        };
        assert_eq!(
            detect(&bytes).unwrap(),
            Detected {
                format: Format::Bitwarden,
                encrypted
            },
            "{file}"
        );
    }
}

#[test]
fn no_password_asks_for_one() {
    for file in [
        "stratum_bitwarden.encrypted.pbkdf2.json",
        "stratum_bitwarden.encrypted.argon2id.json",
    ] {
        let Some(bytes) = common::fixture(&format!("bitwarden/{file}")) else {
            return;
        };
        assert_eq!(
            read(&bytes, None, &Limits::default()).unwrap_err(),
            Error::PasswordNeeded {
                format: Format::Bitwarden
            },
            "{file}"
        );
    }
}

#[test]
fn wrong_password_is_told() {
    for file in [
        "stratum_bitwarden.encrypted.pbkdf2.json",
        "stratum_bitwarden.encrypted.argon2id.json",
    ] {
        let Some(bytes) = common::fixture(&format!("bitwarden/{file}")) else {
            return;
        };
        for password in ["wrong password", ""] {
            assert_eq!(
                read(&bytes, Some(password), &Limits::default()).unwrap_err(),
                Error::WrongPassword {
                    format: Format::Bitwarden
                },
                "{file}"
            );
        }
    }
}

/// A change to an export's JSON object.
type Edit = Box<dyn FnOnce(&mut serde_json::Map<String, serde_json::Value>)>;

/// The PBKDF2 file with `change` made to its JSON.
fn edited_pbkdf2(
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Option<Vec<u8>> {
    let bytes = common::fixture("bitwarden/stratum_bitwarden.encrypted.pbkdf2.json")?;
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    change(json.as_object_mut().unwrap());
    Some(serde_json::to_vec(&json).unwrap())
}

#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    use serde_json::json;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|j| drop(j.insert("kdfIterations".into(), json!(4_000_000_000u64)))),
            "kdfIterations",
        ),
        (
            Box::new(|j| drop(j.insert("kdfIterations".into(), json!(0)))),
            "kdfIterations",
        ),
        (
            Box::new(|j| drop(j.insert("kdfType".into(), json!(7)))),
            "kdfType",
        ),
        (
            Box::new(|j| {
                j.insert("kdfType".into(), json!(1));
                j.insert("kdfIterations".into(), json!(1_000_000));
                j.insert("kdfMemory".into(), json!(64));
                j.insert("kdfParallelism".into(), json!(4));
            }),
            "kdfIterations",
        ),
        (
            Box::new(|j| {
                j.insert("kdfType".into(), json!(1));
                j.insert("kdfIterations".into(), json!(3));
                j.insert("kdfMemory".into(), json!(64));
                j.insert("kdfParallelism".into(), json!(100_000));
            }),
            "kdfParallelism",
        ),
    ];
    for (change, field) in cases {
        let Some(bytes) = edited_pbkdf2(change) else {
            return;
        };
        let err = read(&bytes, Some(PASSWORD), &Limits::default()).unwrap_err();
        assert!(
            matches!(&err, Error::Unsupported { what, .. } if what.starts_with(field)),
            "{field}: {err:?}"
        );
    }
    // Argon2id's memory goes through the device's limit: 1 TiB is refused
    // at once, and so are 64 MiB on a device that gives 32.
    let Some(huge) = edited_pbkdf2(|j| {
        j.insert("kdfType".into(), json!(1));
        j.insert("kdfIterations".into(), json!(3));
        j.insert("kdfMemory".into(), json!(1024 * 1024));
        j.insert("kdfParallelism".into(), json!(4));
    }) else {
        return;
    };
    assert!(matches!(
        read(&huge, Some(PASSWORD), &Limits::default()).unwrap_err(),
        Error::TooMuchMemory {
            format: Format::Bitwarden,
            asked_mib: 1_048_576,
            limit_mib: 1024
        }
    ));
    let Some(bytes) = common::fixture("bitwarden/stratum_bitwarden.encrypted.argon2id.json") else {
        return;
    };
    assert_eq!(
        read(&bytes, Some(PASSWORD), &Limits { kdf_memory_mib: 32 }).unwrap_err(),
        Error::TooMuchMemory {
            format: Format::Bitwarden,
            asked_mib: 64,
            limit_mib: 32
        }
    );
}

#[test]
fn broken_or_truncated_files_are_damaged_without_panic() {
    let Some(bytes) = common::fixture("bitwarden/stratum_bitwarden.encrypted.pbkdf2.json") else {
        return;
    };
    // The file cut anywhere: never a panic; once it is plainly Bitwarden's
    // (its key check is in), damaged.
    let marker = b"encKeyValidation_DO_NOT_EDIT\"";
    let after_marker = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap()
        + marker.len();
    for len in (0..bytes.len()).step_by(97) {
        let result = read(&bytes[..len], Some(PASSWORD), &Limits::default());
        if len > after_marker {
            assert!(
                matches!(
                    result,
                    Err(Error::Damaged {
                        format: Format::Bitwarden,
                        ..
                    })
                ),
                "{len}: {result:?}"
            );
        }
    }
    // The data's EncString cut short or broken: damaged, naming the field.
    let data = |value: &str| {
        let value = value.to_owned();
        edited_pbkdf2(move |j| drop(j.insert("data".into(), serde_json::Value::String(value))))
    };
    let Some(full) = edited_pbkdf2(|_| {}) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(&full).unwrap();
    let encstring = json["data"].as_str().unwrap().to_owned();
    let (head, _) = encstring.rsplit_once('|').unwrap();
    for broken in [
        head.to_owned(),
        format!("{head}|AAAA"),
        "2.".to_owned(),
        "garbage".to_owned(),
    ] {
        let err = read(&data(&broken).unwrap(), Some(PASSWORD), &Limits::default()).unwrap_err();
        assert!(
            matches!(&err, Error::Damaged { what, .. } if what.starts_with("data:")),
            "{err:?}"
        );
    }
    // A ciphertext changed after sealing, with the right password: the key
    // check opens, so the data was changed.
    let mut changed = encstring.clone().into_bytes();
    let at = encstring.find('|').unwrap() + 5;
    changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
    let err = read(
        &data(std::str::from_utf8(&changed).unwrap()).unwrap(),
        Some(PASSWORD),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Damaged { what, .. } if what.starts_with("data:")),
        "{err:?}"
    );
    // Another encryption type is not this reader's.
    let err = read(
        &data(&encstring.replacen("2.", "0.", 1)).unwrap(),
        Some(PASSWORD),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
}

#[test]
fn a_broken_entry_is_skipped_and_no_error_holds_the_secret() {
    let json = br#"{"encrypted": false, "items": [
        {"name": "Good", "login": {"username": "me", "totp": "JBSWY3DPEHPK3PXP"}},
        {"name": "Bad", "login": {"username": "you", "totp": "NOT-BASE32-SECRET!"}},
        {"name": "Link", "login": {"totp": "otpauth://totp/Site:me?secret=SECRET1!&digits=6"}},
        {"name": "Note", "type": 2}
    ]}"#;
    let imported = read(json, None, &Limits::default()).unwrap();
    assert_eq!(
        common::lines(&imported.accounts),
        ["totp SHA1 6 30 Good|me JBSWY3DPEHPK3PXP"]
    );
    assert_eq!(imported.skipped.len(), 2);
    assert_eq!(imported.skipped[0].issuer.as_deref(), Some("Bad"));
    assert_eq!(imported.skipped[0].name, "you");
    assert_eq!(imported.skipped[1].issuer.as_deref(), Some("Link"));
    for skip in &imported.skipped {
        let said = skip.reason.to_string();
        assert!(
            !said.contains("NOT-BASE32") && !said.contains("SECRET1"),
            "{said}"
        );
    }
    // No error of a sealed file says its password or any of its secrets.
    let Some(bytes) = common::fixture("bitwarden/stratum_bitwarden.encrypted.pbkdf2.json") else {
        return;
    };
    for password in ["wrong password", PASSWORD] {
        let cut = &bytes[..bytes.len() - 40];
        let err = read(cut, Some(password), &Limits::default()).unwrap_err();
        let said = format!("{err} {err:?}");
        assert!(
            !said.contains(password) && !said.contains("JOR2VZXM"),
            "{said}"
        );
    }
}
