//! A few bytes claiming a huge picture are refused from the header alone,
//! before anything sized by it is allocated. One test in this file: the
//! allocation count is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::alloc::System;

use spse_qr::{Error, MAX_PIXELS, decode};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// CRC-32 (ISO-HDLC), as PNG chunks need.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A PNG whose header claims `width` × `height` 8-bit RGBA and whose data is
/// a few bytes of nothing.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A GIF whose screen and only frame claim `width` × `height`.
fn gif_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&width.to_le_bytes());
    gif.extend_from_slice(&height.to_le_bytes());
    gif.extend_from_slice(&[0, 0, 0]);
    gif.push(b',');
    gif.extend_from_slice(&[0, 0, 0, 0]);
    gif.extend_from_slice(&width.to_le_bytes());
    gif.extend_from_slice(&height.to_le_bytes());
    gif.extend_from_slice(&[0, 2, 2, 0x4c, 0x01, 0, b';']);
    gif
}

#[test]
fn huge_claims_are_refused_from_the_header_without_allocating() {
    let cases = [
        (png_claiming(20000, 20000), 20000, 20000),
        (png_claiming(64001, 1000), 64001, 1000),
        (gif_claiming(65535, 65535), 65535, 65535),
    ];
    for (bytes, width, height) in cases {
        assert!(u64::from(width) * u64::from(height) > MAX_PIXELS);
        let region = Region::new(GLOBAL);
        let error = decode(&bytes).unwrap_err();
        let allocated = region.change().bytes_allocated;
        assert_eq!(error, Error::TooManyPixels { width, height });
        assert_eq!(error.code(), "image_too_large");
        // The header readers' own buffers, nothing near a pixel buffer.
        assert!(allocated < 256 * 1024, "{allocated} bytes allocated");
    }
    assert_eq!(
        decode(&png_claiming(20000, 20000)).unwrap_err().to_string(),
        "image: too large (20000 x 20000 pixels, over 64 megapixels)"
    );
}
