//! Ente Auth's exports: every file of the fixtures' `ente/` folder read as
//! the upstream tests expect (beemdevelopment/Aegis `testImportEnteAuth`;
//! protonpass/proton-pass-common `parser/ente/{txt,encrypted}.rs` tests;
//! jamie-mh/AuthenticatorPro `EnteAuthBackupConverterTest`), and the
//! encrypted export's failures.
//!
//! Two differences from proton-pass-common's expectations, both because
//! SPSE Auth makes HOTP codes and Proton Authenticator does not: its tests
//! expect the HOTP links to be errors, here they are accounts; and a HOTP
//! link Ente wrote without a counter starts at 0, as Ente's own reader
//! (`Code._getCounter`) does. Like proton-pass-common, a link without an
//! issuer takes its account name as issuer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spse_backup::{Detected, Error, Format, Imported, Limits, detect, read};

/// Reads fixture `path` with `password` and returns what it holds.
fn import(path: &str, password: Option<&str>) -> Option<Imported> {
    let bytes = common::fixture(path)?;
    Some(read(&bytes, password, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// Asserts `path` holds exactly `expected` as Ente's, nothing skipped.
fn assert_accounts(path: &str, password: Option<&str>, expected: &[&str]) {
    let Some(imported) = import(path, password) else {
        return;
    };
    assert_eq!(imported.format, Format::Ente, "{path}");
    assert_eq!(common::lines(&imported.accounts), expected, "{path}");
    assert_eq!(imported.skipped, vec![], "{path}");
}

/// The three links of proton-pass-common's nominal-complexity export.
const NOMINAL: &[&str] = &[
    // `ASECRET`, `STEAMSECRET` carry unused bits, written back without them.
    "hotp SHA1 6 1 HOTPISSUER|HOTPACCOUNT ASECREQ",
    "totp SHA1 6 30 MYISSUER|MYLABEL MYSECRET",
    "steam SHA1 5 30 Steam|STEAMACCOUNT STEAMSECRE",
];

/// AuthenticatorPro's export: 7 accounts, no failure.
const STRATUM: &[&str] = &[
    "totp SHA1 6 60 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
    "totp SHA1 9 30 Many|Digits WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
    "totp SHA1 6 30 NoIssuer|NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
    "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
    "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
    "hotp SHA1 6 10 Standard|Hotp JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
    "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
];

#[test]
fn aegis_text_export() {
    // The seven Aegis test vectors, in the file's order.
    assert_accounts(
        "ente/aegis-upstream_ente_auth.txt",
        None,
        &[
            "hotp SHA256 7 50 Air Canada|Benjamin KUVJJOM753IHTNDSZVCNKL7GII",
            "totp SHA512 8 50 Airbnb|Elijah 7ELGJSGXNCCTV3O6LKJWYFV2RA",
            "steam SHA1 5 30 Boeing|Sophia JRZCL47CMXVOQMNPZR2F7J4RGI",
            "totp SHA1 6 30 Deno|Mason 4SJHB4GSD43FZBAI7C2HLRJGPQ",
            "hotp SHA1 6 1 Issuu|James YOOMIXWS5GN6RTBPUFFWKTW5M4",
            "totp SHA256 7 20 SPDX|James 5OM4WOOGPLQEF6UGN3CPEOOLWU",
            "hotp SHA512 8 10300 WWE|Mason 5VAML3X35THCEBVRLV24CGBKOY",
        ],
    );
}

#[test]
fn proton_plain() {
    // check_ente_entries: MyLabel256_8_15 (SHA256, 8, 15) and
    // MyLabelDefault, issuer MyIssuer, secret JVMVGRKDKJCVI===.
    assert_accounts(
        "ente/protonpass_plain.txt",
        None,
        &[
            "totp SHA256 8 15 MyIssuer|MyLabel256_8_15 JVMVGRKDKJCVI",
            "totp SHA1 6 30 MyIssuer|MyLabelDefault JVMVGRKDKJCVI",
        ],
    );
}

#[test]
fn proton_plain_20_entries() {
    // "Account 1" to "Account 20", secret SECRETO (three unused bits).
    let expected: Vec<String> = (1..=20)
        .map(|n| format!("totp SHA1 6 30 Proton|Account {n} SECRETI"))
        .collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_accounts("ente/protonpass_plain_20_entries.txt", None, &expected);
}

#[test]
fn proton_plain_with_hotp() {
    // Proton: 5 entries and line 4 (the HOTP) an error; here 6 accounts.
    assert_accounts(
        "ente/protonpass_plain_with_hotp.txt",
        None,
        &[
            "totp SHA1 6 30 account|account XBJZBXBXBCBCA",
            "totp SHA1 6 30 title no issuer|title no issuer IRNSHXHXBXBXBBXB",
            "totp SHA1 6 30 code1 ente|jdjdbfbdbdbdb XHAJDBHDBXVBDNSNNSNA",
            "hotp SHA1 6 0 hotpitem|account1 NDJDFBDNFJDJDJFJHE",
            "totp SHA1 6 30 issuer|account JDJDBFHFJDHDHXNB",
            "totp SHA1 6 30 issuer|amazon CBKANXSKXBJSJDNBDBDNXBXNNXBA",
        ],
    );
}

#[test]
fn proton_plain_with_missing_fields() {
    // Name "accountname", and issuer "accountname" as Proton expects.
    assert_accounts(
        "ente/protonpass_plain_with_missing_fields.txt",
        None,
        &["totp SHA1 6 30 accountname|accountname JCXJJXJXJCJXNNI"],
    );
}

#[test]
fn proton_plain_with_steam_and_hotp() {
    // Proton: Steam and TOTP, line 2 (the HOTP) an error; here three.
    assert_accounts(
        "ente/protonpass_plain_with_steam_and_hotp.txt",
        None,
        &[
            "steam SHA1 5 30 Item1happysteam|additional info DJDJDJHDJDHFHHFH",
            "hotp SHA1 6 0 Item2hotp|additional info CBJXCBCBCBCA",
            "totp SHA1 6 90 Item3-90sec|additional info NDJDJFNXNNCNCNA",
        ],
    );
}

#[test]
fn proton_encrypted_decrypted_text() {
    assert_accounts("ente/protonpass_encrypted_decrypted.txt", None, NOMINAL);
}

#[test]
fn proton_encrypted_low_complexity() {
    // Proton: one TOTP, one Steam, the HOTP an error; here all three.
    assert_accounts(
        "ente/protonpass_encrypted.lowcomplexity.txt",
        Some("password"),
        &[
            "hotp SHA1 6 1 dfdf|adfasdf ASDFADA",
            "totp SHA256 6 30 issuertest|accountest SECRETDATA",
            "steam SHA1 5 30 steam|steam AAAAAAAA",
        ],
    );
}

#[test]
fn proton_encrypted_nominal_complexity() {
    // Argon2id at 256 MiB and 16 passes: the one slow derivation here.
    assert_accounts(
        "ente/protonpass_encrypted.nominalcomplexity.txt",
        Some("password"),
        NOMINAL,
    );
}

#[test]
fn stratum_encrypted() {
    // Ente's strongest profile: 1 GiB, 4 passes (the default limit allows it).
    assert_accounts("ente/stratum_ente.encrypted.json", Some("test"), STRATUM);
}

#[test]
fn stratum_unencrypted_is_a_plain_list() {
    // No codeDisplay parameter: a plain list of links, read as such.
    let Some(imported) = import("ente/stratum_ente.unencrypted.txt", None) else {
        return;
    };
    assert_eq!(imported.format, Format::OtpauthList);
    assert_eq!(common::lines(&imported.accounts), STRATUM);
    assert_eq!(imported.skipped, vec![]);
}

#[test]
fn every_file_is_detected() {
    let files = [
        ("aegis-upstream_ente_auth.txt", Format::Ente, false),
        ("protonpass_encrypted.lowcomplexity.txt", Format::Ente, true),
        (
            "protonpass_encrypted.nominalcomplexity.txt",
            Format::Ente,
            true,
        ),
        ("protonpass_encrypted_decrypted.txt", Format::Ente, false),
        ("protonpass_plain.txt", Format::Ente, false),
        ("protonpass_plain_20_entries.txt", Format::Ente, false),
        ("protonpass_plain_with_hotp.txt", Format::Ente, false),
        (
            "protonpass_plain_with_missing_fields.txt",
            Format::Ente,
            false,
        ),
        (
            "protonpass_plain_with_steam_and_hotp.txt",
            Format::Ente,
            false,
        ),
        ("stratum_ente.encrypted.json", Format::Ente, true),
        ("stratum_ente.unencrypted.txt", Format::OtpauthList, false),
    ];
    for (file, format, encrypted) in files {
        let Some(bytes) = common::fixture(&format!("ente/{file}")) else {
            return;
        };
        assert_eq!(
            detect(&bytes).unwrap(),
            Detected { format, encrypted },
            "{file}"
        );
    }
}

#[test]
fn no_password_asks_for_one() {
    let Some(bytes) = common::fixture("ente/protonpass_encrypted.lowcomplexity.txt") else {
        return;
    };
    assert_eq!(
        read(&bytes, None, &Limits::default()).unwrap_err(),
        Error::PasswordNeeded {
            format: Format::Ente
        }
    );
}

#[test]
fn wrong_password_is_told() {
    // AuthenticatorPro's and Proton's wrong-password tests, on the cheap file.
    let Some(bytes) = common::fixture("ente/protonpass_encrypted.lowcomplexity.txt") else {
        return;
    };
    for password in ["wrong_password", "test1", ""] {
        assert_eq!(
            read(&bytes, Some(password), &Limits::default()).unwrap_err(),
            Error::WrongPassword {
                format: Format::Ente
            }
        );
    }
}

#[test]
fn too_much_memory_is_refused_before_deriving() {
    // 256 MiB asked, 64 given: refused at once (were it derived first,
    // this test would take seconds).
    let Some(bytes) = common::fixture("ente/protonpass_encrypted.nominalcomplexity.txt") else {
        return;
    };
    let started = std::time::Instant::now();
    let err = read(&bytes, Some("password"), &Limits { kdf_memory_mib: 64 }).unwrap_err();
    assert_eq!(
        err,
        Error::TooMuchMemory {
            format: Format::Ente,
            asked_mib: 256,
            limit_mib: 64
        }
    );
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    assert_eq!(err.code(), "importTooMuchMemory");
    // And the 1 GiB export on a phone that gives 512 MiB.
    let Some(bytes) = common::fixture("ente/stratum_ente.encrypted.json") else {
        return;
    };
    assert!(matches!(
        read(
            &bytes,
            Some("test"),
            &Limits {
                kdf_memory_mib: 512
            }
        )
        .unwrap_err(),
        Error::TooMuchMemory {
            asked_mib: 1024,
            limit_mib: 512,
            ..
        }
    ));
}

/// The low-complexity file with `change` made to its JSON.
fn edited(change: impl FnOnce(&mut serde_json::Value)) -> Option<Vec<u8>> {
    let bytes = common::fixture("ente/protonpass_encrypted.lowcomplexity.txt")?;
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    change(&mut json);
    Some(serde_json::to_vec(&json).unwrap())
}

/// The field an error names, when it is damaged or unsupported.
fn named(err: &Error) -> &str {
    match err {
        Error::Damaged { what, .. } | Error::Unsupported { what, .. } => what,
        other => panic!("neither damaged nor unsupported: {other:?}"),
    }
}

#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    use serde_json::json;
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            json!({"memLimit": 10240, "opsLimit": 1_000_000, "salt": "FD9Gp/sr9DkWCt0P83maaA=="}),
            "kdfParams.opsLimit",
        ),
        (
            json!({"memLimit": 10240, "opsLimit": 0, "salt": "FD9Gp/sr9DkWCt0P83maaA=="}),
            "kdfParams.opsLimit",
        ),
        (
            json!({"memLimit": 1024, "opsLimit": 1, "salt": "FD9Gp/sr9DkWCt0P83maaA=="}),
            "kdfParams.memLimit",
        ),
        (
            json!({"memLimit": -5, "opsLimit": 1, "salt": "FD9Gp/sr9DkWCt0P83maaA=="}),
            "kdfParams.memLimit",
        ),
        (
            json!({"opsLimit": 1, "salt": "FD9Gp/sr9DkWCt0P83maaA=="}),
            "kdfParams.memLimit",
        ),
        (
            json!({"memLimit": 10240, "opsLimit": 1, "salt": "c2hvcnQ="}),
            "kdfParams.salt",
        ),
        (
            json!({"memLimit": 10240, "opsLimit": 1, "salt": "***"}),
            "kdfParams.salt",
        ),
    ];
    for (params, field) in cases {
        let Some(bytes) = edited(|j| j["kdfParams"] = params.clone()) else {
            return;
        };
        let err = read(&bytes, Some("password"), &Limits::default()).unwrap_err();
        assert!(named(&err).starts_with(field), "{field}: {err:?}");
    }
    // 1 PiB: over any device's limit.
    let Some(bytes) = edited(|j| j["kdfParams"]["memLimit"] = json!(1u64 << 50)) else {
        return;
    };
    assert!(matches!(
        read(&bytes, Some("password"), &Limits::default()).unwrap_err(),
        Error::TooMuchMemory { .. }
    ));
    // A newer version says so.
    let Some(bytes) = edited(|j| j["version"] = json!(2)) else {
        return;
    };
    assert_eq!(
        read(&bytes, Some("password"), &Limits::default()).unwrap_err(),
        Error::NewerVersion {
            format: Format::Ente,
            version: "2".into()
        }
    );
}

#[test]
fn truncated_or_broken_files_are_damaged_without_panic() {
    use serde_json::json;
    let Some(bytes) = common::fixture("ente/protonpass_encrypted.lowcomplexity.txt") else {
        return;
    };
    // The file cut anywhere: never a panic, and damaged once it is plainly
    // Ente's but no longer JSON.
    let marker = b"\"encryptedData\"";
    let after = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap()
        + marker.len();
    for len in 0..bytes.len() {
        let result = read(&bytes[..len], Some("password"), &Limits::default());
        if len >= after && result.is_err() {
            assert!(
                matches!(
                    result,
                    Err(Error::Damaged {
                        format: Format::Ente,
                        ..
                    })
                ),
                "{len}: {result:?}"
            );
        }
    }
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let data = json["encryptedData"].as_str().unwrap().to_owned();
    let nonce = json["encryptionNonce"].as_str().unwrap().to_owned();
    let cases = [
        ("encryptedData", json!("AAAA"), "encryptedData"),
        (
            "encryptedData",
            json!(&data[..data.len() - 3]),
            "encryptedData",
        ),
        ("encryptedData", json!(7), "encryptedData"),
        ("encryptionNonce", json!(&nonce[..8]), "encryptionNonce"),
        ("encryptionNonce", json!(null), "encryptionNonce"),
    ];
    for (field, value, named_field) in cases {
        let Some(bytes) = edited(|j| j[field] = value.clone()) else {
            return;
        };
        let err = read(&bytes, Some("password"), &Limits::default()).unwrap_err();
        assert!(named(&err).starts_with(named_field), "{field}: {err:?}");
    }
    // Whole Base64 groups cut off the end: the chunk's MAC no longer
    // matches, which the password cannot be told apart from.
    let Some(bytes) = edited(|j| j["encryptedData"] = json!(&data[..data.len() - 8])) else {
        return;
    };
    assert_eq!(
        read(&bytes, Some("password"), &Limits::default()).unwrap_err(),
        Error::WrongPassword {
            format: Format::Ente
        }
    );
}

#[test]
fn no_error_holds_the_password_or_a_secret() {
    let Some(bytes) = common::fixture("ente/protonpass_encrypted.lowcomplexity.txt") else {
        return;
    };
    for (input, password) in [
        (&bytes[..], "hunter2-password"),
        (&bytes[..200], "password"),
    ] {
        let err = read(input, Some(password), &Limits::default()).unwrap_err();
        let said = format!("{err} {err:?}");
        assert!(
            !said.contains(password) && !said.contains("SECRETDATA"),
            "{said}"
        );
    }
    // A link that cannot be read is skipped by its labels, not its secret.
    let text = b"otpauth://totp/Site:me?secret=SECRET1!!&codeDisplay=%7B%7D\n\
                 otpauth://motp/Other:you?secret=ABCDEFGH&codeDisplay=%7B%7D\n";
    let imported = read(text, None, &Limits::default()).unwrap();
    assert_eq!(imported.format, Format::Ente);
    assert_eq!(imported.accounts, vec![]);
    assert_eq!(imported.skipped.len(), 2);
    assert_eq!(
        (
            imported.skipped[0].issuer.as_deref(),
            imported.skipped[0].name.as_str()
        ),
        (Some("Site"), "me")
    );
    assert_eq!(
        (
            imported.skipped[1].issuer.as_deref(),
            imported.skipped[1].name.as_str()
        ),
        (Some("Other"), "you")
    );
    for skip in &imported.skipped {
        let said = format!("{} {:?}", skip.reason, skip);
        assert!(
            !said.contains("SECRET1") && !said.contains("ABCDEFGH"),
            "{said}"
        );
    }
}
