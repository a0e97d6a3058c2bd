//! SPSE Auth's backup file (docs/backup.md): what seals opens, and every way
//! a file can fail says which one it is, before any derivation when the file
//! asks too much, with nothing partial returned.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use spse_backup::backup::{self, KdfParams, MIN_PASSWORD_CHARS};
use spse_backup::{Error, Format, Limits};

const PASSWORD: &str = "kata sandi cadangan";
/// Small, so the tests are quick; the file says what it was sealed with.
const FAST: KdfParams = KdfParams {
    memory_kib: 256,
    iterations: 1,
    parallelism: 1,
};
const CONTENTS: &[u8] = br#"{"app":"spse-auth","made_at":1763856100,"accounts":[]}"#;

fn sealed() -> Vec<u8> {
    backup::seal(CONTENTS, PASSWORD, FAST).unwrap()
}

fn open(file: &[u8]) -> Result<Vec<u8>, Error> {
    backup::open(file, PASSWORD, &Limits::default()).map(|c| c.to_vec())
}

/// The file with `change` made to its JSON members.
fn edited(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let mut members: serde_json::Map<String, Value> = serde_json::from_slice(&sealed()).unwrap();
    change(&mut members);
    serde_json::to_vec(&members).unwrap()
}

fn damaged_what(result: Result<Vec<u8>, Error>) -> String {
    match result {
        Err(Error::Damaged {
            format: Format::SpseBackup,
            what,
        }) => what,
        other => panic!("expected Damaged, got {other:?}"),
    }
}

#[test]
fn what_is_sealed_opens_and_is_laid_out_as_documented() {
    let file = sealed();
    assert_eq!(open(&file).unwrap(), CONTENTS);
    let text = std::str::from_utf8(&file).unwrap();
    assert!(text.starts_with("{\n  \"format\": \"spse-auth-backup\",\n  \"version\": 1,\n"));
    assert!(text.ends_with("\"\n}\n"));
    let members: serde_json::Map<String, Value> = serde_json::from_str(text).unwrap();
    let names: Vec<&str> = members.keys().map(String::as_str).collect();
    let mut expected = [
        "format",
        "version",
        "kdf",
        "memory_kib",
        "iterations",
        "parallelism",
        "salt",
        "key_check",
        "cipher",
        "nonce",
        "sealed",
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);
    assert_eq!(members["memory_kib"], 256);
    assert!(!text.contains("spse-auth\""), "the contents are sealed");
}

#[test]
fn every_seal_has_its_own_salt_and_nonce() {
    let a: Value = serde_json::from_slice(&sealed()).unwrap();
    let b: Value = serde_json::from_slice(&sealed()).unwrap();
    assert_ne!(a["salt"], b["salt"]);
    assert_ne!(a["nonce"], b["nonce"]);
    assert_ne!(a["sealed"], b["sealed"]);
}

#[test]
fn the_default_parameters_seal_and_open() {
    assert_eq!(
        KdfParams::DEFAULT,
        KdfParams {
            memory_kib: 65536,
            iterations: 4,
            parallelism: 1
        }
    );
    let file = backup::seal(CONTENTS, PASSWORD, KdfParams::DEFAULT).unwrap();
    assert_eq!(open(&file).unwrap(), CONTENTS);
    // A phone allowing less than 64 MiB is told so, before deriving.
    let phone = Limits { kdf_memory_mib: 48 };
    assert_eq!(
        backup::open(&file, PASSWORD, &phone).unwrap_err(),
        Error::TooMuchMemory {
            format: Format::SpseBackup,
            asked_mib: 64,
            limit_mib: 48
        }
    );
}

#[test]
fn a_short_password_is_refused() {
    for short in ["", "1234567", "ééééééé", "🔑🔑🔑🔑🔑🔑🔑"] {
        assert_eq!(
            backup::seal(CONTENTS, short, FAST).unwrap_err(),
            Error::PasswordTooShort {
                min: MIN_PASSWORD_CHARS
            },
            "{short:?}"
        );
    }
    assert_eq!(MIN_PASSWORD_CHARS, 8);
    // Characters, not bytes: eight of them pass, whatever their UTF-8 length.
    let file = backup::seal(CONTENTS, "kunciñé🔑", FAST).unwrap();
    assert_eq!(
        backup::open(&file, "kunciñé🔑", &Limits::default())
            .unwrap()
            .as_slice(),
        CONTENTS
    );
    assert_eq!(
        Error::PasswordTooShort { min: 8 }.code(),
        "exportPasswordTooShort"
    );
}

#[test]
fn a_wrong_password_is_told_apart() {
    let err = backup::open(&sealed(), "kata sandi salah", &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::WrongPassword {
            format: Format::SpseBackup
        }
    );
    // No password or secret in what the error says.
    assert!(!format!("{err:?} {err}").contains("salah"));
}

#[test]
fn altered_ciphertext_is_damaged_not_a_wrong_password() {
    let file = edited(|m| {
        let mut sealed = URL_SAFE_NO_PAD
            .decode(m["sealed"].as_str().unwrap())
            .unwrap();
        sealed[3] ^= 1;
        m["sealed"] = URL_SAFE_NO_PAD.encode(sealed).into();
    });
    assert!(damaged_what(open(&file)).starts_with("sealed: failed its integrity check"));
    // The nonce is bound too.
    let file = edited(|m| m["nonce"] = "AAAAAAAAAAAAAAAA".into());
    assert!(damaged_what(open(&file)).starts_with("sealed:"));
    // A header member the key depends on gives another key: a wrong password.
    let file = edited(|m| m["iterations"] = 2.into());
    assert!(matches!(open(&file), Err(Error::WrongPassword { .. })));
}

#[test]
fn a_truncated_file_is_damaged_and_still_found() {
    let file = sealed();
    for len in [40, 60, file.len() / 2, file.len() - 3] {
        let cut = &file[..len];
        assert!(backup::is_backup(cut), "{len}");
        assert_eq!(
            spse_backup::detect(cut).unwrap().format,
            Format::SpseBackup,
            "{len}"
        );
        assert!(damaged_what(open(cut)).contains("cut short"), "{len}");
    }
    // Short of its tag.
    let file = edited(|m| m["sealed"] = "AAAA".into());
    assert_eq!(damaged_what(open(&file)), "sealed: shorter than its tag");
}

#[test]
fn a_broken_member_is_damaged_naming_it() {
    let cases: [(&str, Value, &str); 9] = [
        ("salt", json!("AAEC"), "salt: not 16 bytes"),
        (
            "salt",
            json!("AAECAwQFBgcICQoLDA0ODw=="),
            "salt: not unpadded base64url",
        ),
        ("nonce", json!(12), "nonce: not a string"),
        (
            "key_check",
            json!("AAAAAAAAAAAAAAAAAAAA"),
            "key_check: not 8 bytes",
        ),
        ("kdf", json!("scrypt"), "kdf: not argon2id"),
        (
            "cipher",
            json!("ChaCha20-Poly1305"),
            "cipher: not AES-256-GCM",
        ),
        (
            "memory_kib",
            json!(-1),
            "memory_kib: not a whole number below 2^32",
        ),
        (
            "iterations",
            json!(1.5),
            "iterations: not a whole number below 2^32",
        ),
        ("version", json!("1"), "version: not a number"),
    ];
    for (member, value, what) in cases {
        let file = edited(|m| m[member] = value);
        assert_eq!(damaged_what(open(&file)), what, "{member}");
    }
    let file = edited(|m| {
        m.remove("key_check");
    });
    assert_eq!(damaged_what(open(&file)), "key_check: missing");
    let file = edited(|m| {
        m.insert("comment".into(), "hi".into());
    });
    assert_eq!(
        damaged_what(open(&file)),
        "comment: not a member of version 1"
    );
    // A name that is no member name is not quoted: one short line, always
    // (found by the backup fuzzer: a name of 700 bytes and a newline).
    let file = edited(|m| {
        m.insert(format!("x\n{}", "y".repeat(700)), "hi".into());
    });
    assert_eq!(
        damaged_what(open(&file)),
        "a member that is not of version 1"
    );
    let file = edited(|m| m["version"] = 0.into());
    assert_eq!(damaged_what(open(&file)), "version: 0 is not a version");
}

#[test]
fn a_newer_version_asks_for_an_update() {
    // Whatever else it holds: a newer version may lay itself out otherwise.
    let file = br#"{"format": "spse-auth-backup", "version": 2, "kdf": "balloon"}"#;
    assert_eq!(
        open(file).unwrap_err(),
        Error::NewerVersion {
            format: Format::SpseBackup,
            version: "2".into()
        }
    );
    assert!(backup::is_backup(file));
}

/// A hostile file is refused at once: no memory taken, no time spent.
#[test]
fn hostile_parameters_are_refused_before_deriving() {
    let cases: [(&str, u64, &str); 6] = [
        (
            "iterations",
            1_000_000,
            "iterations: 1000000 is not within 1 to 32",
        ),
        ("iterations", 0, "iterations: 0 is not within 1 to 32"),
        ("parallelism", 0, "parallelism: 0 is not within 1 to 16"),
        ("parallelism", 255, "parallelism: 255 is not within 1 to 16"),
        (
            "memory_kib",
            4,
            "memory_kib: 4 is less than 8 x parallelism (8)",
        ),
        ("iterations", 32, ""),
    ];
    for (member, value, what) in cases {
        let file = edited(|m| {
            m[member] = value.into();
            if what.is_empty() {
                // 32 passes at 256 MiB: within each bound, over the work cap.
                m["memory_kib"] = (256 * 1024).into();
            }
        });
        let start = Instant::now();
        let err = open(&file).unwrap_err();
        assert!(start.elapsed() < Duration::from_millis(200), "{member}");
        let Error::KdfParams {
            format: Format::SpseBackup,
            what: said,
        } = err
        else {
            panic!("{member}: {err:?}");
        };
        if what.is_empty() {
            assert!(said.starts_with("memory_kib x iterations"), "{said}");
        } else {
            assert_eq!(said, what);
        }
    }
    // 4 GiB of memory: over any limit, refused as such.
    let file = edited(|m| m["memory_kib"] = (u64::from(u32::MAX)).into());
    let start = Instant::now();
    assert!(matches!(
        open(&file),
        Err(Error::TooMuchMemory {
            format: Format::SpseBackup,
            limit_mib: 1024,
            ..
        })
    ));
    assert!(start.elapsed() < Duration::from_millis(200));
    // What open refuses, seal refuses too.
    assert!(matches!(
        backup::seal(
            CONTENTS,
            PASSWORD,
            KdfParams {
                iterations: 100,
                ..FAST
            }
        ),
        Err(Error::KdfParams { .. })
    ));
}

#[test]
fn other_files_are_not_backups() {
    for other in [
        &b""[..],
        b"{}",
        b"[1, 2]",
        b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
        br#"{"format": "spse-auth-vault", "version": 3}"#,
        br#"{"version": 1, "format": "spse-auth-backup-2"}"#,
        b"\x00\x01binary",
    ] {
        assert!(!backup::is_backup(other), "{other:?}");
        assert_eq!(open(other).unwrap_err(), Error::Unrecognised, "{other:?}");
    }
    let huge = vec![b' '; spse_backup::MAX_FILE_LEN + 1];
    assert!(matches!(open(&huge), Err(Error::TooLarge { .. })));
}

#[test]
fn a_byte_order_mark_is_forgiven() {
    let mut file = b"\xef\xbb\xbf".to_vec();
    file.extend(sealed());
    assert!(backup::is_backup(&file));
    assert_eq!(open(&file).unwrap(), CONTENTS);
}

#[test]
fn detect_finds_a_backup_and_read_says_restore_it() {
    let file = sealed();
    assert_eq!(
        spse_backup::detect(&file).unwrap(),
        spse_backup::Detected {
            format: Format::SpseBackup,
            encrypted: true
        }
    );
    assert!(matches!(
        spse_backup::read(&file, Some(PASSWORD), &Limits::default()),
        Err(Error::Unsupported {
            format: Format::SpseBackup,
            ..
        })
    ));
}
