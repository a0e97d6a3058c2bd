//! Fuzzes `Payload::parse`: no input may panic it, and whatever it accepts
//! must format and parse back to the same accounts and make codes of the
//! right length; whatever it refuses gets a one-line error naming its field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spse_otp::Payload;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Payload::parse(text) {
        Ok(payload) => {
            for account in payload.accounts() {
                let again = Payload::parse(&account.to_uri()).expect("own URI must parse");
                assert_eq!(again.accounts(), std::slice::from_ref(account));
                let code = account.code_at(1_700_000_000);
                assert_eq!(code.as_str().len(), usize::from(account.digits()));
            }
            if let Payload::Spse(enrollment) = &payload {
                let again = Payload::parse(&enrollment.to_uri()).expect("own URI must parse");
                assert_eq!(again, payload);
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with(error.field().as_str()));
            assert!(!message.contains('\n'));
        }
    }
});
