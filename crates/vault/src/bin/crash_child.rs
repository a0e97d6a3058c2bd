//! A process for `tests/crash.rs` to kill: it opens the vault in
//! `SPSE_CRASH_DIR` with a mock keystore holding `SPSE_CRASH_KEY` (hex) under
//! `SPSE_CRASH_KEY_ID`, then either adds accounts in a loop, printing
//! `saved <n>` after each save returned (`save-loop`), or adds one and prints
//! `saved` or `error: <text>` (`save-once`). Not part of the app.

use std::path::Path;

use keyring_core::mock;
use spse_otp::{Account, Payload};
use spse_vault::{Keystore, Vault};

fn main() -> Result<(), String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let dir = var("SPSE_CRASH_DIR")?;
    let key_hex = var("SPSE_CRASH_KEY")?;
    let key: Vec<u8> = (0..key_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(key_hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let store = mock::Store::new().map_err(|e| e.to_string())?;
    let keystore = Keystore::new(store);
    keystore
        .entry(&var("SPSE_CRASH_KEY_ID")?)
        .map_err(|e| e.to_string())?
        .set_secret(&key)
        .map_err(|e| e.to_string())?;
    let mut vault = Vault::open(Path::new(&dir), keystore).map_err(|e| e.to_string())?;
    match var("SPSE_CRASH_MODE")?.as_str() {
        "save-loop" => {
            let mut n = vault.accounts().len();
            loop {
                vault
                    .add(account(&format!("n{n}"))?, None, false)
                    .map_err(|e| e.to_string())?;
                n += 1;
                // Reported only once the save returned: this one must survive.
                println!("saved {n}");
            }
        }
        "save-once" => {
            match vault.add(account("too-big")?, None, false) {
                Err(error) => println!("error: {error}"),
                Ok(_) => println!("saved"),
            }
            Ok(())
        }
        other => Err(format!("unknown mode {other}")),
    }
}

fn account(name: &str) -> Result<Account, String> {
    let uri = format!("otpauth://totp/Crash:{name}?secret=JBSWY3DPEHPK3PXP&issuer=Crash");
    match Payload::parse(&uri) {
        Ok(Payload::Otpauth(account)) => Ok(account),
        _ => Err("not an account".into()),
    }
}
