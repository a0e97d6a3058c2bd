//! Code generation beside its floor, and payload parsing beside `url`.
//!
//! The floor is what any TOTP code must cost at least: one HMAC-SHA1 over
//! the 8-byte counter with the same 20-byte key, by the fastest HMAC-SHA1 on
//! this machine: RustCrypto's `hmac` + `sha1`, the crates totp-rs itself
//! uses, with the same CPU features (SHA-NI where present), and a prepared
//! key. `ring`'s HMAC-SHA1 (portable SHA-1 code) is shown for reference.
//!
//! Parsing is measured beside `url::Url::parse` of the very same text: the
//! part of the work any reader of a URI must do.
#![allow(clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use ring::hmac as ring_hmac;
use sha1::Sha1;
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
    let prepared = <Hmac<Sha1> as KeyInit>::new_from_slice(SECRET).unwrap();
    let ring_key = ring_hmac::Key::new(ring_hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, SECRET);

    let mut group = c.benchmark_group("code");
    group.bench_function("floor: RustCrypto HMAC-SHA1, prepared key", |b| {
        b.iter(|| {
            let mut mac = prepared.clone();
            mac.update(black_box(&counter));
            mac.finalize().into_bytes()
        })
    });
    group.bench_function("RustCrypto HMAC-SHA1, key + MAC", |b| {
        b.iter(|| {
            let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(black_box(SECRET)).unwrap();
            mac.update(black_box(&counter));
            mac.finalize().into_bytes()
        })
    });
    group.bench_function("reference: ring HMAC-SHA1, prepared key", |b| {
        b.iter(|| ring_hmac::sign(&ring_key, black_box(&counter)))
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
    for (group_name, text, name) in [
        (
            "parse: SPSE enrollment URI",
            spse,
            "spse-otp: Payload::parse",
        ),
        (
            "parse: otpauth-migration, 1 account",
            migration,
            "spse-otp: Payload::parse",
        ),
    ] {
        let mut group = c.benchmark_group(group_name);
        group.bench_function("baseline: url::Url::parse, same text", |b| {
            b.iter(|| url::Url::parse(black_box(text)).unwrap())
        });
        group.bench_function(name, |b| {
            b.iter(|| Payload::parse(black_box(text)).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, codes, parsing);
criterion_main!(benches);
