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

/// What every parse, of anything, must give: a payload whose accounts
/// format and parse back unchanged and make codes of their length, or one
/// line naming its field first (`<field>: <reason>`).
fn well_formed(text: &str) -> Result<(), TestCaseError> {
    match Payload::parse(text) {
        Ok(payload) => {
            prop_assert!(!payload.accounts().is_empty());
            for account in payload.accounts() {
                let again = Payload::parse(&account.to_uri()).unwrap();
                prop_assert_eq!(again.accounts(), std::slice::from_ref(account));
                prop_assert_eq!(
                    account.code_at(59).as_str().len(),
                    usize::from(account.digits())
                );
            }
        }
        Err(error) => {
            let shown = error.to_string();
            prop_assert!(!shown.contains('\n'), "{}", shown);
            let field = error.field().as_str();
            prop_assert!(
                shown.starts_with(&format!("{field}: ")),
                "{} does not start with its field {}",
                shown,
                field
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_text_parses_or_names_its_field(text in any::<String>()) {
        well_formed(&text)?;
    }

    #[test]
    fn arbitrary_otpauth_uris_parse_or_name_their_field(rest in "[ -~]{0,200}") {
        well_formed(&format!("otpauth://{rest}"))?;
        well_formed(&format!("otpauth://totp/{rest}"))?;
        well_formed(&format!("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&{rest}"))?;
        well_formed(&format!("{{\"otpauth\": \"otpauth://totp/a?{rest}\", \"server\": \"{rest}\", \"enroll\": \"{rest}\"}}"))?;
    }

    #[test]
    fn arbitrary_migration_data_parses_or_names_its_field(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
        well_formed(&format!("otpauth-migration://offline?data={data}"))?;
        // And wrapped as a well-formed entry around arbitrary fields.
        let mut message = vec![0x0a];
        message.push(bytes.len().min(127) as u8);
        message.extend_from_slice(&bytes[..bytes.len().min(127)]);
        let data = base64::engine::general_purpose::STANDARD.encode(&message);
        well_formed(&format!("otpauth-migration://offline?data={data}"))?;
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
    // Each input the fuzzer found, with what it must give now: `ok`, or the
    // exact refusal (in `<name>.expected`).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{}: no .expected beside it", path.display()));
        let got = match Payload::parse(&text) {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected.trim_end(), "{}", path.display());
        well_formed(&text).unwrap();
        count += 1;
    }
    assert!(count >= 1);
}
