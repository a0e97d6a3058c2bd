//! No error text and no `Debug` output ever holds a secret or an enrollment
//! token: a canary secret and token are run through every rejection path.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde::Deserialize;
use spse_otp::{Error, Payload};

/// 160 bits of Base32 spelling CANARY, easy to spot in any output.
const CANARY: &str = "CANARYCANARYCANARYCANARYCANARY22";
const TOKEN: &str = "TOKENCANARY-0123456789";

/// The decoded canary as it could leak: hex, lower case, lossy text, bytes.
fn leak_forms() -> Vec<String> {
    let payload = Payload::parse(&format!("otpauth://totp/x?secret={CANARY}")).unwrap();
    let bytes = payload.accounts()[0].secret().expose().to_vec();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        CANARY.to_owned(),
        CANARY.to_lowercase(),
        "CANARY".to_owned(),
        "canary".to_owned(),
        hex.clone(),
        hex.to_uppercase(),
        String::from_utf8_lossy(&bytes).into_owned(),
        format!("{:?}", &bytes[..4])
            .trim_matches(['[', ']'])
            .to_owned(),
        TOKEN.to_owned(),
        "TOKENCANARY".to_owned(),
    ]
}

fn assert_clean(context: &str, text: &str) {
    for leak in leak_forms() {
        assert!(!text.contains(&leak), "{context}: {text:?} leaks {leak:?}");
    }
}

fn check_refusal(payload: &str) -> Error {
    let error = Payload::parse(payload).map(|_| ()).expect_err(payload);
    assert_clean(payload, &error.to_string());
    assert_clean(payload, &format!("{error:?}"));
    error
}

#[derive(Deserialize)]
struct Fixtures {
    valid: Vec<Case>,
    invalid: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    payload: String,
}

fn fixtures() -> Fixtures {
    serde_json::from_str(include_str!("fixtures/payloads.json")).unwrap()
}

fn with_canaries(payload: &str) -> String {
    payload
        .replace("JBSWY3DPEHPK3PXP", CANARY)
        .replace("q3Zx9fK2mW", TOKEN)
        .replace("tok-123", TOKEN)
}

#[test]
fn every_invalid_fixture_with_a_canary_secret_leaks_nothing() {
    for case in fixtures().invalid {
        check_refusal(&with_canaries(&case.payload));
    }
}

#[test]
fn refusals_around_the_secret_itself_leak_nothing() {
    let paths = [
        // A bad character after most of the secret.
        format!("otpauth://totp/A:b?secret={CANARY}1"),
        format!("otpauth://totp/A:b?secret={CANARY}!"),
        // Data after padding.
        format!("otpauth://totp/A:b?secret={CANARY}===A"),
        // The secret given twice, the second one different.
        format!("otpauth://totp/A:b?secret={CANARY}&secret=JBSWY3DPEHPK3PXP"),
        // Every later check, with the secret already decoded.
        format!("otpauth://totp/A:b?secret={CANARY}&digits=99"),
        format!("otpauth://totp/A:b?secret={CANARY}&period=0"),
        format!("otpauth://totp/A:b?secret={CANARY}&algorithm=MD5"),
        format!("otpauth://totp/A:b%0Ac?secret={CANARY}"),
        format!("otpauth://totp/A:%FF?secret={CANARY}"),
        format!("otpauth://totp/A:b?secret={CANARY}&issuer=%FF"),
        format!(
            "otpauth://totp/A:b?secret={CANARY}&issuer={}",
            "x".repeat(300)
        ),
        format!("otpauth://totp/A:b?secret={CANARY}&spse=http%3A%2F%2Fexample.com&enroll={TOKEN}"),
        format!("otpauth://totp/A:?secret={CANARY}&spse=https%3A%2F%2Fa.go.id&enroll={TOKEN}"),
        format!("otpauth://totp/A:b?secret={CANARY}&spse=https%3A%2F%2Fa.go.id&enroll={TOKEN}%20x"),
        format!(
            "otpauth://totp/A:b?secret={CANARY}&spse=https%3A%2F%2Fa.go.id&enroll={}",
            TOKEN.repeat(40)
        ),
        // The secret in a field that echoes values.
        format!("otpauth://{CANARY}/A:b?secret={CANARY}"),
        format!("otpauth://totp/A:b?secret={CANARY}&algorithm={CANARY}"),
        // JSON forms holding the secret and the token.
        format!(
            r#"{{"otpauth": "otpauth://totp/A:b?secret={CANARY}", "server": 7, "enroll": "{TOKEN}"}}"#
        ),
        format!(
            r#"{{"otpauth": "otpauth://totp/A:b?secret={CANARY}", "server": "http://x.com", "enroll": "{TOKEN}"}}"#
        ),
        format!(r#"{{"otpauth": "{CANARY}", "server": "https://a.go.id", "enroll": "{TOKEN}"}}"#),
        format!(
            r#"{{"otpauth": "otpauth://totp/A:b?secret={CANARY}", "server": "https://a.go.id", "enroll": ["{TOKEN}"]}}"#
        ),
        format!(
            r#"{{"otpauth": "otpauth://totp/A:b?secret={CANARY}", "server": "https://a.go.id", "enroll": "{TOKEN}" "#
        ),
        // Too long as a whole.
        format!("otpauth://totp/A:b?secret={CANARY}&x={}", "y".repeat(9000)),
    ];
    for payload in &paths {
        check_refusal(payload);
    }
}

#[test]
fn migration_refusals_leak_nothing() {
    // One account whose raw secret is the canary's bytes, then a broken tail.
    let payload = Payload::parse(&format!("otpauth://totp/x?secret={CANARY}")).unwrap();
    let secret = payload.accounts()[0].secret().expose().to_vec();
    let mut entry = vec![0x0a, secret.len() as u8];
    entry.extend_from_slice(&secret);
    entry.extend_from_slice(&[0x20, 0x04]); // algorithm MD5
    let mut message = vec![0x0a, entry.len() as u8];
    message.extend_from_slice(&entry);
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    check_refusal(&format!(
        "otpauth-migration://offline?data={}",
        engine.encode(&message)
    ));
    message.truncate(message.len() - 1);
    message.push(0xff); // a varint that never ends
    check_refusal(&format!(
        "otpauth-migration://offline?data={}",
        engine.encode(&message)
    ));
}

#[test]
fn debug_of_parsed_payloads_is_redacted() {
    for case in fixtures().valid {
        let payload = Payload::parse(&with_canaries(&case.payload)).unwrap();
        let shown = format!("{payload:?} {payload:#?}");
        if case.payload.contains("JBSWY3DPEHPK3PXP") {
            assert!(shown.contains("[REDACTED]"), "{shown}");
        }
        assert_clean(&case.payload, &shown);
    }
}
