//! andOTP backups, plain and encrypted (current and old form), against what
//! the upstream tests expect of each fixture:
//!
//! - `aegis-upstream_*`: beemdevelopment/Aegis `DatabaseImporterTest`
//!   (`testImportAndOTP`, `testImportAndOTPEncrypted`,
//!   `testImportAndOTPEncryptedOld`): every entry equals its vector; the old
//!   form's labels are `Issuer:name` (an old andOTP bug the test allows for).
//! - `stratum_*`: jamie-mh/AuthenticatorPro `AndOtpBackupConverterTest`: 8
//!   accounts and one failure (here the mOTP entry, a kind SPSE Auth does not
//!   make); "testtest" opens the encrypted file, "test" is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use spse_backup::{Detected, Error, Format, Limits, Skipped};

const OLD_FORM: &[&str] = &[
    "totp SHA1 6 30 Deno|Deno:Mason 4SJHB4GSD43FZBAI7C2HLRJGPQ",
    "totp SHA256 7 20 SPDX|SPDX:James 5OM4WOOGPLQEF6UGN3CPEOOLWU",
    "totp SHA512 8 50 Airbnb|Airbnb:Elijah 7ELGJSGXNCCTV3O6LKJWYFV2RA",
    "hotp SHA1 6 1 Issuu|Issuu:James YOOMIXWS5GN6RTBPUFFWKTW5M4",
    "hotp SHA256 7 50 Air Canada|Air Canada:Benjamin KUVJJOM753IHTNDSZVCNKL7GII",
    "hotp SHA512 8 10300 WWE|WWE:Mason 5VAML3X35THCEBVRLV24CGBKOY",
];

const STRATUM: &[&str] = &[
    "totp SHA1 6 60 Long|Period JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN",
    "totp SHA1 9 30 Many|Digits WEV2GHDH4EAU7D5SZGCIQOFBNQ35EHBS",
    "totp SHA1 6 30 |NoIssuer KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX",
    "totp SHA256 6 30 Sha|256 RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ",
    "totp SHA512 6 30 Sha|512 UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH",
    "hotp SHA1 6 10 Standard|Hotp JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB",
    "totp SHA1 6 30 Standard|Totp 54VEGZFJHM3BGDONFERMPUOKNGDJETGM",
    "steam SHA1 5 30 Steam|Steam BBBBBBBBBBBBBBBBBA",
];

const STRATUM_SKIPPED: &[&str] = &["Motp|motp: unsupported type: MOTP"];

/// A skipped entry in one line: `issuer|name: reason`.
fn skipped(list: &[Skipped]) -> Vec<String> {
    list.iter()
        .map(|s| {
            format!(
                "{}|{}: {}",
                s.issuer.as_deref().unwrap_or(""),
                s.name,
                s.reason
            )
        })
        .collect()
}

fn check(path: &str, password: Option<&str>, lines: &[&str], skips: &[&str]) {
    let Some(bytes) = common::fixture(path) else {
        return;
    };
    assert_eq!(
        spse_backup::detect(&bytes).unwrap(),
        Detected {
            format: Format::AndOtp,
            encrypted: password.is_some()
        },
        "{path}"
    );
    let imported = spse_backup::read(&bytes, password, &Limits::default()).unwrap();
    assert_eq!(imported.format, Format::AndOtp);
    assert_eq!(common::lines(&imported.accounts), lines, "{path}");
    assert_eq!(skipped(&imported.skipped), skips, "{path}");
}

#[test]
fn aegis_upstream_plain() {
    check(
        "andotp/aegis-upstream_andotp_plain.json",
        None,
        common::VECTORS,
        &[],
    );
}

#[test]
fn aegis_upstream_encrypted_current_form() {
    check(
        "andotp/aegis-upstream_andotp_encrypted.bin",
        Some("test"),
        common::VECTORS,
        &[],
    );
}

#[test]
fn aegis_upstream_encrypted_old_form() {
    check(
        "andotp/aegis-upstream_andotp_encrypted_old.bin",
        Some("test"),
        OLD_FORM,
        &[],
    );
}

#[test]
fn stratum_plain() {
    check(
        "andotp/stratum_andotp.unencrypted.json",
        None,
        STRATUM,
        STRATUM_SKIPPED,
    );
}

#[test]
fn stratum_encrypted() {
    check(
        "andotp/stratum_andotp.encrypted.bin",
        Some("testtest"),
        STRATUM,
        STRATUM_SKIPPED,
    );
}

const ENCRYPTED: &[(&str, &str)] = &[
    ("andotp/aegis-upstream_andotp_encrypted.bin", "test"),
    ("andotp/aegis-upstream_andotp_encrypted_old.bin", "test"),
    ("andotp/stratum_andotp.encrypted.bin", "testtest"),
];

#[test]
fn encrypted_needs_the_right_password() {
    for (path, right) in ENCRYPTED {
        let Some(bytes) = common::fixture(path) else {
            return;
        };
        let limits = Limits::default();
        assert_eq!(
            spse_backup::read(&bytes, None, &limits),
            Err(Error::PasswordNeeded {
                format: Format::AndOtp
            })
        );
        let wrong = if *right == "test" { "testtest" } else { "test" };
        let err = spse_backup::read(&bytes, Some(wrong), &limits).unwrap_err();
        assert_eq!(
            err,
            Error::WrongPassword {
                format: Format::AndOtp
            },
            "{path}"
        );
        assert!(!err.to_string().contains(wrong));
    }
}

/// The encrypted file has no signature and AES-GCM cannot tell a cut file
/// from a wrong password: cut files are refused as one or the other (or not
/// recognised when too short to be a backup), never a panic nor an import.
#[test]
fn truncated_files_are_refused() {
    let Some(bytes) = common::fixture("andotp/aegis-upstream_andotp_encrypted.bin") else {
        return;
    };
    for cut in [1, 20, 40, 100, bytes.len() / 2, bytes.len() - 1] {
        let result = spse_backup::read(&bytes[..cut], Some("test"), &Limits::default());
        assert!(
            matches!(
                result,
                Err(Error::WrongPassword { .. } | Error::Unrecognised | Error::Damaged { .. })
            ),
            "{cut}: {result:?}"
        );
    }
    // A plain backup cut short: damaged, saying where the JSON breaks.
    let Some(plain) = common::fixture("andotp/aegis-upstream_andotp_plain.json") else {
        return;
    };
    for cut in [plain.len() / 2, plain.len() - 2] {
        let err = spse_backup::read(&plain[..cut], None, &Limits::default()).unwrap_err();
        assert!(
            matches!(&err, Error::Damaged { format: Format::AndOtp, what } if what.contains("line")),
            "{err:?}"
        );
        assert!(!err.to_string().contains("4SJHB4GS"), "{err}");
    }
}

#[test]
fn hostile_iteration_counts_are_never_derived() {
    let Some(mut bytes) = common::fixture("andotp/aegis-upstream_andotp_encrypted.bin") else {
        return;
    };
    for count in [u32::MAX, 10_000_001, 0x7fff_ffff] {
        bytes[..4].copy_from_slice(&count.to_be_bytes());
        let start = Instant::now();
        let err = spse_backup::read(&bytes, Some("test"), &Limits::default()).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(2), "{count}");
        assert_eq!(
            err,
            Error::WrongPassword {
                format: Format::AndOtp
            }
        );
    }
}

#[test]
fn other_binary_files_are_not_andotp() {
    let mut sqlite = b"SQLite format 3\0".to_vec();
    sqlite.extend([0xff; 200]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([0xff; 200]);
    for bytes in [sqlite, png, vec![0xff; 10]] {
        assert_eq!(spse_backup::detect(&bytes), Err(Error::Unrecognised));
    }
    if let Some(bytes) = common::fixture("google/aegis-upstream_google_authenticator.sqlite") {
        assert_eq!(spse_backup::detect(&bytes), Err(Error::Unrecognised));
    }
    // Random-looking bytes of a plausible size are andOTP's, sealed.
    let random: Vec<u8> = (0..400u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
        .collect();
    assert_eq!(
        spse_backup::detect(&random),
        Ok(Detected {
            format: Format::AndOtp,
            encrypted: true
        })
    );
}

#[test]
fn entries_left_out_say_why_without_the_secret() {
    let text = r#"[
        {"secret": "JBSWY3DPEHPK3PXP", "issuer": "A", "label": "a", "digits": 6,
         "type": "TOTP", "algorithm": "SHA384", "period": 30},
        {"secret": "", "issuer": "B", "label": "b", "digits": 6, "type": "TOTP",
         "algorithm": "SHA1", "period": 30},
        {"secret": "JBSWY3DPEHPK3PXP", "label": "Old - name", "digits": 6, "type": "TOTP",
         "algorithm": "SHA1", "period": 30}
    ]"#;
    let imported = spse_backup::read(text.as_bytes(), None, &Limits::default()).unwrap();
    assert_eq!(
        common::lines(&imported.accounts),
        ["totp SHA1 6 30 Old|name JBSWY3DPEHPK3PXP"]
    );
    assert_eq!(
        skipped(&imported.skipped),
        ["A|a: unsupported algorithm: SHA384", "B|b: secret: missing"]
    );
}
