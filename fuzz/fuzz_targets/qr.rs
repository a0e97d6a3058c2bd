//! Fuzzes the picture decoder on arbitrary bytes: nothing may panic it, its
//! memory stays bounded (run with `-rss_limit_mb` and `-malloc_limit_mb`),
//! every refusal is one line starting `image: ` with a stable code, and no
//! refusal repeats the text of a code found in the picture (which may be a
//! secret): the only part of the input an error could leak.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spse_qr::{Error, find_payload};

fuzz_target!(|data: &[u8]| {
    let Err(error) = find_payload(data) else {
        return;
    };
    let message = error.to_string();
    assert!(message.starts_with("image: "), "{message}");
    assert!(!message.contains('\n'), "{message}");
    assert!(!error.code().is_empty());
    if let Error::NotAuthenticator { .. } | Error::Payload(_) | Error::Ambiguous { .. } = error {
        // Codes were found: none of their texts may show. Short texts could
        // match by chance (a digit, "a"), so from 6 bytes on. (A second
        // search may stop short on its time budget under the sanitizer.)
        let texts = spse_qr::decode(data).unwrap_or_default();
        for text in texts.iter().filter(|t| t.len() >= 6) {
            assert!(!message.contains(text.as_str()), "{message}");
        }
    }
});
