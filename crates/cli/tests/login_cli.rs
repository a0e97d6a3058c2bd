//! The whole SPSE flow with two real parts: the sandbox site on 127.0.0.1 and
//! the `spse-auth` binary (over a real Secret Service, started by `make test`
//! through scripts/with-secret-service.sh): enroll, approve with the number,
//! deny, report, status, disable and delete, reset and re-enroll; and what
//! an interrupted enrollment, a wrong clock, a site that is down or hostile
//! do to it (the review's findings 1 to 8 and 11).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use spse_sandbox::testing::Options;

mod common;
use common::{Fault, TestSite, add, added, cli, list, ok, run, text};

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
    added(dir, &site.payload(user), &["--yes"])
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
    // Already answered: a site-side condition, like an expired login (4).
    assert_eq!(
        refused(dir, &["approve", &tx, "--number", &number.to_string()], 4),
        format!(
            "error: tx: no login {tx} is waiting for any account (answered, expired or unknown \
             to the site); run `spse-auth pending`\n"
        )
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
    std::thread::sleep(Duration::from_millis(700));
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
    assert!(!plain.contains("locks you out"), "{plain}");
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
    let out = add(dir.path(), &payload, &["--yes"]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        text(&out.stderr),
        format!("error: site: {base} cannot be reached; check the connection and try again\n")
    );
    assert_eq!(ok(dir.path(), &["list", "--json"]), "[]\n");
}

/// Finding 11: a training server's root is given when enrolling, kept with
/// that site, and trusted for it alone; no other command takes one.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_https_site_with_its_own_root_needs_trust_root_once() {
    let site = TestSite::start_tls();
    let root = site.root_pem().unwrap().to_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let payload = site.payload("PPK2");
    let out = add(dir, &payload, &[]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: site: {} did not prove its identity (TLS certificate refused)\n",
            site.base
        )
    );
    // Trusted explicitly, https needs no training confirmation.
    let id = added(dir, &payload, &["--trust-root", &root]);
    // Kept with the site: later commands need no flag.
    assert_eq!(ok(dir, &["status", &id]), "active\n");
    let (browser, _) = site.login("PPK2");
    let number = browser.status()["number"].as_u64().unwrap().to_string();
    let tx = pending(dir)[0]["tx"].as_str().unwrap().to_owned();
    assert_eq!(
        ok(dir, &["approve", &tx, "--number", &number]),
        "Login PPK2 diterima\n"
    );
    let usage = refused(dir, &["status", &id, "--trust-root", &root], 2);
    assert!(usage.starts_with("error: arguments: "), "{usage}");
    let out = add(dir, &payload, &["--trust-root", "/nonexistent.pem"]);
    assert_eq!(
        text(&out.stderr),
        "error: arguments: trust-root: cannot read /nonexistent.pem: No such file or directory (os error 2)\n"
    );
    let out = add(
        dir,
        "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP",
        &["--trust-root", &root],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Finding 1: the site enrolled the account but the CLI died before saving
/// that (here: killed while the answer is lost on the way). The account and
/// its key were stored first, so the next command finishes the enrollment
/// and says so; one whose request never reached the site is rolled back.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_enrollment_interrupted_after_the_site_took_it_is_finished_next_run() {
    for (fault, finished) in [
        (Fault::LoseEnrollReply, true),
        (Fault::LoseEnrollRequest, false),
    ] {
        let site = TestSite::start_with(Options {
            fault,
            ..Options::default()
        });
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let payload = site.payload("PPK2");
        let mut child = cli(dir)
            .args(["add", "-", "--yes"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), payload.as_bytes()).unwrap();
        // Wait until the account is stored (pending) and, for a lost reply,
        // the site has enrolled it; then the process dies.
        let enrolled_on_site = || site.login("PPK2").1 == "/login/wait";
        for _ in 0..200 {
            let stored = list(dir).first().is_some_and(|a| a["pending"] == true);
            if stored && (!finished || enrolled_on_site()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let out = run(dir, &["list", "--json"]);
        assert_eq!(out.status.code(), Some(0));
        let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let stderr = text(&out.stderr);
        if finished {
            assert!(
                stderr.contains("was confirmed by the site and is now finished"),
                "{stderr}"
            );
            assert_eq!(listed[0]["pending"], false);
            let id = listed[0]["id"].as_str().unwrap();
            assert_eq!(ok(dir, &["status", id]), "active\n");
        } else {
            assert!(
                stderr.contains("never reached the site and was removed"),
                "{stderr}"
            );
            assert_eq!(listed, serde_json::json!([]));
        }
        // Told once: the next run has nothing to settle.
        assert_eq!(text(&run(dir, &["list"]).stderr), "");
    }
}

/// Finding F-05: the site took the enrollment, then the connection was
/// reset before its answer. `add` asks the site, which knows the device:
/// the account is kept, enrolled, and `add` says it was added (before, the
/// reset was taken for "cannot be reached" and the account deleted while
/// the site held its key).
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_enrollment_whose_connection_is_reset_after_the_site_took_it_is_kept() {
    let site = TestSite::start_with(Options {
        fault: Fault::CutEnrollReply,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let out = add(dir, &site.payload("PPK2"), &["--yes"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "Akun pada {0} berhasil ditambahkan / account added on {0}\n",
            site.base
        )
    );
    let id = text(&out.stdout)
        .trim()
        .strip_prefix("added ")
        .unwrap()
        .to_owned();
    let listed = list(dir);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["pending"], false);
    assert_eq!(ok(dir, &["status", &id]), "active\n");
    assert_eq!(
        site.login("PPK2").1,
        "/login/wait",
        "push login once enrolled"
    );
}

/// Finding F-05, test A7: the site enrolled the device and holds its answer,
/// then goes down, which ends the connection. The site cannot be asked, so
/// `add` keeps the account pending and says so; the next command tries
/// again (and still cannot tell).
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn an_enrollment_cut_by_the_site_going_down_is_kept_pending() {
    let site = TestSite::start_with(Options {
        fault: Fault::LoseEnrollReply,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let payload = site.payload("PPK2");
    let mut child = cli(dir)
        .args(["add", "-", "--yes"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), payload.as_bytes()).unwrap();
    let enrolled_on_site = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        site.login("PPK2").1 == "/login/wait"
    });
    assert!(enrolled_on_site, "the site never enrolled the device");
    site.stop();
    let out = child.wait_with_output().unwrap();
    let base = &site.base;
    let unsettled = format!(
        "site: it is not known whether {base} enrolled the account (site: {base} cannot be \
         reached; check the connection and try again); it is kept and will be checked again at \
         the next start"
    );
    // Asked while it stops, the site may take the connection and drop it
    // (broke) rather than refuse it (cannot be reached): either way unknown.
    let broke = format!(
        "site: it is not known whether {base} enrolled the account (site: the connection to \
         {base} broke before it answered; check the connection and try again); it is kept and \
         will be checked again at the next start"
    );
    let said = text(&out.stderr);
    assert!(
        said == format!("error: {unsettled}\n") || said == format!("error: {broke}\n"),
        "{said}"
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());

    let out = run(dir, &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), format!("warning: {unsettled}\n"));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["account"], "PPK2");
    assert_eq!(listed[0]["pending"], true);
}

/// `spse-auth` run with its clock `offset` seconds off the site's.
fn skewed(dir: &Path, offset: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut command = Command::new("faketime");
    command
        .args(["-f", offset, env!("CARGO_BIN_EXE_spse-auth")])
        .args(args)
        .env("SPSE_AUTH_DATA_DIR", dir)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("faketime (make test installs it)");
    if let Some(input) = stdin {
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Finding 2: a clock 90 s off (beyond the 60 s the site allows) still
/// enrolls (the code made again at the site's time), asks for logins and
/// status (a stale timestamp retried once at the site's time), and shows
/// the code the site expects: the offset is kept between runs.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn a_clock_90_s_off_still_enrolls_answers_and_shows_the_right_code() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    for offset in ["+90s", "-90s"] {
        let payload = site.payload("PPK2");
        let out = skewed(dir, offset, &["add", "-", "--yes"], Some(&payload));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{offset}: {}",
            text(&out.stderr)
        );
        let id = text(&out.stdout)
            .trim()
            .trim_start_matches("added ")
            .to_owned();

        let out = skewed(dir, offset, &["status", &id], None);
        assert_eq!(
            text(&out.stdout),
            "active\n",
            "{offset}: {}",
            text(&out.stderr)
        );
        let (browser, _) = site.login("PPK2");
        let number = browser.status()["number"].as_u64().unwrap().to_string();
        let out = skewed(dir, offset, &["pending", "--json"], None);
        let waiting: Value = serde_json::from_slice(&out.stdout).unwrap();
        let tx = waiting[0]["tx"].as_str().unwrap().to_owned();
        let out = skewed(dir, offset, &["approve", &tx, "--number", &number], None);
        assert_eq!(
            text(&out.stdout),
            "Login PPK2 diterima\n",
            "{}",
            text(&out.stderr)
        );

        // The code shown is the site's, not the skewed clock's (asked again
        // if a 30 s step turned between the two runs).
        let matches = (0..3).any(|_| {
            let out = skewed(dir, offset, &["codes", "--json"], None);
            let codes: Value = serde_json::from_slice(&out.stdout).unwrap();
            let shown = codes[0]["code"].as_str().unwrap().to_owned();
            let real = common::run_with_stdin(dir, &["code", "-"], &payload);
            format!("{shown}\n") == text(&real.stdout)
        });
        assert!(matches, "{offset}: codes do not follow the site's clock");
        site.reset("PPK2");
        ok(dir, &["remove", &id, "--yes"]);
    }
}

/// Finding 3: when the site cannot say whether TOTP is still on, removing
/// warns as if it were.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn remove_warns_when_the_site_cannot_say() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let id = enroll(&site, dir, "PPK2");
    site.stop();
    let warning = refused(dir, &["remove", &id], 2);
    assert!(
        warning.contains("could not say whether TOTP is still active for PPK2"),
        "{warning}"
    );
    assert!(warning.contains("locks you out"), "{warning}");
}

/// Finding 4: `pending` fails (exit 4) when no site could be asked.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn pending_fails_when_every_site_failed() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    enroll(&site, dir, "PPK2");
    enroll(&site, dir, "pokja1");
    assert_eq!(ok(dir, &["pending"]), "");
    site.stop();
    let error = refused(dir, &["pending"], 4);
    assert!(error.starts_with("error: site: "), "{error}");
    assert_eq!(error.lines().count(), 1, "{error}");
}

/// Finding 4, the other side: when only some sites fail, `pending` still
/// succeeds, lists the logins of the sites that answered, and names each
/// failed site in a one-line warning.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn pending_lists_what_it_can_when_one_site_failed() {
    let down = TestSite::start();
    let up = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    enroll(&down, dir, "PPK2");
    let id = enroll(&up, dir, "PPK2");
    let down_base = down.base.clone();
    down.stop();
    let (_browser, location) = up.login("PPK2");
    assert_eq!(location, "/login/wait");

    let out = run(dir, &["pending"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let listed = text(&out.stdout);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.contains(&format!("Authorize login? PPK2 on {} from ", up.base)),
        "{listed}"
    );
    assert_eq!(
        stderr,
        format!(
            "warning: PPK2 on {down_base}: site: {down_base} cannot be reached; check the \
             connection and try again\n"
        )
    );

    let out = run(dir, &["pending", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let waiting: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(waiting[0]["account_id"], id.as_str());
    assert_eq!(waiting[0]["site"], up.base.as_str());
    assert_eq!(text(&out.stderr).lines().count(), 1);
}

/// Finding 6: a hostile site's words never reach the terminal raw, and the
/// result of a decision is told in the CLI's own words.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn a_hostile_sites_text_cannot_drive_the_terminal() {
    let site = TestSite::start_with(Options {
        fault: Fault::HostileText,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let out = add(dir, &site.payload("PPK2"), &["--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut seen = text(&out.stderr);
    let (browser, _) = site.login("PPK2");
    let number = browser.status()["number"].as_u64().unwrap().to_string();
    let listed = ok(dir, &["pending"]);
    // Only the browser the CLI recognises, and no wordy IP (F-03).
    assert!(
        listed.contains(" from an unknown address (Firefox 145), "),
        "{listed}"
    );
    seen.push_str(&listed);
    let tx = listed.split_whitespace().next().unwrap().to_owned();
    let out = run(dir, &["approve", &tx, "--number", &number]);
    assert_eq!(text(&out.stdout), "Login PPK2 diterima\n");
    seen.push_str(&text(&out.stderr));
    // Deny and report too: the site's message (`DITOLAK`, whatever the
    // result) is never what the user reads.
    for (command, said) in [
        ("deny", "Login PPK2 ditolak\n"),
        ("report", "Login PPK2 dilaporkan\n"),
    ] {
        let _browser = site.login("PPK2");
        let listed = ok(dir, &["pending"]);
        seen.push_str(&listed);
        let tx = listed.split_whitespace().next().unwrap().to_owned();
        let out = run(dir, &[command, &tx]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), said, "{command}");
        seen.push_str(&text(&out.stdout));
        seen.push_str(&text(&out.stderr));
    }
    assert!(
        seen.contains("DITOLAK"),
        "the hostile text is shown, made safe: {seen}"
    );
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !seen.contains(bad),
            "{bad:?} reached the terminal: {seen:?}"
        );
    }
}

/// Finding 7: a site answering about another user is refused: nothing is
/// stored from such an enrollment.
#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn answers_about_another_user_are_refused() {
    let site = TestSite::start_with(Options {
        fault: Fault::OtherUser,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let out = add(dir.path(), &site.payload("PPK2"), &["--yes"]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        text(&out.stderr),
        "error: site: the answer was about another account than this one; refused\n"
    );
    assert_eq!(list(dir.path()), Vec::<Value>::new());
}
