//! The `spse-auth inspect` and `spse-auth code` contract, through the real
//! binary: output shapes, exit statuses and one-line errors, over every
//! payload of the canonical fixture list.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::text;

fn fixtures() -> Value {
    serde_json::from_str(include_str!("../../otp/tests/fixtures/payloads.json")).unwrap()
}

/// No command here opens a vault: the folder is never created.
const NO_VAULT: &str = "/nonexistent/spse-auth-vault";

fn run(args: &[&str]) -> Output {
    common::run(Path::new(NO_VAULT), args)
}

fn run_with_stdin(args: &[&str], input: &str) -> Output {
    common::run_with_stdin(Path::new(NO_VAULT), args, input)
}

#[test]
fn inspect_prints_one_json_object_per_fixture() {
    for case in fixtures()["valid"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let out = run_with_stdin(&["inspect", "-"], case["payload"].as_str().unwrap());
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert_eq!(stdout.lines().count(), 1, "{name}");
        let json: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json, case["summary"], "{name}");
        assert!(out.stderr.is_empty(), "{name}");
    }
}

/// Review finding 8: a payload on the command line (every local user sees
/// it in `ps`) still works for scripts, with a warning that says what to
/// use instead; a text that is not a payload gets only its error line.
#[test]
fn a_payload_on_the_command_line_is_warned_about() {
    let payload = "otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let from_argv = run(&["code", payload, "--at", "59"]);
    let from_stdin = run_with_stdin(&["code", "-", "--at", "59"], payload);
    assert_eq!(text(&from_argv.stdout), "287082\n");
    assert_eq!(from_argv.stdout, from_stdin.stdout);
    assert_eq!(
        text(&from_argv.stderr),
        "warning: the payload and its secret were given on the command line, where other users \
         of this machine can see them; pass - to read it from standard input\n"
    );
    assert!(from_stdin.stderr.is_empty());
    assert!(!text(&from_argv.stderr).contains("GEZDGNBV"));
}

#[test]
fn inspect_keys_are_exactly_the_contract() {
    let out = run(&[
        "inspect",
        "otpauth://totp/LPSE:PPK2?secret=JBSWY3DPEHPK3PXP&spse=https%3A%2F%2Flpse.go.id&enroll=tok",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 5);
    for key in ["kind", "server", "training", "enroll", "accounts"] {
        assert!(keys.contains(&key), "{key}");
    }
    let account = json["accounts"][0].as_object().unwrap();
    let mut keys: Vec<&str> = account.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account",
            "algorithm",
            "counter",
            "digits",
            "issuer",
            "period",
            "secret_bits",
            "type"
        ]
    );
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("JBSWY3DPEHPK3PXP"));
    assert!(!stdout.contains("tok\""));
}

#[test]
fn code_prints_each_accounts_code_at_the_given_time() {
    let mut checked = 0;
    for case in fixtures()["valid"].as_array().unwrap() {
        let (Some(at), Some(codes)) = (case["at"].as_u64(), case["codes"].as_array()) else {
            continue;
        };
        let at = at.to_string();
        let out = run(&["code", case["payload"].as_str().unwrap(), "--at", &at]);
        assert_eq!(out.status.code(), Some(0));
        let expected: String = codes
            .iter()
            .map(|c| format!("{}\n", c.as_str().unwrap()))
            .collect();
        assert_eq!(text(&out.stdout), expected, "{}", case["name"]);
        checked += 1;
    }
    assert!(checked >= 5);
}

#[test]
fn code_defaults_to_now() {
    let out = run(&["code", "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.len(), 7);
    assert!(stdout.trim_end().bytes().all(|b| b.is_ascii_digit()));
}

#[test]
fn bad_payloads_exit_2_with_one_error_line() {
    for case in fixtures()["invalid"].as_array().unwrap() {
        let payload = case["payload"].as_str().unwrap();
        for command in ["inspect", "code"] {
            let out = run(&[command, payload]);
            assert_eq!(out.status.code(), Some(2), "{payload}");
            assert!(out.stdout.is_empty(), "{payload}");
            assert_eq!(
                text(&out.stderr),
                format!("error: {}\n", case["error"].as_str().unwrap()),
                "{payload}"
            );
        }
    }
}

#[test]
fn errors_never_show_the_secret() {
    let secret = "CANARYCANARYCANARYCANARYCANARY22";
    for payload in [
        format!("otpauth://totp/A:b?secret={secret}1"),
        format!("otpauth://totp/A:b?secret={secret}&digits=4"),
        format!("otpauth://{secret}/A:b?secret={secret}"),
    ] {
        let out = run(&["inspect", &payload]);
        assert_eq!(out.status.code(), Some(2));
        assert!(!text(&out.stderr).to_uppercase().contains("CANARY"));
    }
}

#[test]
fn a_dash_reads_the_payload_from_stdin() {
    let out = run_with_stdin(
        &["code", "-", "--at", "59"],
        "  otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n",
    );
    assert_eq!(text(&out.stdout), "287082\n");
    let out = run_with_stdin(&["inspect", "-"], "nonsense");
    assert_eq!(out.status.code(), Some(2));
    let out = run_with_stdin(&["inspect", "-"], &"x".repeat(20_000));
    assert_eq!(
        text(&out.stderr),
        "error: payload: longer than 8192 bytes\n"
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        vec![],
        vec!["inspect"],
        vec!["frobnicate"],
        vec!["code", "x", "--at", "-5"],
        vec!["code", "x", "--at", "soon"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: arguments: "),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn help_and_version_succeed() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("inspect"));
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
}
