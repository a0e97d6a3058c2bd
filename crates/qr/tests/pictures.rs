//! The corpus (see `corpus/mod.rs`) through `decode` and `find_payload`:
//! every picture decodes to exactly its texts, in order (each payload form,
//! each format, tiny and huge, turned, tilted, blurred, noisy, JPEG-damaged,
//! dim, dark mode, busy and browser backgrounds, several codes in one
//! picture), and every refusal has its exact text, never a decoded one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod corpus;

use std::io::Cursor;
use std::sync::LazyLock;

use corpus::Case;
use image::{GrayImage, ImageFormat, Luma};
use spse_otp::Payload;
use spse_qr::{Content, Error, MAX_BYTES, MAX_PIXELS, find_payload, find_payload_in_pixels};

/// Rendered once for every test of this file.
static CORPUS: LazyLock<Vec<Case>> = LazyLock::new(corpus::cases);

/// Decodes each case, collecting every failure so one run shows them all.
fn check(cases: &[Case]) {
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let file = format!("{}.{}", case.name, case.ext);
        match spse_qr::decode(&case.bytes) {
            Ok(texts) => {
                let texts: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
                if texts != case.expected {
                    failures.push(format!(
                        "{file}: found {} codes, not the expected",
                        texts.len()
                    ));
                }
            }
            Err(error) => failures.push(format!("{file}: {error}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed: {failures:#?}",
        failures.len(),
        cases.len()
    );
}

#[test]
fn every_picture_of_the_corpus_gives_its_exact_texts() {
    assert!(CORPUS.len() >= 45, "{}", CORPUS.len());
    check(&CORPUS);
}

#[test]
fn twelve_megapixel_photos_give_their_exact_texts() {
    check(&corpus::huge_cases());
}

#[test]
fn a_greyscale_jpeg_is_read_like_a_colour_one() {
    let grey = image::load_from_memory(&picture("clean-spse"))
        .unwrap()
        .into_luma8();
    let mut jpeg = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&grey)
        .unwrap();
    let texts = spse_qr::decode(jpeg.get_ref()).unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].as_str(), corpus::SPSE);
}

#[test]
fn the_largest_picture_without_a_code_is_searched_and_not_found() {
    for case in corpus::stress_cases() {
        assert!(case.expected.is_empty());
        let error = spse_qr::decode(&case.bytes).unwrap_err();
        assert_eq!(error, Error::NotFound, "{}.{}", case.name, case.ext);
    }
}

fn picture(name: &str) -> Vec<u8> {
    CORPUS
        .iter()
        .find(|c| c.name == name)
        .unwrap()
        .bytes
        .clone()
}

fn refusal(bytes: &[u8]) -> Error {
    let error = find_payload(bytes).expect_err("must be refused");
    let text = error.to_string();
    assert!(text.starts_with("image: "), "{text}");
    assert!(!text.contains('\n'), "{text}");
    error
}

#[test]
fn each_payload_form_is_found_and_parsed() {
    for (name, text) in [
        ("clean-spse", corpus::SPSE),
        ("clean-json", corpus::JSON),
        ("clean-plain", corpus::PLAIN),
        ("clean-migration", corpus::MIGRATION),
        ("browser-dark", corpus::SPSE),
    ] {
        assert_eq!(
            find_payload(&picture(name)).unwrap(),
            Payload::parse(text).unwrap(),
            "{name}"
        );
    }
    let Payload::Spse(enrollment) = find_payload(&picture("clean-spse")).unwrap() else {
        panic!("not an SPSE enrollment");
    };
    assert_eq!(enrollment.token.expose(), "Qm9kYS10b2tlbi1mb3ItcXIx");
    assert_eq!(
        enrollment.server.as_str(),
        "https://latihan-lpse.lkpp.go.id/spse45totp"
    );
}

#[test]
fn the_same_payload_twice_is_one() {
    let payload = find_payload(&picture("duplicate-codes")).unwrap();
    assert_eq!(payload, Payload::parse(corpus::SPSE).unwrap());
}

#[test]
fn two_different_payloads_are_refused_rather_than_guessed() {
    for name in ["two-codes", "two-codes-jpeg"] {
        let error = refusal(&picture(name));
        assert_eq!(error, Error::Ambiguous { count: 2 });
        assert_eq!(error.code(), "qr_ambiguous");
        assert_eq!(
            error.to_string(),
            "image: 2 different authenticator codes in one picture; use a picture of only the one to add"
        );
    }
}

#[test]
fn codes_that_are_not_authenticator_codes_are_told_by_kind_only() {
    for (name, found, text) in [
        (
            "web-link",
            vec![Content::WebLink],
            "image: a QR code holding a web link, not an authenticator code",
        ),
        (
            "text",
            vec![Content::Text],
            "image: a QR code holding text, not an authenticator code",
        ),
        (
            "link-and-text",
            vec![Content::WebLink, Content::Text],
            "image: 2 QR codes, none an authenticator code (a web link, text)",
        ),
    ] {
        let error = refusal(&picture(name));
        assert_eq!(error.to_string(), text);
        assert_eq!(error, Error::NotAuthenticator { found });
        assert_eq!(error.code(), "qr_not_authenticator");
        for leak in ["lkpp", "bantuan", "Pindai", "SPSE Authenticator"] {
            assert!(!format!("{error} {error:?}").contains(leak), "{leak}");
        }
    }
}

#[test]
fn a_broken_payload_says_which_field_and_never_its_secret() {
    let error = refusal(&picture("invalid-payload"));
    assert_eq!(
        error,
        Error::Payload(spse_otp::Error::NotBase32 { position: 7 })
    );
    assert_eq!(
        error.to_string(),
        "image: the QR code's authenticator code is invalid: secret: not valid Base32 (character 7)"
    );
    assert_eq!(error.code(), "qr_invalid_payload");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.to_uppercase().contains("CANARY"), "{shown}");
    }
}

#[test]
fn a_picture_without_a_code_is_not_found() {
    let mut png = Cursor::new(Vec::new());
    GrayImage::from_fn(300, 200, |x, y| Luma([((x * 7 + y * 3) % 256) as u8]))
        .write_to(&mut png, ImageFormat::Png)
        .unwrap();
    let error = refusal(png.get_ref());
    assert_eq!(error.to_string(), "image: no QR code found");
    assert_eq!(error.code(), "qr_not_found");
    let flat = GrayImage::from_pixel(1, 1, Luma([255]));
    let mut png = Cursor::new(Vec::new());
    flat.write_to(&mut png, ImageFormat::Png).unwrap();
    assert_eq!(refusal(png.get_ref()), Error::NotFound);
}

#[test]
fn what_is_not_a_picture_in_a_known_format_is_unreadable() {
    let tiff = b"II*\0\x08\0\0\0".to_vec();
    for bytes in [
        &b""[..],
        b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
        b"%PDF-1.7\n",
        &tiff,
    ] {
        let error = refusal(bytes);
        assert_eq!(error, Error::Unreadable);
        assert_eq!(
            error.to_string(),
            "image: not an image, or a format SPSE Auth cannot read (PNG, JPEG, WebP, BMP, GIF)"
        );
        assert_eq!(error.code(), "image_unreadable");
    }
}

#[test]
fn a_cut_short_picture_is_damaged() {
    let whole = picture("clean-spse");
    let error = refusal(&whole[..whole.len() / 2]);
    assert_eq!(error.to_string(), "image: a damaged or incomplete PNG file");
    assert_eq!(error.code(), "image_unreadable");
    let jpeg = picture("format-jpeg");
    assert_eq!(refusal(&jpeg[..40]), Error::Damaged { format: "JPEG" });
    for (name, format) in [
        ("format-webp", "WebP"),
        ("format-bmp", "BMP"),
        ("format-gif", "GIF"),
    ] {
        let bytes = picture(name);
        assert_eq!(refusal(&bytes[..20]), Error::Damaged { format }, "{name}");
    }
}

#[test]
fn more_than_forty_megabytes_is_refused_unread() {
    let mut bytes = picture("clean-spse");
    bytes.resize(MAX_BYTES + 1, 0);
    let error = refusal(&bytes);
    assert_eq!(error.to_string(), "image: too large (over 40 MB)");
    assert_eq!(error.code(), "image_too_large");
    // Exactly the limit is read (and is a PNG with trailing bytes).
    bytes.truncate(MAX_BYTES);
    assert!(find_payload(&bytes).is_ok());
}

/// Pixels already decoded (a clipboard's picture) give what the file gives,
/// with transparency on white paper as for files.
#[test]
fn decoded_pixels_give_the_same_payload_as_their_file() {
    for name in ["clean-spse", "clean-migration", "browser-dark"] {
        let bytes = picture(name);
        let rgba = image::load_from_memory(&bytes).unwrap().into_rgba8();
        assert_eq!(
            find_payload_in_pixels(rgba.width(), rgba.height(), rgba.as_raw()).unwrap(),
            find_payload(&bytes).unwrap(),
            "{name}"
        );
    }
    // Dark modules on a transparent ground (hidden colour black).
    let grey = image::load_from_memory(&picture("clean-spse"))
        .unwrap()
        .into_luma8();
    let mut transparent = Vec::with_capacity(grey.len() * 4);
    for &level in grey.as_raw() {
        transparent.extend_from_slice(&[0, 0, 0, 255 - level]);
    }
    assert_eq!(
        find_payload_in_pixels(grey.width(), grey.height(), &transparent).unwrap(),
        Payload::parse(corpus::SPSE).unwrap()
    );
}

#[test]
fn decoded_pixels_of_the_wrong_size_are_refused() {
    assert!(matches!(
        find_payload_in_pixels(2, 2, &[255; 15]),
        Err(Error::Unreadable)
    ));
    assert!(matches!(
        find_payload_in_pixels(0, 0, &[]),
        Err(Error::Unreadable)
    ));
    let side = (MAX_PIXELS as f64).sqrt() as u32 + 1;
    assert!(matches!(
        find_payload_in_pixels(side, side, &[]),
        Err(Error::TooManyPixels { .. })
    ));
    assert!(matches!(
        find_payload_in_pixels(64, 64, &[255; 64 * 64 * 4]),
        Err(Error::NotFound)
    ));
}
