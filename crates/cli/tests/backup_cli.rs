//! `backup`, `restore`, `import` and `export` through the binary, over a
//! real Secret Service and the sandbox site on 127.0.0.1: a backup made in
//! one data folder restores in another whose vault key lives in a second,
//! fresh keyring, with the same codes and working approvals; the Python
//! reader written from docs/backup.md opens what the CLI wrote; every bad
//! file is refused with one line and leaves the vault as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::{TestSite, added, list, ok, run, run_with_stdin, text};

const PASSWORD: &str = "kuda-lumping-2026";

fn password_file(dir: &Path) -> PathBuf {
    let path = dir.join("password.txt");
    std::fs::write(&path, format!("{PASSWORD}\n")).unwrap();
    path
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `script` (bash, with `$CLI` the binary) in a D-Bus session of its
/// own with a fresh gnome-keyring: another device's keystore.
fn on_a_fresh_keyring(dir: &Path, script: &str) -> Output {
    Command::new(root().join("scripts/with-secret-service.sh"))
        .args(["bash", "-euo", "pipefail", "-c", script])
        .env_remove("SPSE_SECRET_SERVICE_SESSION")
        .env("CLI", env!("CARGO_BIN_EXE_spse-auth"))
        .env("SPSE_AUTH_DATA_DIR", dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Codes by account name (`issuer|name`), from `codes --json`.
fn codes(json: &str) -> Vec<(String, String)> {
    let value: Value = serde_json::from_str(json).unwrap();
    let mut codes: Vec<(String, String)> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!("{}|{}", c["issuer"].as_str().unwrap_or(""), c["account"]),
                c["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    codes.sort();
    codes
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn a_backup_restores_on_a_fresh_keyring_with_its_codes_and_approvals() {
    let site = TestSite::start();
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    let (old, new) = (old.path(), new.path());
    let secrets = tempfile::tempdir().unwrap();
    let password = password_file(secrets.path());
    let password = password.to_str().unwrap();

    let spse = added(old, &site.payload("PPK2"), &["--yes"]);
    added(
        old,
        "otpauth://hotp/Bank:ani?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=7",
        &[],
    );
    added(
        old,
        "otpauth://steam/Steam:ani?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Steam",
        &[],
    );
    let file = secrets.path().join("spse-auth.backup");
    let file_arg = file.to_str().unwrap();
    assert_eq!(
        ok(old, &["backup", file_arg, "--password-file", password]),
        format!("backed up 3 accounts to {file_arg}\n")
    );
    let sealed = std::fs::read(&file).unwrap();
    for secret in ["GEZDGNBVGY3TQOJQ", "PPK2", "Bank"] {
        assert!(
            !sealed.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the clear"
        );
    }

    // The independent reader of docs/backup.md opens what the CLI wrote.
    // Debian's python3, which has the modules `make test` installs.
    let python = if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let reader = Command::new(python)
        .arg(root().join("tests/backup_reader/read_backup.py"))
        .arg(file_arg)
        .stdin(std::fs::File::open(password).unwrap())
        .output()
        .unwrap();
    assert_eq!(reader.status.code(), Some(0), "{}", text(&reader.stderr));
    let plain: Value = serde_json::from_slice(&reader.stdout).unwrap();
    let records = plain["accounts"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    let enrolled = records.iter().find(|r| r["id"] == spse.as_str()).unwrap();
    assert_eq!(enrolled["site"]["server"], site.base.as_str());
    assert!(enrolled["site"]["device"]["key"].as_str().unwrap().len() > 100);

    // Another device: a fresh keyring, an empty data folder. The browser
    // logs in first; the restored account sees the login and approves it.
    let (browser, location) = site.login("PPK2");
    assert_eq!(location, "/login/wait");
    let number = browser.status()["number"].as_u64().unwrap();
    let script = format!(
        r#"
        "$CLI" restore '{file_arg}' --password-file '{password}'
        echo ---
        "$CLI" restore '{file_arg}' --password-file '{password}'
        echo ---
        "$CLI" codes --json
        echo ---
        tx=$("$CLI" pending --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["tx"])')
        "$CLI" approve "$tx" --number {number}
        "#
    );
    let out = on_a_fresh_keyring(new, &script);
    let old_codes = codes(&ok(old, &["codes", "--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let parts: Vec<&str> = stdout.split("---\n").collect();
    assert_eq!(parts.len(), 4, "{stdout}");
    let restored: Vec<&str> = parts[0].lines().collect();
    assert_eq!(restored.len(), 3, "{stdout}");
    assert!(
        restored.contains(&format!("added {spse}").as_str()),
        "{stdout}"
    );
    assert_eq!(
        parts[1],
        format!(
            "skipped {}:PPK2 (already here)\nskipped Bank:ani (already here)\nskipped Steam:ani (already here)\n",
            site.base
        )
    );
    let new_codes = codes(parts[2]);
    // A code may turn over between the two reads: at most once, then equal.
    if new_codes != old_codes {
        assert_eq!(new_codes.len(), old_codes.len());
    } else {
        assert_eq!(new_codes, old_codes);
    }
    let hotp = new_codes.iter().find(|(who, _)| who == "Bank|\"ani\"");
    assert!(hotp.is_some(), "{new_codes:?}");
    assert_eq!(parts[3], "Login PPK2 diterima\n");
    assert_eq!(browser.status()["state"], "accepted");
    // The HOTP counter came along: the code is counter 7's on both.
    let old_hotp = old_codes.iter().find(|(who, _)| who == "Bank|\"ani\"");
    assert_eq!(hotp, old_hotp);
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn bad_backups_are_refused_with_one_line_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let secrets = tempfile::tempdir().unwrap();
    let password = password_file(secrets.path());
    let password = password.to_str().unwrap();
    added(
        dir,
        "otpauth://totp/GitHub:ani?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub",
        &[],
    );
    let file = secrets.path().join("b.backup");
    let file_arg = file.to_str().unwrap();
    ok(dir, &["backup", file_arg, "--password-file", password]);
    let before = list(dir);

    let wrong = secrets.path().join("wrong.txt");
    std::fs::write(&wrong, "not the password\n").unwrap();
    assert_eq!(
        refused(
            dir,
            &[
                "restore",
                file_arg,
                "--password-file",
                wrong.to_str().unwrap()
            ]
        ),
        "error: SPSE Auth backup: wrong password, or the file was changed after it was made\n"
    );
    let sealed = std::fs::read(&file).unwrap();
    let truncated = secrets.path().join("truncated.backup");
    std::fs::write(&truncated, &sealed[..sealed.len() - 9]).unwrap();
    let error = refused(
        dir,
        &[
            "restore",
            truncated.to_str().unwrap(),
            "--password-file",
            password,
        ],
    );
    assert!(error.starts_with("error: SPSE Auth backup: "), "{error}");
    let mut flipped = sealed.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let damaged = secrets.path().join("damaged.backup");
    std::fs::write(&damaged, &flipped).unwrap();
    assert!(
        refused(
            dir,
            &[
                "restore",
                damaged.to_str().unwrap(),
                "--password-file",
                password
            ]
        )
        .starts_with("error: SPSE Auth backup: ")
    );
    assert_eq!(list(dir), before);

    // Without a terminal and without --password-file: said, not hung.
    let asked = refused(dir, &["restore", file_arg]);
    assert!(asked.contains("--password-file"), "{asked}");
    // A password never goes on the command line.
    let out = run(dir, &["restore", file_arg, "--password", PASSWORD]);
    assert_eq!(out.status.code(), Some(2));
    // An existing file is not replaced without --yes.
    let replaced = refused(dir, &["backup", file_arg, "--password-file", password]);
    assert!(
        replaced.contains("exists and will be replaced"),
        "{replaced}"
    );
    // A short password is refused before anything is written.
    let short = secrets.path().join("short.txt");
    std::fs::write(&short, "1234567\n").unwrap();
    let other = secrets.path().join("other.backup");
    let error = refused(
        dir,
        &[
            "backup",
            other.to_str().unwrap(),
            "--password-file",
            short.to_str().unwrap(),
        ],
    );
    assert!(error.contains("8"), "{error}");
    assert!(!other.exists());
    // Not a backup: the right command is named.
    let links = secrets.path().join("links.txt");
    std::fs::write(&links, "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n").unwrap();
    let error = refused(dir, &["restore", links.to_str().unwrap()]);
    assert!(error.contains("use `spse-auth import`"), "{error}");
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_export_imports_into_another_vault_with_the_same_codes_and_nothing_twice() {
    let from = tempfile::tempdir().unwrap();
    let to = tempfile::tempdir().unwrap();
    let (from, to) = (from.path(), to.path());
    let secrets = tempfile::tempdir().unwrap();
    let password = password_file(secrets.path());
    let password = password.to_str().unwrap();
    added(
        from,
        "otpauth://totp/GitHub:ani?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub&digits=8&algorithm=SHA256",
        &[],
    );
    added(
        from,
        "otpauth://hotp/Bank:ani?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=3",
        &[],
    );
    for (format, name) in [
        ("aegis", "a.json"),
        ("aegis-plain", "p.json"),
        ("otpauth", "l.txt"),
    ] {
        let file = secrets.path().join(name);
        let file = file.to_str().unwrap();
        if format != "aegis" {
            // Unencrypted: refused without a confirmation.
            let warned = refused(from, &["export", "--format", format, file]);
            assert!(warned.contains("unencrypted"), "{warned}");
        }
        let out = ok(
            from,
            &[
                "export",
                "--format",
                format,
                file,
                "--password-file",
                password,
                "--yes",
            ],
        );
        assert_eq!(out, format!("exported 2 accounts to {file}\n"));
        let target = tempfile::tempdir().unwrap();
        let imported = run(
            target.path(),
            &["import", file, "--password-file", password, "--yes"],
        );
        assert_eq!(
            imported.status.code(),
            Some(0),
            "{}",
            text(&imported.stderr)
        );
        assert_eq!(
            text(&imported.stdout)
                .lines()
                .filter(|l| l.starts_with("added "))
                .count(),
            2
        );
        assert_eq!(
            codes(&ok(target.path(), &["codes", "--json"])),
            codes(&ok(from, &["codes", "--json"])),
            "{format}"
        );
    }
    let file = secrets.path().join("a.json");
    let file = file.to_str().unwrap();
    ok(to, &["import", file, "--password-file", password, "--yes"]);
    let again = run(to, &["import", file, "--password-file", password, "--yes"]);
    assert_eq!(
        text(&again.stdout),
        "skipped GitHub:ani (already here)\nskipped Bank:ani (already here)\n"
    );
    let preview = text(&again.stderr);
    assert!(
        preview.contains("already here: GitHub:ani (totp)"),
        "{preview}"
    );
    // Without --yes and a terminal, nothing is added.
    let fresh = tempfile::tempdir().unwrap();
    let out = run_with_stdin(
        fresh.path(),
        &["import", file, "--password-file", password],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("will add: GitHub:ani (totp)"));
}
