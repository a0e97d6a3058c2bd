//! The vault at 1,000 accounts: open and save, each beside its I/O floor in
//! the same run, and the keystore call measured on its own (the real Secret
//! Service when `make bench` provides one, beside the in-memory mock).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fs::{self, File};
use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use keyring_core::mock;
use spse_otp::Payload;
use spse_vault::{Keystore, Site, Vault};

const ACCOUNTS: usize = 1_000;

fn filled(dir: &std::path::Path, keystore: &Keystore) -> Vault {
    let mut vault = Vault::open(dir, keystore.clone()).unwrap();
    // 1,000 real adds (1,000 saves): slow, but once per run.
    for i in 0..ACCOUNTS {
        let uri = format!(
            "otpauth://totp/LPSE%20{i}:PPK{i}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20{i}"
        );
        let account = Payload::parse(&uri).unwrap().accounts()[0].clone();
        let site = Site {
            server: format!("https://lpse{}.go.id", i % 40),
            name: Some(format!("LPSE {}", i % 40)),
            training: false,
            device: None,
            trust_root: None,
            pending: None,
        };
        vault.add(account, Some(site), false).unwrap();
    }
    vault
}

fn vault(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let keystore = Keystore::new(mock::Store::new().unwrap());
    let mut vault = filled(dir.path(), &keystore);
    let path = vault.paths().current.clone();
    let bytes = fs::read(&path).unwrap();
    let id = vault.accounts()[500].id.clone();

    let mut open = c.benchmark_group("vault open, 1,000 accounts");
    open.sample_size(30)
        .measurement_time(Duration::from_secs(4));
    open.bench_function("baseline: read vault.json", |b| {
        b.iter(|| fs::read(black_box(&path)).unwrap())
    });
    open.bench_function(
        "Vault::open (lock, read, decrypt, parse; mock keystore)",
        |b| b.iter(|| Vault::open(dir.path(), keystore.clone()).unwrap()),
    );
    open.finish();

    let mut save = c.benchmark_group("vault save, 1,000 accounts");
    save.sample_size(20)
        .measurement_time(Duration::from_secs(6));
    let floor = dir.path().join("floor.json");
    let floor_tmp = dir.path().join("floor.json.tmp");
    save.bench_function("baseline: write + fsync + rename the same bytes", |b| {
        b.iter(|| {
            let mut file = File::create(&floor_tmp).unwrap();
            file.write_all(&bytes).unwrap();
            file.sync_all().unwrap();
            fs::rename(&floor_tmp, &floor).unwrap();
            File::open(dir.path()).unwrap().sync_all().unwrap();
        })
    });
    let mut flip = false;
    save.bench_function(
        "Vault::rename (lock, re-read, seal, atomic save + backup)",
        |b| {
            b.iter(|| {
                flip = !flip;
                vault.rename(&id, flip.then_some("Kantor")).unwrap()
            })
        },
    );
    save.finish();
}

fn keystore(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystore: read the vault key");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(4));
    let mock_store = Keystore::new(mock::Store::new().unwrap());
    mock_store
        .entry("vault-bench")
        .unwrap()
        .set_secret(&[7; 32])
        .unwrap();
    group.bench_function("baseline: in-memory mock", |b| {
        b.iter(|| {
            mock_store
                .entry("vault-bench")
                .unwrap()
                .get_secret()
                .unwrap()
        })
    });
    // The real Secret Service, when there is one (make bench starts it).
    let platform = Keystore::platform().ok().filter(|k| {
        k.entry("vault-bench")
            .is_ok_and(|e| e.set_secret(&[7; 32]).is_ok())
    });
    if let Some(platform) = platform {
        group.bench_function("Secret Service (gnome-keyring over D-Bus)", |b| {
            b.iter(|| platform.entry("vault-bench").unwrap().get_secret().unwrap())
        });
        let _ = platform.entry("vault-bench").unwrap().delete_credential();
    }
    group.finish();
}

criterion_group!(benches, vault, keystore);
criterion_main!(benches);
