//! A picture's bytes to grey levels, refusing what is too large before any
//! pixel is decoded: a few kilobytes of PNG can claim a 20000 × 20000 image.

use std::io::Cursor;

use image::{GrayImage, ImageError, ImageFormat, ImageReader, Limits};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::error::Error;
use crate::limits::{MAX_BYTES, MAX_PIXELS};

/// Memory the image decoder may allocate: 64 MP of 16-bit RGBA, with the
/// 8-bit conversion beside it. Checked by the decoder as it goes, so a file
/// that lies about its size in a later chunk is stopped too.
const MAX_ALLOC: u64 = MAX_PIXELS * 8 + MAX_PIXELS * 4;

/// The picture as grey levels, the only thing a QR search needs.
pub(crate) fn luma(bytes: &[u8]) -> Result<GrayImage, Error> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::TooManyBytes);
    }
    let format = image::guess_format(bytes).map_err(|_| Error::Unreadable)?;
    let name = match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Gif => "GIF",
        _ => return Err(Error::Unreadable),
    };
    let damaged = Error::Damaged { format: name };
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    // The header alone: no pixel is decoded, nothing sized by it is allocated.
    let (width, height) = reader().into_dimensions().map_err(|_| damaged.clone())?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(damaged);
    }
    if format == ImageFormat::Jpeg
        && let Some(grey) = jpeg_luma(bytes, width, height)
    {
        return Ok(grey);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = reader();
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => Error::TooManyPixels { width, height },
        _ => damaged,
    })?;
    if !picture.color().has_alpha() {
        return Ok(picture.into_luma8());
    }
    let rgba = picture.into_rgba8();
    luma_of_rgba(rgba.width(), rgba.height(), rgba.as_raw())
}

/// Grey levels of decoded RGBA pixels (a picture with alpha, or a
/// clipboard's picture), refusing more than [`MAX_PIXELS`] and a buffer that
/// is not `width` x `height` x 4 bytes.
pub(crate) fn luma_of_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<GrayImage, Error> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(Error::TooManyPixels { width, height });
    }
    if pixels == 0 || rgba.len() as u64 != pixels * 4 {
        return Err(Error::Unreadable);
    }
    // QR codes exported for the web are often dark modules on a transparent
    // ground, whose hidden colour is usually black: show them on white paper.
    let grey = rgba
        .chunks_exact(4)
        .map(|p| {
            let [r, g, b, a] = [p[0], p[1], p[2], p[3]].map(u32::from);
            // Rec. 709 weights in 1/256ths, as `image`'s own conversion.
            let luma = (54 * r + 183 * g + 19 * b) >> 8;
            ((luma * a + 255 * (255 - a)) / 255) as u8
        })
        .collect();
    GrayImage::from_raw(width, height, grey).ok_or(Error::Unreadable)
}

/// A JPEG decoded straight to grey levels by zune-jpeg (the decoder `image`
/// itself uses, as leniently): the colour planes are never converted to RGB,
/// which halves the time of a phone photo, the slowest thing to decode. `None`
/// when zune-jpeg cannot give grey levels; the general path then decides.
fn jpeg_luma(bytes: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(width as usize)
        .set_max_height(height as usize)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let grey = decoder.decode().ok()?;
    let (w, h) = decoder.dimensions()?;
    if decoder.output_colorspace() != Some(ColorSpace::Luma) {
        return None;
    }
    GrayImage::from_raw(u32::try_from(w).ok()?, u32::try_from(h).ok()?, grey)
}
