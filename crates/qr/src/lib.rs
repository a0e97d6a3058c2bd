//! QR codes from pictures: the enrollment QR read from a screenshot or a
//! photo of the Aktivasi TOTP page, for a user or a helpdesk who has the page
//! on a screen rather than a camera pointed at it.
//!
//! - [`decode`] gives every QR code's text in a picture's bytes (PNG, JPEG,
//!   WebP, BMP, GIF's first frame): tiny or huge, turned, tilted, blurred,
//!   noisy, dim, light-on-dark, in a busy photo or a whole browser window.
//! - [`find_payload`] picks the authenticator payload among them, as the
//!   CLI's `--image` and the desktop app's "add from an image" need, and
//!   refuses with a reason when there is none or more than one.
//!
//! Both are pure (bytes in, no I/O) and bounded: pictures over [`MAX_BYTES`]
//! or [`MAX_PIXELS`] are refused before their pixels are decoded, and the
//! search stops within a fixed number of attempts and a time budget, so a
//! picture is answered within 2 s on a 2-core machine. Decoded texts are
//! wiped on drop (they hold TOTP secrets; the decoder's own short-lived
//! working copies are beyond this crate's reach); [`Error`] texts never
//! hold one.
//!
//! The decoder is rxing (ZXing's QR reader) behind this crate's own
//! preprocessing; `docs/benchmarks.md` has the measurement that chose it
//! over rqrr, and the comparison with zbarimg.

mod error;
mod limits;
mod load;
mod search;

use std::time::Instant;

use spse_otp::Payload;
use zeroize::Zeroizing;

pub use error::{Content, Error};
pub use limits::{MAX_BYTES, MAX_PIXELS};

/// Every distinct QR code text in the picture, in reading order (top to
/// bottom in bands of about a code's height, then left to right), so the same
/// picture always gives the same list. Never empty: no code is
/// [`Error::NotFound`].
pub fn decode(bytes: &[u8]) -> Result<Vec<Zeroizing<String>>, Error> {
    let started = Instant::now();
    let luma = load::luma(bytes)?;
    texts_in(&luma, started)
}

/// [`decode`] for pixels already decoded, as a clipboard gives them: `rgba`
/// holds `width` x `height` pixels of 4 bytes each (red, green, blue, alpha),
/// row by row. Transparent pixels count as white paper, as in [`decode`].
/// Pictures over [`MAX_PIXELS`] are [`Error::TooManyPixels`]; a buffer of
/// the wrong length or an empty picture is [`Error::Unreadable`].
pub fn decode_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<Zeroizing<String>>, Error> {
    let started = Instant::now();
    let luma = load::luma_of_rgba(width, height, rgba)?;
    texts_in(&luma, started)
}

/// Every distinct text the search finds, in reading order.
fn texts_in(luma: &image::GrayImage, started: Instant) -> Result<Vec<Zeroizing<String>>, Error> {
    let mut hits = search::search(luma, started);
    let band = hits.iter().map(|h| h.size).fold(1.0, f32::max);
    hits.sort_by(|a, b| {
        (a.y / band)
            .floor()
            .total_cmp(&(b.y / band).floor())
            .then(a.x.total_cmp(&b.x))
    });
    let mut texts: Vec<Zeroizing<String>> = Vec::with_capacity(hits.len());
    for hit in hits {
        if !texts.iter().any(|t| **t == *hit.text) {
            texts.push(hit.text);
        }
    }
    if texts.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(texts)
}

/// The one authenticator payload ([`Payload::parse`]) in the picture.
///
/// Other codes beside it (a link to the app store, say) are ignored, and the
/// same payload twice is one. Two different ones are [`Error::Ambiguous`]
/// rather than a guess, a code that is meant as one but does not parse is
/// [`Error::Payload`] with the field at fault, and codes that are all
/// something else are [`Error::NotAuthenticator`] saying what they hold.
pub fn find_payload(bytes: &[u8]) -> Result<Payload, Error> {
    pick_payload(&decode(bytes)?)
}

/// [`find_payload`] for pixels already decoded ([`decode_rgba`]): the one
/// authenticator payload in a clipboard's picture, say.
pub fn find_payload_in_pixels(width: u32, height: u32, rgba: &[u8]) -> Result<Payload, Error> {
    pick_payload(&decode_rgba(width, height, rgba)?)
}

/// The one authenticator payload among a picture's texts (see
/// [`find_payload`]).
fn pick_payload(texts: &[Zeroizing<String>]) -> Result<Payload, Error> {
    let mut payloads: Vec<Payload> = Vec::new();
    let mut invalid: Vec<spse_otp::Error> = Vec::new();
    let mut others = Vec::new();
    for text in texts {
        match Payload::parse(text) {
            Ok(payload) => {
                if !payloads.contains(&payload) {
                    payloads.push(payload);
                }
            }
            Err(error) if meant_as_payload(text) => invalid.push(error),
            Err(_) => others.push(Content::of(text)),
        }
    }
    let count = payloads.len() + invalid.len();
    if count > 1 {
        return Err(Error::Ambiguous { count });
    }
    if let Some(payload) = payloads.pop() {
        return Ok(payload);
    }
    match invalid.pop() {
        Some(error) => Err(Error::Payload(error)),
        None => Err(Error::NotAuthenticator { found: others }),
    }
}

/// Whether a text that failed to parse was meant as a payload: an
/// `otpauth://` or `otpauth-migration://` URI, or JSON naming `otpauth`. Its
/// parse error then says what to fix; any other text is just another code.
fn meant_as_payload(text: &str) -> bool {
    let text = text.trim_start();
    text.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("otpauth"))
        || (text.starts_with('{') && text.contains("\"otpauth\""))
}
