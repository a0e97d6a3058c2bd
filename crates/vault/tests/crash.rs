//! Crash safety, with real processes and a real kernel:
//!
//! 1. A child process adds accounts in a loop and is killed with SIGKILL at
//!    random moments, 200 times. After every kill the vault opens directly
//!    (no recovery needed), holds every account the child reported saved and
//!    at most the one it was saving, never fewer.
//! 2. A child whose file size limit (`ulimit -f`) makes the next save fail
//!    as a full disk would gets a clear error, and the old vault stays whole.
//!
//! The keystore is `keyring_core::mock`, seeded in the child with the key the
//! parent created: what is under test here is the file, not the keystore.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use keyring_core::mock;
use spse_otp::{Account, Payload};
use spse_vault::{Keystore, Vault};

const KILLS: usize = 200;

fn account(name: &str) -> Account {
    let uri = format!("otpauth://totp/Crash:{name}?secret=JBSWY3DPEHPK3PXP&issuer=Crash");
    Payload::parse(&uri).unwrap().accounts()[0].clone()
}

fn main() {
    match std::env::var("SPSE_CRASH_CHILD").as_deref() {
        Ok("save-loop") => return child_save_loop(),
        Ok("save-once") => return child_save_once(),
        _ => {}
    }
    let started = Instant::now();
    kill_during_saves();
    full_disk_during_save();
    println!(
        "crash: {KILLS} kills and a full disk survived in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}

/// The child's keystore: a mock holding the parent's key.
fn child_keystore() -> Keystore {
    let keystore = Keystore::new(mock::Store::new().unwrap());
    let key_id = std::env::var("SPSE_CRASH_KEY_ID").unwrap();
    let key: Vec<u8> = (0..64)
        .step_by(2)
        .map(|i| {
            let hex = std::env::var("SPSE_CRASH_KEY").unwrap();
            u8::from_str_radix(&hex[i..i + 2], 16).unwrap()
        })
        .collect();
    keystore.entry(&key_id).unwrap().set_secret(&key).unwrap();
    keystore
}

fn child_save_loop() {
    let dir = std::env::var("SPSE_CRASH_DIR").unwrap();
    let mut vault = Vault::open(Path::new(&dir), child_keystore()).unwrap();
    let mut n = vault.accounts().len();
    loop {
        vault.add(account(&format!("n{n}")), None, false).unwrap();
        n += 1;
        // Reported only once the save returned: this account must survive.
        println!("saved {n}");
    }
}

fn child_save_once() {
    let dir = std::env::var("SPSE_CRASH_DIR").unwrap();
    let mut vault = Vault::open(Path::new(&dir), child_keystore()).unwrap();
    match vault.add(account("too-big"), None, false) {
        Err(error) => println!("error: {error}"),
        Ok(_) => println!("saved"),
    }
}

/// A parent-side vault and what the child needs to open it.
struct Setup {
    dir: tempfile::TempDir,
    keystore: Keystore,
    key_id: String,
    key_hex: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let keystore = Keystore::new(mock::Store::new().unwrap());
    let vault = Vault::open(dir.path(), keystore.clone()).unwrap();
    let key = keystore
        .entry(vault.key_id())
        .unwrap()
        .get_secret()
        .unwrap();
    Setup {
        key_id: vault.key_id().to_owned(),
        key_hex: key.iter().map(|b| format!("{b:02x}")).collect(),
        dir,
        keystore,
    }
}

/// This test binary as a child in `mode`, started by `program` (itself, or
/// a shell that sets limits and execs it).
fn child(setup: &Setup, mode: &str, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .arg(std::env::current_exe().unwrap())
        .env("SPSE_CRASH_CHILD", mode)
        .env("SPSE_CRASH_DIR", setup.dir.path())
        .env("SPSE_CRASH_KEY_ID", &setup.key_id)
        .env("SPSE_CRASH_KEY", &setup.key_hex)
        .stdout(Stdio::piped());
    command
}

/// A cheap deterministic spread of kill delays (0 to 40 ms).
fn delays() -> impl Iterator<Item = Duration> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    std::iter::repeat_with(move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        Duration::from_micros(x % 40_000)
    })
}

fn kill_during_saves() {
    let setup = setup();
    let mut count = 0usize;
    let mut mid_save_kills = 0usize;
    for (round, delay) in delays().take(KILLS).enumerate() {
        let mut child = child(&setup, "save-loop", "env", &[]).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        // Read the child's reports on a thread while the clock runs.
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| {
                    l.strip_prefix("saved ")
                        .map(|n| n.parse::<usize>().unwrap())
                })
                .last()
        });
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acknowledged = reader.join().unwrap().unwrap_or(count);

        let vault = Vault::open(setup.dir.path(), setup.keystore.clone()).unwrap();
        assert!(
            vault.recovery().is_none(),
            "round {round}: vault.json was damaged"
        );
        let now = vault.accounts().len();
        assert!(
            now == acknowledged || now == acknowledged + 1,
            "round {round}: {now} accounts, child had saved {acknowledged}"
        );
        assert!(
            now >= count,
            "round {round}: lost accounts ({count} -> {now})"
        );
        for (i, stored) in vault.accounts().iter().enumerate() {
            assert_eq!(stored.account.name(), format!("n{i}"), "round {round}");
        }
        if now > acknowledged {
            mid_save_kills += 1;
        }
        count = now;
    }
    println!(
        "crash: {KILLS} SIGKILLs, {count} accounts saved, {mid_save_kills} kills landed after a \
         save's rename and before its report"
    );
    assert!(count > 0, "the child never saved anything");
}

fn full_disk_during_save() {
    let setup = setup();
    {
        let mut vault = Vault::open(setup.dir.path(), setup.keystore.clone()).unwrap();
        for i in 0..4 {
            vault.add(account(&format!("n{i}")), None, false).unwrap();
        }
    }
    let current = setup.dir.path().join("vault.json");
    let before = std::fs::read(&current).unwrap();
    assert!(before.len() > 1024);

    // `ulimit -f 1`: no file may grow past 1 KiB, so writing the new vault
    // fails with EFBIG; the ignored SIGXFSZ (inherited through exec) lets the
    // write return that error instead of killing the process.
    let script = "trap '' XFSZ; ulimit -f 1; exec \"$0\"";
    let output = child(&setup, "save-once", "bash", &["-c", script])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("error: could not write ") && stdout.contains("vault.json.tmp"),
        "{stdout}"
    );
    assert!(stdout.contains("File too large"), "{stdout}");
    assert_eq!(std::fs::read(&current).unwrap(), before, "old vault intact");
    assert!(!setup.dir.path().join("vault.json.tmp").exists());
    let vault = Vault::open(setup.dir.path(), setup.keystore).unwrap();
    assert_eq!(vault.accounts().len(), 4);
    assert!(vault.recovery().is_none());
    println!("crash: full disk (EFBIG) during a save: {}", stdout.trim());
}
