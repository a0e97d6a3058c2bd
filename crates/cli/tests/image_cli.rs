//! `spse-auth inspect/code/add --image`: the payload read from a picture of
//! its QR code gives exactly what its text gives, and every bad picture its
//! own one-line `error: image: ...` with exit status 2, never a decoded
//! secret. The pictures are rendered here by the `qrcode` crate.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, QrCode};

mod common;
use common::{TestSite, add, cli, list, run, text};

const PLAIN: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
/// Meant as a payload (otpauth) but invalid: its secret is not base32. The
/// canary must never reach the output.
const INVALID: &str = "otpauth://totp/LPSE:PPK2?secret=CANARY1CANARY8CANARY&issuer=LPSE";

/// `texts` as QR codes side by side, 4 px a module with a 4-module quiet
/// zone, on white.
fn picture(texts: &[&str]) -> GrayImage {
    const SCALE: u32 = 4;
    let codes: Vec<QrCode> = texts.iter().map(|t| QrCode::new(t).unwrap()).collect();
    let side = |c: &QrCode| (u32::try_from(c.width()).unwrap() + 8) * SCALE;
    let width: u32 = codes.iter().map(side).sum();
    let height = codes.iter().map(side).max().unwrap_or(64);
    let mut image = GrayImage::from_pixel(width.max(64), height, Luma([255]));
    let mut left = 0;
    for code in &codes {
        let modules = u32::try_from(code.width()).unwrap();
        for (i, color) in code.to_colors().into_iter().enumerate() {
            if color == Color::Dark {
                let i = u32::try_from(i).unwrap();
                let (mx, my) = ((i % modules + 4) * SCALE, (i / modules + 4) * SCALE);
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        image.put_pixel(left + mx + dx, my + dy, Luma([0]));
                    }
                }
            }
        }
        left += side(code);
    }
    image
}

/// Saves `image` as a PNG in `dir`; its path.
fn save(dir: &Path, name: &str, image: &GrayImage) -> PathBuf {
    let path = dir.join(name);
    image.save_with_format(&path, ImageFormat::Png).unwrap();
    path
}

/// Runs with `--image <path>` after `args`.
fn with_image(dir: &Path, args: &[&str], path: &Path) -> Output {
    cli(dir)
        .args(args)
        .arg("--image")
        .arg(path)
        .output()
        .unwrap()
}

/// The one line on stderr of a run that must fail with exit status 2.
fn refused(out: &Output) -> String {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn a_picture_gives_what_its_text_gives() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let png = save(dir, "plain.png", &picture(&[PLAIN]));
    for args in [&["inspect"][..], &["code", "--at", "1700000000"]] {
        let mut from_text = args.to_vec();
        from_text.push(PLAIN);
        let expected = run(dir, &from_text);
        let got = with_image(dir, args, &png);
        assert_eq!(got.status.code(), Some(0), "{}", text(&got.stderr));
        assert_eq!(text(&got.stdout), text(&expected.stdout));
        // No warning about a secret on the command line: there is none.
        assert!(got.stderr.is_empty(), "{}", text(&got.stderr));
    }
    // `--image -`: the picture's bytes on standard input.
    let mut child = cli(dir)
        .args(["code", "--at", "1700000000", "--image", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        &std::fs::read(&png).unwrap(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let expected = run(dir, &["code", "--at", "1700000000", PLAIN]);
    assert_eq!(
        text(&out.stdout),
        text(&expected.stdout),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_picture_and_a_text_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["inspect", PLAIN, "--image", "shot.png"]);
    assert!(refused(&out).starts_with("error: arguments: "));
}

#[test]
fn every_bad_picture_has_its_own_error() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let not_image = dir.join("notes.txt");
    std::fs::write(&not_image, "Akun pada LPSE berhasil ditambahkan").unwrap();
    let too_large = dir.join("huge.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(spse_qr::MAX_BYTES + 1, 0);
    std::fs::write(&too_large, bytes).unwrap();
    let cases = [
        (
            not_image,
            "error: image: not an image, or a format SPSE Auth cannot read (PNG, JPEG, WebP, BMP, GIF)",
        ),
        (too_large, "error: image: too large (over 40 MB)"),
        (
            save(
                dir,
                "blank.png",
                &GrayImage::from_pixel(300, 300, Luma([255])),
            ),
            "error: image: no QR code found",
        ),
        (
            save(
                dir,
                "link.png",
                &picture(&["https://lpse.example.go.id/eproc4"]),
            ),
            "error: image: a QR code holding a web link, not an authenticator code",
        ),
        (
            save(
                dir,
                "two.png",
                &picture(&[PLAIN, &PLAIN.replace("alice", "bob")]),
            ),
            "error: image: 2 different authenticator codes in one picture; use a picture of only the one to add",
        ),
        (dir.join("missing.png"), "error: image: could not read"),
    ];
    for (path, expected) in cases {
        for command in ["inspect", "code", "add"] {
            let args: &[&str] = if command == "add" {
                &["add", "--yes"]
            } else {
                &[command]
            };
            let line = refused(&with_image(dir, args, &path));
            assert!(
                line.starts_with(expected),
                "{command} {}: {line}",
                path.display()
            );
        }
    }
    // An authenticator code that does not parse names the field, not the secret.
    let invalid = save(dir, "invalid.png", &picture(&[INVALID]));
    let line = refused(&with_image(dir, &["inspect"], &invalid));
    assert!(
        line.starts_with("error: image: the QR code's authenticator code is invalid: secret"),
        "{line}"
    );
    assert!(!line.contains("CANARY"), "{line}");
}

#[test]
#[ignore = "needs a Secret Service: run through `make test`"]
fn add_from_a_picture_enrolls_like_the_text() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let payload = site.payload("PPK2");
    let png = save(dir, "aktivasi.png", &picture(&[&payload]));
    let out = with_image(dir, &["add", "--yes"], &png);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("added "), "{stdout}");
    assert!(!stdout.contains("secret"), "{stdout}");
    let listed = list(dir);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["account"], "PPK2");
    assert_eq!(listed[0]["pending"], false);
    // The same picture again: its token is spent, as with the text.
    let again = with_image(dir, &["add", "--yes"], &png);
    let by_text = add(dir, &payload, &["--yes"]);
    assert_eq!(again.status.code(), by_text.status.code());
    assert_eq!(text(&again.stderr), text(&by_text.stderr));
}
