//! Property tests: no input panics the parser, and every account the app can
//! hold survives formatting and parsing unchanged.
#![allow(clippy::unwrap_used, missing_docs)]

use proptest::prelude::*;
use spse_otp::{
    Account, Algorithm, EnrollToken, Enrollment, Field, Kind, Payload, Secret, ServerUrl,
};
use zeroize::Zeroizing;

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (1..=u32::MAX).prop_map(|period| Kind::Totp { period }),
        Just(Kind::Totp { period: 30 }),
        any::<u64>().prop_map(|counter| Kind::Hotp { counter }),
    ]
}

/// Names as people type them: any printable text, colons and `#` included,
/// without the surrounding whitespace the parser trims.
fn name() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,40}".prop_map(|s| s.trim().to_owned())
}

prop_compose! {
    fn account()(
        issuer in proptest::option::of(name()),
        name in name(),
        algorithm in algorithm(),
        digits in 6u8..=10,
        kind in kind(),
        secret in proptest::collection::vec(any::<u8>(), 1..=64),
    ) -> Account {
        let secret = Secret::from_bytes(Zeroizing::new(secret)).unwrap();
        Account::new(issuer, name, algorithm, digits, kind, secret).unwrap()
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = Payload::parse(&text);
    }

    #[test]
    fn arbitrary_otpauth_uris_never_panic(rest in "[ -~]{0,200}") {
        let _ = Payload::parse(&format!("otpauth://{rest}"));
        let _ = Payload::parse(&format!("otpauth://totp/{rest}"));
        let _ = Payload::parse(&format!("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&{rest}"));
        let _ = Payload::parse(&format!("{{\"otpauth\": \"otpauth://totp/a?{rest}\", \"server\": \"{rest}\", \"enroll\": \"{rest}\"}}"));
    }

    #[test]
    fn arbitrary_migration_data_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let _ = Payload::parse(&format!("otpauth-migration://offline?data={data}"));
        // And wrapped as a well-formed entry around arbitrary fields.
        let mut message = vec![0x0a];
        message.push(bytes.len().min(127) as u8);
        message.extend_from_slice(&bytes[..bytes.len().min(127)]);
        let data = base64::engine::general_purpose::STANDARD.encode(&message);
        let _ = Payload::parse(&format!("otpauth-migration://offline?data={data}"));
    }

    #[test]
    fn accounts_round_trip(account in account()) {
        let uri = account.to_uri();
        let parsed = Payload::parse(&uri).unwrap();
        prop_assert_eq!(parsed, Payload::Otpauth(account));
    }

    #[test]
    fn enrollments_round_trip(
        account in account(),
        server in prop_oneof![
            Just("https://latihan-lpse.lkpp.go.id/spse45totp"),
            Just("https://lpse.kuduskab.go.id"),
            Just("http://127.0.0.1:8080"),
            Just("http://[::1]:9000/x"),
        ],
        token in "[!-~]{1,64}",
    ) {
        prop_assume!(matches!(account.kind(), Kind::Totp { .. }) && !account.name().is_empty());
        let enrollment = Enrollment::new(
            account,
            ServerUrl::parse(Field::Spse, server).unwrap(),
            EnrollToken::new(Zeroizing::new(token)).unwrap(),
        ).unwrap();
        let parsed = Payload::parse(&enrollment.to_uri()).unwrap();
        prop_assert_eq!(parsed, Payload::Spse(enrollment));
    }

    #[test]
    fn codes_have_the_requested_length(account in account(), at in any::<u64>()) {
        let code = account.code_at(at);
        prop_assert_eq!(code.as_str().len(), usize::from(account.digits()));
        prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
    }
}

/// What the fuzz target asserts, for inputs it once broke on
/// (`tests/regressions/`, one file each): accepted payloads round-trip.
#[test]
fn fuzz_regressions_hold() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Ok(payload) = Payload::parse(text) {
            for account in payload.accounts() {
                let again = Payload::parse(&account.to_uri()).unwrap();
                assert_eq!(again.accounts(), std::slice::from_ref(account));
            }
            if let Payload::Spse(enrollment) = &payload {
                assert_eq!(Payload::parse(&enrollment.to_uri()).unwrap(), payload);
            }
        }
        count += 1;
    }
    assert!(count >= 1);
}
