//! The whole SPSE flow with two real parts: the sandbox site on 127.0.0.1 and
//! the `spse-auth` binary (over a real Secret Service, started by `make test`
//! through scripts/with-secret-service.sh): enroll, approve with the number,
//! deny, report, status, disable and delete, reset and re-enroll.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use serde_json::Value;

mod common;
use common::{TestSite, ok, run, text};

fn refused(dir: &Path, args: &[&str], status: i32) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(status),
        "{args:?}: {}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    text(&out.stderr)
}

fn pending(dir: &Path) -> Vec<Value> {
    serde_json::from_str::<Value>(&ok(dir, &["pending", "--json"]))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn enroll(site: &TestSite, dir: &Path, user: &str) -> String {
    let out = ok(dir, &["add", &site.payload(user), "--yes"]);
    out.trim().strip_prefix("added ").unwrap().to_owned()
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn the_whole_spse_flow_through_the_cli() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let id = enroll(&site, dir, "PPK2");
    assert_eq!(ok(dir, &["status", &id]), "active\n");
    let (_, location) = site.login("PPK2");
    assert_eq!(location, "/login/wait", "push login once enrolled");
    let stale = pending(dir);
    let tx = stale[0]["tx"].as_str().unwrap().to_owned();
    ok(dir, &["deny", &tx]);

    // Approve: the number is required and checked.
    let (browser, _) = site.login("PPK2");
    let number = browser.status()["number"].as_u64().unwrap();
    let waiting = pending(dir);
    assert_eq!(waiting.len(), 1);
    let login = &waiting[0];
    assert_eq!(login["account_id"], id.as_str());
    assert_eq!(login["user_id"], "PPK2");
    assert_eq!(login["site"], site.base.as_str());
    assert_eq!(login["number_match"], true);
    assert!(login["expires_at"].as_u64().unwrap() > spse_client::now_ms());
    let tx = login["tx"].as_str().unwrap().to_owned();
    assert_eq!(
        refused(dir, &["approve", &tx], 4),
        "error: number: type the number shown on the login page\n"
    );
    let wrong = ((number - 10 + 1) % 90 + 10).to_string();
    assert_eq!(
        refused(dir, &["approve", &tx, "--number", &wrong], 4),
        "error: number: the number does not match the login page\n"
    );
    assert_eq!(
        ok(dir, &["approve", &tx, "--number", &number.to_string()]),
        "Login PPK2 diterima\n"
    );
    assert_eq!(browser.status()["state"], "accepted");
    assert_eq!(
        refused(dir, &["approve", &tx, "--number", &number.to_string()], 2),
        format!("error: tx: no login {tx} is waiting for any account; run `spse-auth pending`\n")
    );

    // Deny.
    let (browser, _) = site.login("PPK2");
    let tx = pending(dir)[0]["tx"].as_str().unwrap().to_owned();
    assert_eq!(ok(dir, &["deny", &tx]), "Login PPK2 ditolak\n");
    assert_eq!(browser.status()["state"], "denied");

    // "Bukan saya": refused and reported; pushes pause, the code page remains.
    let (browser, _) = site.login("PPK2");
    let tx = pending(dir)[0]["tx"].as_str().unwrap().to_owned();
    assert_eq!(ok(dir, &["report", &tx]), "Login PPK2 dilaporkan\n");
    assert_eq!(browser.status()["state"], "denied");
    assert_eq!(site.login("PPK2").1, "/login/code");

    // A long poll sees a login that starts while it waits.
    let other = enroll(&site, dir, "pokja1");
    let poll = {
        let dir = dir.to_owned();
        std::thread::spawn(move || ok(&dir, &["pending", "--wait", "15", "--json"]))
    };
    std::thread::sleep(std::time::Duration::from_millis(700));
    let _ = site.login("pokja1");
    let seen: Value = serde_json::from_str(&poll.join().unwrap()).unwrap();
    assert_eq!(seen[0]["account_id"], other.as_str());

    // Deleting while TOTP is active warns of the lockout.
    let warning = refused(dir, &["remove", &id], 2);
    assert!(
        warning.contains("TOTP is still active for PPK2 on"),
        "{warning}"
    );
    assert!(warning.contains("Reset TOTP"), "{warning}");

    // Reset on the site: the app sees `disabled`, deletes without the warning.
    site.reset("PPK2");
    assert_eq!(ok(dir, &["status", &id]), "disabled\n");
    let plain = refused(dir, &["remove", &id], 2);
    assert!(plain.contains("will be deleted with its secret"), "{plain}");
    assert_eq!(
        ok(dir, &["remove", &id, "--yes"]),
        format!("removed {id}\n")
    );

    // Re-enroll after the reset, and log in with it again.
    let again = enroll(&site, dir, "PPK2");
    assert_eq!(ok(dir, &["status", &again]), "active\n");
    let (browser, location) = site.login("PPK2");
    assert_eq!(location, "/login/code", "still paused after the report");
    drop(browser);
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn a_site_that_is_down_is_a_clear_error_and_stores_nothing() {
    let site = TestSite::start();
    let payload = site.payload("PPK2");
    let base = site.base.clone();
    drop(site);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        refused(dir.path(), &["add", &payload, "--yes"], 4),
        format!("error: site: {base} cannot be reached; check the connection and try again\n")
    );
    assert_eq!(ok(dir.path(), &["list", "--json"]), "[]\n");
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_https_site_with_its_own_root_needs_trust_root() {
    let site = TestSite::start_tls();
    let root = site.root_pem.clone().unwrap();
    let root = root.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let payload = site.payload("PPK2");
    assert_eq!(
        refused(dir, &["add", &payload], 4),
        format!(
            "error: site: {} did not prove its identity (TLS certificate refused)\n",
            site.base
        )
    );
    // Trusted explicitly, https needs no training confirmation.
    let id = ok(dir, &["--trust-root", root, "add", &payload]);
    let id = id.trim().strip_prefix("added ").unwrap().to_owned();
    assert_eq!(ok(dir, &["status", &id, "--trust-root", root]), "active\n");
    let (browser, _) = site.login("PPK2");
    let number = browser.status()["number"].as_u64().unwrap().to_string();
    let tx: Value =
        serde_json::from_str(&ok(dir, &["--trust-root", root, "pending", "--json"])).unwrap();
    let tx = tx[0]["tx"].as_str().unwrap().to_owned();
    assert_eq!(
        ok(
            dir,
            &["--trust-root", root, "approve", &tx, "--number", &number]
        ),
        "Login PPK2 diterima\n"
    );
    assert_eq!(
        refused(dir, &["--trust-root", "/nonexistent.pem", "list"], 2),
        "error: arguments: trust-root: cannot read /nonexistent.pem: No such file or directory (os error 2)\n"
    );
}
