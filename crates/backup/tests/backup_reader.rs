//! docs/backup.md is enough to read a backup: the independent Python reader
//! (tests/backup_reader/read_backup.py, written from that page alone) opens
//! the documented vector and backups this build has just sealed, and tells
//! a wrong password, a damaged file and a newer version apart.
//!
//! It needs Debian's python3 with python3-cryptography and python3-argon2,
//! which `make test` installs (scripts/install-deps.sh): without them these
//! tests fail, they never skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use spse_backup::backup::{self, KdfParams};

const VECTOR: &str = include_str!("../../../docs/backup-vector.json");
const VECTOR_PLAINTEXT: &str = include_str!("../../../docs/backup-vector.plaintext.json");
const VECTOR_PASSWORD: &str = "kata sandi cadangan";

/// Debian's python3, which has the modules `make test` installs (a python3
/// earlier on PATH, e.g. pyenv's, may not).
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// The reader on `path` with `password` on its standard input.
fn reader(path: &Path, password: &str) -> Output {
    let check = Command::new(python())
        .args([
            "-c",
            "import argon2.low_level, cryptography.hazmat.primitives.ciphers.aead",
        ])
        .output()
        .expect("python3 is missing: run scripts/install-deps.sh (make test does)");
    assert!(
        check.status.success(),
        "python3-argon2 or python3-cryptography is missing: run scripts/install-deps.sh \
         (make test does): {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/backup_reader/read_backup.py"
    );
    let mut child = Command::new(python())
        .arg(script)
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The plaintext the reader prints, or a failure with what it said.
fn read_ok(path: &Path, password: &str) -> String {
    let out = reader(path, password);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The reader's exit status and its one line of error.
fn read_err(path: &Path, password: &str) -> (i32, String) {
    let out = reader(path, password);
    assert!(out.stdout.is_empty(), "nothing printed on an error");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    (out.status.code().unwrap(), stderr)
}

fn contents() -> String {
    serde_json::json!({
        "app": "spse-auth",
        "made_at": 1_763_856_100,
        "accounts": [{
            "id": "a0011223344556677",
            "otpauth": "otpauth://totp/LPSE%20Contoh:PPK%C3%A9?secret=JBSWY3DPEHPK3PXP&issuer=LPSE%20Contoh&algorithm=SHA1&digits=6&period=30",
            "site": {"server": "https://lpse.example.go.id", "name": "LPSE Contoh", "training": false,
                     "device": {"id": "EREREREREREREREREREREQ", "key": "AQID"}},
            "label": "Kantor ✓", "order": 0, "created_at": 1_763_856_000
        }]
    })
    .to_string()
}

#[test]
fn the_reader_opens_the_documented_vector() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/backup-vector.json");
    assert_eq!(read_ok(&path, VECTOR_PASSWORD), VECTOR_PLAINTEXT.trim_end());
    assert!(VECTOR.contains("\"memory_kib\": 1024"));
}

#[test]
fn the_reader_opens_what_this_build_seals() {
    let dir = tempfile::tempdir().unwrap();
    let contents = contents();
    let small = KdfParams {
        memory_kib: 512,
        iterations: 2,
        parallelism: 2,
    };
    for (name, params) in [("small", small), ("default", KdfParams::DEFAULT)] {
        let path = dir.path().join(format!("{name}.spsebackup"));
        std::fs::write(
            &path,
            backup::seal(contents.as_bytes(), "sandi rahasia 🔑", params).unwrap(),
        )
        .unwrap();
        assert_eq!(read_ok(&path, "sandi rahasia 🔑"), contents, "{name}");
    }
}

#[test]
fn the_reader_tells_each_failure_apart() {
    let dir = tempfile::tempdir().unwrap();
    let vector: serde_json::Map<String, serde_json::Value> = serde_json::from_str(VECTOR).unwrap();
    let write = |name: &str, members: &serde_json::Map<String, serde_json::Value>| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_vec(members).unwrap()).unwrap();
        path
    };
    let path = write("vector.json", &vector);

    let (status, said) = read_err(&path, "kata sandi salah");
    assert_eq!((status, said.as_str()), (4, "error: wrong password\n"));

    let mut altered = vector.clone();
    altered["nonce"] = "AAAAAAAAAAAAAAAA".into();
    let (status, said) = read_err(&write("altered.json", &altered), VECTOR_PASSWORD);
    assert_eq!(status, 5, "{said}");
    assert!(said.starts_with("error: damaged: sealed:"), "{said}");

    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &VECTOR.as_bytes()[..VECTOR.len() / 2]).unwrap();
    let (status, said) = read_err(&cut, VECTOR_PASSWORD);
    assert_eq!(status, 5, "{said}");

    let mut newer = vector.clone();
    newer["version"] = 2.into();
    let (status, said) = read_err(&write("newer.json", &newer), VECTOR_PASSWORD);
    assert_eq!(status, 6, "{said}");

    let mut hostile = vector;
    hostile["iterations"] = 1_000_000.into();
    let (status, said) = read_err(&write("hostile.json", &hostile), VECTOR_PASSWORD);
    assert_eq!(status, 7, "{said}");

    // Rust agrees on each.
    let limits = spse_backup::Limits::default();
    let open = |name: &str| {
        backup::open(
            &std::fs::read(dir.path().join(name)).unwrap(),
            VECTOR_PASSWORD,
            &limits,
        )
    };
    assert!(matches!(
        open("altered.json"),
        Err(spse_backup::Error::Damaged { .. })
    ));
    assert!(matches!(
        open("cut.json"),
        Err(spse_backup::Error::Damaged { .. })
    ));
    assert!(matches!(
        open("newer.json"),
        Err(spse_backup::Error::NewerVersion { .. })
    ));
    assert!(matches!(
        open("hostile.json"),
        Err(spse_backup::Error::KdfParams { .. })
    ));
}
