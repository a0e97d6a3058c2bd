//! In-process decode time of spse-qr beside the floor of the same picture:
//! decoding its pixels to grey levels with the `image` crate, which any QR
//! reader of a file must pay first. The pictures are the corpus's (see
//! `tests/corpus/mod.rs`): a clean screenshot crop, a full-HD browser
//! screenshot as JPEG, a dark-mode one (found on the inverted rung), and the
//! photos (the 24-megapixel tiny-code one: shrunk search, the whole ladder,
//! then a full-resolution region), and the worst case, the largest picture
//! accepted without a code (every rung, every busy region).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn decode(c: &mut Criterion) {
    let mut cases = corpus::cases();
    cases.extend(corpus::huge_cases());
    cases.extend(corpus::stress_cases());
    for name in [
        "clean-spse",
        "browser-1920-jpeg",
        "browser-dark",
        "photo-12mp-big",
        "photo-24mp-tiny",
        "stress-64mp-busy",
    ] {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let texts = spse_qr::decode(&case.bytes).unwrap_or_default();
        assert!(
            texts
                .iter()
                .map(|t| t.as_str())
                .eq(case.expected.iter().copied())
        );
        let mut group = c.benchmark_group(format!("qr: {}.{}", case.name, case.ext));
        if case.bytes.len() > 300_000 {
            group.sample_size(10);
        }
        group.bench_function("baseline: decode the pixels to grey (image crate)", |b| {
            b.iter(|| {
                image::load_from_memory(black_box(&case.bytes))
                    .unwrap()
                    .into_luma8()
            })
        });
        group.bench_function("spse-qr: decode (pixels + search)", |b| {
            b.iter(|| spse_qr::decode(black_box(&case.bytes)))
        });
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
