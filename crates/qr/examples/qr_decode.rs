//! Prints every QR code's text in a picture, one per line, as a user would
//! run a decoder (zbarimg's counterpart in `scripts/qr_bench.sh`, until the
//! CLI's `--image` replaces it). `-` reads the picture from stdin.
//! Exit 2 with `error: image: <reason>` when there is none.

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: qr_decode FILE|-");
        return ExitCode::from(2);
    };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(&path).map(|b| bytes = b)
    };
    if let Err(error) = read {
        eprintln!("error: image: {error}");
        return ExitCode::from(2);
    }
    match spse_qr::decode(&bytes) {
        Ok(texts) => {
            let mut out = std::io::stdout().lock();
            for text in &texts {
                if writeln!(out, "{}", text.as_str()).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
