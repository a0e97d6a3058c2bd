//! How much of a picture is read at all: the bounds the loader enforces and
//! its errors name.

/// Largest picture accepted, in bytes. A 12-megapixel phone photo is 3 to
/// 8 MB as JPEG and a 4K screenshot under 10 MB as PNG, so 40 MB is room for
/// anything real while bounding what a stray file costs to read.
pub const MAX_BYTES: usize = 40_000_000;

/// Most pixels accepted: 64 megapixels, above any phone camera's default
/// photo (12 to 50 MP) and bounding the decoded picture to 256 MB of RGBA.
pub const MAX_PIXELS: u64 = 64_000_000;
