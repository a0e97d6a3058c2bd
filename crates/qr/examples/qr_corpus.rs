//! Writes the test corpus (see `tests/corpus/mod.rs`) into a folder, for the
//! zbarimg comparison (`scripts/qr_bench.sh`) and as the fuzzer's seeds:
//! `NN-name.ext` per picture and `expected.tsv`, one line per picture with
//! its file name and its expected texts, tab-separated, in order.
//!
//! Usage: `qr_corpus DIR [--small]`; `--small` leaves out the 12-megapixel
//! photos and the 64-megapixel stress picture (which has no code, so its
//! line in `expected.tsv` has no texts).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: qr_corpus DIR [--small]"));
    let small = args.next().as_deref() == Some("--small");
    std::fs::create_dir_all(&dir).unwrap();
    let mut cases = corpus::cases();
    if !small {
        cases.extend(corpus::huge_cases());
        cases.extend(corpus::stress_cases());
    }
    let mut manifest = String::new();
    for (i, case) in cases.iter().enumerate() {
        let file = format!("{i:02}-{}.{}", case.name, case.ext);
        std::fs::write(dir.join(&file), &case.bytes).unwrap();
        writeln!(manifest, "{file}\t{}", case.expected.join("\t")).unwrap();
    }
    std::fs::write(dir.join("expected.tsv"), manifest).unwrap();
    eprintln!("{} pictures in {}", cases.len(), dir.display());
}
