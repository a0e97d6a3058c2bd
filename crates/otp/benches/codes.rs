//! Code generation beside its floor, and payload parsing.
//!
//! The floor is what any TOTP code must cost at least: one HMAC-SHA1 over the
//! 8-byte counter with the same 20-byte key, by `ring`. It is measured twice,
//! with the key schedule (as a code from scratch needs) and with a prepared
//! key (the lowest possible), so the table shows where the time goes.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ring::hmac;
use spse_otp::{Generator, Payload};

const SECRET_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // RFC 6238 SHA-1 seed
const SECRET: &[u8] = b"12345678901234567890";
const T: u64 = 1_111_111_109;

fn codes(c: &mut Criterion) {
    let uri = format!("otpauth://totp/LPSE:PPK2?secret={SECRET_B32}&issuer=LPSE");
    let payload = Payload::parse(&uri).unwrap();
    let account = &payload.accounts()[0];
    let generator = Generator::new(account);
    let counter = (T / 30).to_be_bytes();
    let prepared = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, SECRET);

    let mut group = c.benchmark_group("code");
    group.bench_function("floor: ring HMAC-SHA1, key + MAC", |b| {
        b.iter(|| {
            let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, black_box(SECRET));
            hmac::sign(&key, black_box(&counter))
        })
    });
    group.bench_function("floor: ring HMAC-SHA1, MAC only", |b| {
        b.iter(|| hmac::sign(&prepared, black_box(&counter)))
    });
    group.bench_function("spse-otp: Generator::at (SHA1, 6 digits)", |b| {
        b.iter(|| generator.at(black_box(T)))
    });
    group.bench_function("spse-otp: Account::code_at (new generator)", |b| {
        b.iter(|| account.code_at(black_box(T)))
    });
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let spse = "otpauth://totp/LPSE%20LKPP:PPK2?secret=JBSWY3DPEHPK3PXP&issuer=LPSE%20LKPP\
                &spse=https%3A%2F%2Flatihan-lpse.lkpp.go.id%2Fspse45totp&enroll=q3Zx9fK2mW";
    let migration = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhACGAEgAA%3D%3D";
    let mut group = c.benchmark_group("parse");
    group.bench_function("SPSE enrollment URI", |b| {
        b.iter(|| Payload::parse(black_box(spse)).unwrap())
    });
    group.bench_function("otpauth-migration, 1 account", |b| {
        b.iter(|| Payload::parse(black_box(migration)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, codes, parsing);
criterion_main!(benches);
