//! Every payload in `fixtures/payloads.json`, the canonical list all readers
//! of SPSE Auth payloads must reproduce: summaries, codes and error texts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde::Deserialize;
use spse_otp::{Payload, Summary};

#[derive(Deserialize)]
struct Fixtures {
    valid: Vec<Valid>,
    invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Valid {
    name: String,
    payload: String,
    summary: Summary,
    at: Option<u64>,
    codes: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Invalid {
    name: String,
    payload: String,
    error: String,
}

fn fixtures() -> Fixtures {
    serde_json::from_str(include_str!("fixtures/payloads.json")).unwrap()
}

#[test]
fn valid_payloads_read_to_their_summary_and_codes() {
    let fixtures = fixtures();
    assert!(fixtures.valid.len() >= 20);
    for case in fixtures.valid {
        let payload = Payload::parse(&case.payload)
            .unwrap_or_else(|e| panic!("{}: refused with {e}", case.name));
        assert_eq!(Summary::from(&payload), case.summary, "{}", case.name);
        if let (Some(at), Some(codes)) = (case.at, case.codes) {
            let made: Vec<String> = payload
                .accounts()
                .iter()
                .map(|a| a.code_at(at).to_string())
                .collect();
            assert_eq!(made, codes, "{}", case.name);
        }
    }
}

#[test]
fn invalid_payloads_are_refused_with_their_exact_error() {
    let fixtures = fixtures();
    assert!(fixtures.invalid.len() >= 30);
    for case in fixtures.invalid {
        let error = Payload::parse(&case.payload)
            .map(|_| ())
            .expect_err(&case.name);
        assert_eq!(error.to_string(), case.error, "{}", case.name);
        // The message starts with the field the error reports.
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}: ", error.field())),
            "{}",
            case.name
        );
    }
}

#[test]
fn formatted_payloads_read_back_equal() {
    for case in fixtures().valid {
        let payload = Payload::parse(&case.payload).unwrap();
        for account in payload.accounts() {
            let again = Payload::parse(&account.to_uri()).unwrap();
            assert_eq!(
                again.accounts(),
                std::slice::from_ref(account),
                "{}",
                case.name
            );
        }
        if let Payload::Spse(enrollment) = &payload {
            let again = Payload::parse(&enrollment.to_uri()).unwrap();
            assert_eq!(again, payload, "{}", case.name);
        }
    }
}
