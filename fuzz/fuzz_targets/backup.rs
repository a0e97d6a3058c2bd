//! Fuzzes the reader of SPSE Auth's own backup file (`backup::open`,
//! docs/backup.md) on arbitrary files: no input may panic it, and it
//! refuses with a one-line error that never carries the password. The
//! password is the test vector's (docs/backup-vector.json, the seed), so
//! that mutations reach the key check, the decryption and its tag, not
//! only the header; derivations are capped at 16 MiB so that runs stay
//! fast (the vector asks 1 MiB).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spse_backup::{Limits, backup};

/// docs/backup.md's test vector password.
const PASSWORD: &str = "kata sandi cadangan";

fuzz_target!(|data: &[u8]| {
    let limits = Limits { kdf_memory_mib: 16 };
    let _ = backup::is_backup(data);
    if let Err(error) = backup::open(data, PASSWORD, &limits) {
        let message = error.to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(!message.contains(PASSWORD), "{message}");
        assert!(!error.code().is_empty());
    }
});
