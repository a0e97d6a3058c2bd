//! `spse-auth add/list/codes/remove` end to end: the real binary, a real
//! Secret Service (gnome-keyring, started by `make test` through
//! scripts/with-secret-service.sh), real files. Ignored by a bare `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fs;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

mod common;
use common::{TestSite, add, cli, list, ok, run, text};

const PLAIN: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const MIGRATION: &str = "otpauth-migration://offline?data=CkIKIDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyEg9ib2JAZXhhbXBsZS5jb20aB0FDTUUgQ28gAigCMAIKJwoUMTIzNDU2Nzg5MDEyMzQ1Njc4OTASBWNhcm9sGgAgASgBMAE4BRABGAEgACi5YA%3D%3D";

fn added_ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| l.strip_prefix("added ").unwrap().to_owned())
        .collect()
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn add_list_codes_remove() {
    let site = TestSite::start();
    let payload = site.payload("PPK2");
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let spse = added_ids(&text(&add(dir, &payload, &["--yes"]).stdout));
    let plain = added_ids(&ok(dir, &["add", PLAIN]));
    let migrated = added_ids(&ok(dir, &["add", MIGRATION]));
    assert_eq!((spse.len(), plain.len(), migrated.len()), (1, 1, 2));

    let listed = list(dir);
    assert_eq!(listed.len(), 4);
    assert_eq!(
        listed[0],
        serde_json::json!({"id": spse[0], "site": site.base,
            "issuer": "LPSE Sandbox", "account": "PPK2", "type": "totp", "digits": 6, "period": 30,
            "pending": false})
    );
    assert_eq!(listed[3]["type"], "hotp");
    assert_eq!(listed[3]["period"], Value::Null);

    let text_list = ok(dir, &["list"]);
    assert!(
        text_list.starts_with(&format!("{}\n  ", site.base)),
        "{text_list}"
    );
    assert!(
        text_list.contains("Other accounts / Akun lain\n"),
        "{text_list}"
    );

    let codes: Value = serde_json::from_str(&ok(dir, &["codes", "--json"])).unwrap();
    let first = &codes[0];
    let code = first["code"].as_str().unwrap();
    let left = first["seconds_left"].as_u64().unwrap();
    assert_eq!(code.len(), 6);
    assert!((1..=30).contains(&left));
    // The same code `spse-auth code` makes from the QR, at the same moment
    // (give or take the period edge).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let candidates: Vec<String> = [now - 1, now]
        .iter()
        .map(|t| {
            ok(dir, &["code", &payload, "--at", &t.to_string()])
                .trim()
                .to_owned()
        })
        .collect();
    assert!(
        candidates.iter().any(|c| c == code),
        "{code} vs {candidates:?}"
    );
    assert_eq!(codes[3]["code"], "254676", "hotp at counter 5 (RFC 4226)");
    assert_eq!(codes[3]["seconds_left"], Value::Null);

    let out = run(dir, &["remove", &plain[0]]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: remove: GitHub: alice will be deleted with its secret; disable TOTP on the \
         site first; add --yes to confirm\n"
    );
    assert_eq!(
        ok(dir, &["remove", &plain[0], "--yes"]),
        format!("removed {}\n", plain[0])
    );
    assert_eq!(list(dir).len(), 3);
    let out = run(dir, &["remove", "a0000000000000000", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: id: no account a0000000000000000 in the vault\n"
    );
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn replacing_and_training_servers_need_confirmation() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let payload = site.payload("PPK2");
    let out = add(dir, &payload, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: server: {} is a training server over plain http; add --yes to confirm\n",
            site.base
        )
    );
    assert!(list(dir).is_empty(), "nothing stored before confirming");
    let first = added_ids(&text(&add(dir, &payload, &["--yes"]).stdout));

    // "Reset TOTP" on the site, then the new QR replaces the account.
    site.reset("PPK2");
    let again = site.payload("PPK2");
    let out = add(dir, &again, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let second = added_ids(&text(&add(dir, &again, &["--yes"]).stdout));
    assert_ne!(first, second);
    assert_eq!(list(dir).len(), 1);
    let out = run(dir, &["add", "otpauth://totp/x?secret=1"]);
    assert_eq!(out.status.code(), Some(2));
    // A name that would read as another (F-14): refused by its field.
    let out = add(
        dir,
        "otpauth://totp/%E2%80%AEmoc.knab?secret=JBSWY3DPEHPK3PXP",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: label: contains an invisible formatting character (text direction or zero width)\n"
    );
    assert_eq!(list(dir).len(), 1);
    // The same codes-only account twice needs confirming too.
    ok(dir, &["add", PLAIN]);
    let out = add(dir, PLAIN, &[]);
    assert_eq!(
        text(&out.stderr),
        "error: account: GitHub: alice is already in the vault and will be replaced; add --yes \
         to confirm\n"
    );
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn the_data_folder_holds_no_secret() {
    let site = TestSite::start();
    let payload = site.payload("PPK2");
    let secret = match spse_otp::Payload::parse(&payload).unwrap() {
        spse_otp::Payload::Spse(e) => e.account.secret().to_base32().to_string(),
        _ => unreachable!(),
    };
    let dir = tempfile::tempdir().unwrap();
    add(dir.path(), &payload, &["--yes"]);
    ok(dir.path(), &["add", PLAIN]);
    ok(dir.path(), &["add", MIGRATION]);
    ok(dir.path(), &["add", PLAIN.replace("alice", "bob").as_str()]);
    for entry in fs::read_dir(dir.path()).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_uppercase();
        for secret in [secret.as_str(), "GEZDGNBVGY3TQOJQ", "JBSWY3DPEHPK3PXP"] {
            assert!(!text.contains(secret));
        }
        assert!(!bytes.windows(20).any(|w| w == b"12345678901234567890"));
        // Sites and issuers are sealed too ('.' and ' ' are outside base64url).
        assert!(!text.contains("127.0.0.1") && !text.contains("LPSE SANDBOX"));
    }
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn damage_and_a_missing_keystore_are_clear_errors_that_change_nothing() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    add(dir, &site.payload("PPK2"), &["--yes"]);
    ok(dir, &["add", PLAIN]);
    let current = dir.join("vault.json");
    let backup = dir.join("vault.json.bak");

    // No Secret Service: exit 3, the keystore's problem named, files as they were.
    let before = (fs::read(&current).unwrap(), fs::read(&backup).unwrap());
    let out = cli(dir)
        .args(["list"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: the system keystore cannot be reached: no Secret Service"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
    assert_eq!(
        (fs::read(&current).unwrap(), fs::read(&backup).unwrap()),
        before
    );

    // Tampered current file: the backup opens, with a warning.
    // One base64 character of the sealed content changed for another (a
    // prefix could break the base64 itself, which is "not readable").
    let mut tampered = fs::read_to_string(&current).unwrap();
    let at = tampered.find("\"sealed\": \"").unwrap() + "\"sealed\": \"".len() + 20;
    let other = if &tampered[at..=at] == "A" { "B" } else { "A" };
    tampered.replace_range(at..=at, other);
    fs::write(&current, &tampered).unwrap();
    let out = run(dir, &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    // In words, not a Debug name ("was Tampered").
    assert_eq!(
        text(&out.stderr),
        format!(
            "warning: {} was altered or damaged (it failed its integrity check); opened the \
             backup, which may lack the last change (the damaged file is kept)\n",
            current.display()
        )
    );
    assert_eq!(
        fs::read_to_string(&current).unwrap(),
        tampered,
        "kept as it was"
    );

    // Both tampered: exit 3, clear error, nothing rewritten.
    let tampered_backup =
        fs::read_to_string(&backup)
            .unwrap()
            .replacen("\"sealed\": \"", "\"sealed\": \"AA", 1);
    fs::write(&backup, &tampered_backup).unwrap();
    let carol = PLAIN.replace("alice", "carol");
    for (args, out) in [
        ("list", run(dir, &["list"])),
        ("add", add(dir, &carol, &["--yes"])),
    ] {
        assert_eq!(out.status.code(), Some(3), "{args}");
        assert_eq!(
            text(&out.stderr),
            format!(
                "error: {}: failed its integrity check (altered or damaged); it was left untouched\n",
                current.display()
            )
        );
    }
    assert_eq!(fs::read_to_string(&current).unwrap(), tampered);
    assert_eq!(fs::read_to_string(&backup).unwrap(), tampered_backup);
}

/// `spse-auth add` processes killed with SIGKILL at random moments: the
/// vault always lists every account an `add` reported, whole.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn cli_adds_killed_midway_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(dir, &["add", PLAIN]);
    let mut confirmed = 1;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..40 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let payload = PLAIN.replace("alice", &format!("user{round}"));
        let mut child = cli(dir)
            .args(["add", &payload])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(x % 60_000));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let reported = text(&out.stdout).starts_with("added ");
        let now = list(dir).len();
        assert!(
            now == confirmed || now == confirmed + 1,
            "round {round}: {now} vs {confirmed}"
        );
        assert!(
            !reported || now == confirmed + 1,
            "round {round}: a reported add was lost"
        );
        confirmed = now;
    }
}
