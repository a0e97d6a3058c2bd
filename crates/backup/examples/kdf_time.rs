//! How long SPSE Auth's backup password derivation takes here: seals and
//! opens a small backup with [`KdfParams::DEFAULT`] and a few neighbours,
//! printing the time of one `open` (one Argon2id derivation and the
//! decryption). A cheap phone is 4-5 times slower than one desktop core.
//!
//!     cargo run -p spse-backup --example kdf_time
//!
//! (The workspace builds argon2 and blake2 optimised in dev builds too.)

use std::time::Instant;

use spse_backup::Limits;
use spse_backup::backup::{self, KdfParams};

fn main() -> Result<(), spse_backup::Error> {
    let contents = br#"{"app":"spse-auth","made_at":0,"accounts":[]}"#;
    let password = "kata sandi cadangan";
    let candidates = [
        KdfParams::DEFAULT,
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        },
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 5,
            parallelism: 1,
        },
        KdfParams {
            memory_kib: 128 * 1024,
            iterations: 3,
            parallelism: 1,
        },
    ];
    for params in candidates {
        let file = backup::seal(contents, password, params)?;
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            backup::open(&file, password, &Limits::default())?;
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "m={:>6} KiB t={} p={}: {:>6.0} ms here, ~{:.1}-{:.1} s on a cheap phone",
            params.memory_kib,
            params.iterations,
            params.parallelism,
            best * 1e3,
            best * 4.0,
            best * 5.0,
        );
    }
    Ok(())
}
