//! Fuzzes the importers (`spse_backup::read`) on arbitrary files: no input
//! may panic them, an error is one line and never carries the password,
//! and whatever they import makes codes of the right length. The first
//! byte picks no password or the password "fuzz" (so the encrypted
//! formats' key derivations and decryptions run too); the memory a
//! derivation may ask is capped at 16 MiB so that libFuzzer's runs stay
//! fast (the limit itself is one of the paths fuzzed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spse_backup::Limits;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, file)) = data.split_first() else {
        return;
    };
    let password = (choice & 1 == 1).then_some("fuzz");
    let limits = Limits { kdf_memory_mib: 16 };
    if let Ok(found) = spse_backup::detect(file) {
        assert!(!found.format.name().is_empty());
    }
    match spse_backup::read(file, password, &limits) {
        Ok(imported) => {
            for account in &imported.accounts {
                let code = account.code_at(1_700_000_000);
                assert_eq!(code.as_str().len(), usize::from(account.digits()));
            }
            for skipped in &imported.skipped {
                assert!(!skipped.reason.to_string().contains('\n'));
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!message.contains('\n'), "{message}");
            assert!(!message.contains("fuzz"), "{message}");
            assert!(!error.code().is_empty());
        }
    }
});
