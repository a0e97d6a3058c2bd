//! Crash safety, with real processes and a real kernel:
//!
//! 1. A child process adds accounts in a loop and is killed with SIGKILL at
//!    random moments, 200 times. After every kill the vault opens directly
//!    (no recovery needed), holds every account the child reported saved and
//!    at most the one it was saving, never fewer.
//! 2. A child whose file size limit (`ulimit -f`) makes the next save fail
//!    as a full disk would gets a clear error, and the old vault stays whole.
//!
//! The keystore is `keyring_core::mock`, seeded in the child (the
//! `spse-vault-crash-child` binary) with the key the parent created: what is
//! under test here is the file, not the keystore.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use keyring_core::mock;
use spse_otp::{Account, Payload};
use spse_vault::{Keystore, Vault};

const KILLS: usize = 200;
/// Kills that must land inside a save (while its new file is written, or
/// between its rename and its report), so the run proves a crash mid-save
/// is survived, not just crashes between saves.
const MID_SAVE_FLOOR: usize = 10;

fn account(name: &str) -> Account {
    let uri = format!("otpauth://totp/Crash:{name}?secret=JBSWY3DPEHPK3PXP&issuer=Crash");
    Payload::parse(&uri).unwrap().accounts()[0].clone()
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

/// The child in `mode`, started by `program` (`env`, or a shell that sets
/// limits and execs it).
fn child(setup: &Setup, mode: &str, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .arg(env!("CARGO_BIN_EXE_spse-vault-crash-child"))
        .env("SPSE_CRASH_MODE", mode)
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

#[test]
fn kills_during_saves_lose_nothing() {
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
        // Killed while writing the new file, before its rename.
        let before_rename = setup.dir.path().join("vault.json.tmp").exists();

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
        if before_rename || now > acknowledged {
            mid_save_kills += 1;
        }
        count = now;
    }
    assert!(count >= KILLS / 4, "the child saved only {count} accounts");
    assert!(
        mid_save_kills >= MID_SAVE_FLOOR,
        "only {mid_save_kills} of {KILLS} kills landed mid-save"
    );
}

#[test]
fn a_full_disk_during_a_save_keeps_the_old_vault() {
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
}
