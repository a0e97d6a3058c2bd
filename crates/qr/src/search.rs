//! Where the QR codes are, in grey levels of any size and quality.
//!
//! A picture is searched at most [`SEARCH_SIDE`] pixels a side: a larger one
//! (a phone photo) is first shrunk by a whole factor, which also evens out
//! sensor noise. Each searched picture climbs a short ladder, stopping at the
//! first rung that finds a code: as it is; contrast-stretched (low contrast,
//! a photo of a dim screen); stretched and halved (heavy noise or blur);
//! inverted (dark mode: light modules on a dark ground); inverted and halved.
//! When a shrunk photo gives nothing, the few busiest regions of it (a QR code
//! is a dense patch of sharp edges) are searched again at full resolution,
//! for codes too small to survive the shrinking.
//!
//! The work is bounded twice: by the fixed ladder and number of regions, and
//! by a time budget checked between rungs, so a picture full of near-misses
//! still answers within [`BUDGET`] plus one rung.

use std::borrow::Cow;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use image::GrayImage;
use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, MultiUseMultiFormatReader};
use zeroize::Zeroizing;

/// Longest side searched in one pass. A 4K screenshot's 3840 px is shrunk to
/// 1920, a 12-megapixel photo to 2000 × 1500; a full-HD screenshot is
/// searched as is, so a 2-pixel-a-module code on it survives.
const SEARCH_SIDE: u32 = 2600;

/// Time after which no further rung or region is tried, counted from the
/// start of decoding the picture. One rung on a [`SEARCH_SIDE`] picture takes
/// about 100 ms, and decoding the largest picture accepted up to 1.3 s (a
/// 64-megapixel progressive JPEG), so a picture is done within 2 s.
const BUDGET: Duration = Duration::from_millis(1200);

/// Regions of a shrunk photo searched again at full resolution.
const MAX_REGIONS: usize = 3;

/// Side of the blocks whose edges are counted to find busy regions.
const BLOCK: u32 = 8;

/// A step in grey level that counts as an edge: well above sensor noise and
/// JPEG ringing, well below a printed module's contrast.
const EDGE: u8 = 48;

/// Smallest side worth halving: a 21-module code at 2 pixels a module.
const MIN_HALVED_SIDE: u32 = 84;

/// One code found: its text and where it is, for a stable order.
pub(crate) struct Hit {
    /// The decoded text; it may hold a secret, so it is wiped on drop.
    pub(crate) text: Zeroizing<String>,
    /// Centre of the finder patterns, in the original picture's pixels.
    pub(crate) x: f32,
    /// See `x`.
    pub(crate) y: f32,
    /// Distance between two finder patterns: about the code's size.
    pub(crate) size: f32,
}

/// How a searched picture's pixels map to the original's.
#[derive(Clone, Copy)]
struct Frame {
    scale: f32,
    x: f32,
    y: f32,
}

impl Frame {
    /// This frame for a picture `factor` times smaller still.
    fn shrunk(self, factor: u32) -> Frame {
        Frame {
            scale: self.scale * factor as f32,
            ..self
        }
    }
}

/// Every code in the picture, found within the time budget from `started`.
pub(crate) fn search(luma: &GrayImage, started: Instant) -> Vec<Hit> {
    let deadline = started + BUDGET;
    let factor = luma.width().max(luma.height()).div_ceil(SEARCH_SIDE);
    let whole = Frame {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };
    if factor <= 1 {
        return ladder(luma, whole, deadline);
    }
    let small = shrink(luma, factor);
    let hits = ladder(&small, whole.shrunk(factor), deadline);
    if !hits.is_empty() {
        return hits;
    }
    for (x0, y0, x1, y1) in busy_regions(&small).into_iter().take(MAX_REGIONS) {
        if Instant::now() >= deadline {
            break;
        }
        let (x0, y0) = (x0 * factor, y0 * factor);
        let x1 = (x1 * factor).min(luma.width());
        let y1 = (y1 * factor).min(luma.height());
        let crop = image::imageops::crop_imm(luma, x0, y0, x1 - x0, y1 - y0).to_image();
        let crop_factor = crop.width().max(crop.height()).div_ceil(SEARCH_SIDE);
        if crop_factor >= factor {
            // No sharper than the shrunk picture already searched.
            continue;
        }
        let frame = Frame {
            scale: 1.0,
            x: x0 as f32,
            y: y0 as f32,
        };
        let hits = if crop_factor > 1 {
            ladder(
                &shrink(&crop, crop_factor),
                frame.shrunk(crop_factor),
                deadline,
            )
        } else {
            ladder(&crop, frame, deadline)
        };
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// The rungs after the first, in order.
#[derive(Clone, Copy)]
enum Rung {
    Stretched,
    Halved,
    Inverted,
    InvertedHalved,
}

/// Searches `picture` rung by rung until one finds a code.
fn ladder(picture: &GrayImage, frame: Frame, deadline: Instant) -> Vec<Hit> {
    let hits = scan(picture, frame);
    if !hits.is_empty() {
        return hits;
    }
    let Some(stretched) = stretch(picture) else {
        // One flat grey level: nothing to find.
        return hits;
    };
    let halvable = picture.width().min(picture.height()) >= MIN_HALVED_SIDE;
    let mut inverted = None;
    for rung in [
        Rung::Stretched,
        Rung::Halved,
        Rung::Inverted,
        Rung::InvertedHalved,
    ] {
        if Instant::now() >= deadline {
            break;
        }
        let hits = match rung {
            Rung::Stretched => match &stretched {
                // Already full range: the first pass saw the same picture.
                Cow::Borrowed(_) => continue,
                Cow::Owned(owned) => scan(owned, frame),
            },
            Rung::Halved | Rung::InvertedHalved if !halvable => continue,
            Rung::Halved => scan(&shrink(&stretched, 2), frame.shrunk(2)),
            Rung::Inverted => scan(inverted.get_or_insert_with(|| invert(&stretched)), frame),
            Rung::InvertedHalved => {
                let inverted = inverted.get_or_insert_with(|| invert(&stretched));
                scan(&shrink(inverted, 2), frame.shrunk(2))
            }
        };
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// One pass of ZXing's QR reader (rxing) over the picture: its hybrid
/// binarizer thresholds each 8×8 block against its neighbourhood, and the
/// multiple-code reader looks again around each code it finds.
fn scan(picture: &GrayImage, frame: Frame) -> Vec<Hit> {
    let Ok(source) =
        Luma8Source::new_with_slice(picture.as_raw(), picture.width(), picture.height())
    else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let Ok(results) = reader.decode_multiple_with_hints(&mut bitmap, &hints) else {
        return Vec::new();
    };
    results
        .iter()
        .map(|result| {
            let points = result.getPoints();
            let n = points.len().max(1) as f32;
            let x = points.iter().map(|p| p.x).sum::<f32>() / n;
            let y = points.iter().map(|p| p.y).sum::<f32>() / n;
            let size = match points {
                [a, b, ..] => ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt(),
                _ => 0.0,
            };
            Hit {
                text: Zeroizing::new(result.getText().to_owned()),
                x: frame.x + x * frame.scale,
                y: frame.y + y * frame.scale,
                size: size * frame.scale,
            }
        })
        .collect()
}

/// The picture `factor` times smaller, each pixel the mean of its block.
fn shrink(picture: &GrayImage, factor: u32) -> GrayImage {
    let (width, height) = (picture.width() / factor, picture.height() / factor);
    let f = factor as usize;
    let stride = picture.width() as usize;
    let raw = picture.as_raw();
    let mut sums = vec![0u32; width as usize];
    let mut out = Vec::with_capacity(width as usize * height as usize);
    for row in 0..height as usize {
        sums.fill(0);
        for line in raw.chunks_exact(stride).skip(row * f).take(f) {
            for (sum, block) in sums.iter_mut().zip(line.chunks_exact(f)) {
                *sum += block.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        let area = (f * f) as u32;
        out.extend(sums.iter().map(|&s| (s / area) as u8));
    }
    GrayImage::from_raw(width, height, out).unwrap_or_default()
}

/// The picture with its 1st and 99th percentile grey levels moved to black
/// and white; borrowed as is when it already spans most of the range, and
/// `None` when it is one flat level.
fn stretch(picture: &GrayImage) -> Option<Cow<'_, GrayImage>> {
    let mut histogram = [0usize; 256];
    for &v in picture.as_raw() {
        histogram[usize::from(v)] += 1;
    }
    let cut = picture.as_raw().len() / 100;
    let percentile = |levels: &mut dyn Iterator<Item = usize>| {
        let mut seen = 0;
        for level in levels {
            seen += histogram[level];
            if seen > cut {
                return level;
            }
        }
        0
    };
    let low = percentile(&mut (0..256));
    let high = percentile(&mut (0..256).rev());
    if high <= low {
        return None;
    }
    if high - low >= 192 {
        return Some(Cow::Borrowed(picture));
    }
    let span = (high - low) as u32;
    let table: Vec<u8> = (0..256u32)
        .map(|v| (v.saturating_sub(low as u32) * 255 / span).min(255) as u8)
        .collect();
    let mut out = picture.clone();
    for v in out.iter_mut() {
        *v = table[usize::from(*v)];
    }
    Some(Cow::Owned(out))
}

/// The picture in negative, for light-on-dark codes.
fn invert(picture: &GrayImage) -> GrayImage {
    let mut out = picture.clone();
    for v in out.iter_mut() {
        *v = 255 - *v;
    }
    out
}

/// The regions of a shrunk photo dense in sharp edges, busiest first, as
/// `(x0, y0, x1, y1)` with a margin for the code's quiet zone.
///
/// Each [`BLOCK`]-pixel block counts its steps of at least [`EDGE`] grey
/// levels, across and down; blocks where at least one pixel in four is such
/// an edge are joined with their busy neighbours, and each group's bounding
/// box, widened by half its size, is a region.
fn busy_regions(picture: &GrayImage) -> Vec<(u32, u32, u32, u32)> {
    let (width, height) = (picture.width(), picture.height());
    let (bw, bh) = ((width / BLOCK) as usize, (height / BLOCK) as usize);
    if bw == 0 || bh == 0 {
        return Vec::new();
    }
    let mut score = vec![0u32; bw * bh];
    let stride = width as usize;
    let raw = picture.as_raw();
    for y in 0..bh * BLOCK as usize - 1 {
        let row = &raw[y * stride..(y + 1) * stride];
        let below = &raw[(y + 1) * stride..(y + 2) * stride];
        let blocks = &mut score[(y / BLOCK as usize) * bw..][..bw];
        for x in 0..bw * BLOCK as usize - 1 {
            let here = row[x];
            let edges = u32::from(here.abs_diff(row[x + 1]) >= EDGE)
                + u32::from(here.abs_diff(below[x]) >= EDGE);
            blocks[x / BLOCK as usize] += edges;
        }
    }
    let busy_level = BLOCK * BLOCK * 2 / 4;
    let mut seen = vec![false; bw * bh];
    let mut groups = Vec::new();
    for start in 0..bw * bh {
        if seen[start] || score[start] < busy_level {
            continue;
        }
        seen[start] = true;
        let (mut x0, mut y0, mut x1, mut y1) = (bw, bh, 0, 0);
        let mut mass = 0u64;
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            let (bx, by) = (i % bw, i / bw);
            (x0, y0, x1, y1) = (x0.min(bx), y0.min(by), x1.max(bx), y1.max(by));
            mass += u64::from(score[i]);
            let neighbours = [
                (bx > 0).then(|| i - 1),
                (bx + 1 < bw).then(|| i + 1),
                (by > 0).then(|| i - bw),
                (by + 1 < bh).then(|| i + bw),
            ];
            for j in neighbours.into_iter().flatten() {
                if !seen[j] && score[j] >= busy_level {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        groups.push((mass, x0, y0, x1 + 1, y1 + 1));
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.0));
    groups
        .into_iter()
        .map(|(_, x0, y0, x1, y1)| {
            let margin = (x1 - x0).max(y1 - y0) / 2 + 1;
            let block = BLOCK as usize;
            let clamp = |v: usize, max: u32| (v * block).min(max as usize) as u32;
            (
                clamp(x0.saturating_sub(margin), width),
                clamp(y0.saturating_sub(margin), height),
                clamp(x1 + margin, width),
                clamp(y1 + margin, height),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_averages_blocks_and_drops_the_ragged_edge() {
        let picture =
            GrayImage::from_raw(5, 2, vec![0, 100, 200, 0, 9, 50, 150, 250, 50, 9]).unwrap();
        let small = shrink(&picture, 2);
        assert_eq!((small.width(), small.height()), (2, 1));
        assert_eq!(small.as_raw(), &[75, 125]);
    }

    #[test]
    fn stretching_spans_the_range_and_skips_what_needs_none() {
        let flat = GrayImage::from_pixel(20, 20, image::Luma([128]));
        assert!(stretch(&flat).is_none());
        let dim = GrayImage::from_fn(20, 20, |x, _| image::Luma([if x < 10 { 110 } else { 150 }]));
        let stretched = stretch(&dim).unwrap();
        assert!(matches!(stretched, Cow::Owned(_)));
        assert_eq!(stretched.get_pixel(0, 0).0, [0]);
        assert_eq!(stretched.get_pixel(19, 0).0, [255]);
        let full = GrayImage::from_fn(20, 20, |x, _| image::Luma([if x < 10 { 10 } else { 240 }]));
        assert!(matches!(stretch(&full), Some(Cow::Borrowed(_))));
    }

    #[test]
    fn the_busy_region_is_the_checkerboard() {
        // A 64-pixel checkerboard of 2-pixel squares at (300, 100) on a
        // gently shaded ground: the one region, widened by half its size.
        let picture = GrayImage::from_fn(640, 480, |x, y| {
            let inside = (300..364).contains(&x) && (100..164).contains(&y);
            let level = if inside && (x / 2 + y / 2) % 2 == 0 {
                20
            } else {
                200
            };
            image::Luma([level - (x / 64) as u8])
        });
        let regions = busy_regions(&picture);
        assert_eq!(regions.len(), 1, "{regions:?}");
        let (x0, y0, x1, y1) = regions[0];
        assert!(
            x0 <= 300 && y0 <= 100 && x1 >= 364 && y1 >= 164,
            "{regions:?}"
        );
        assert!(x1 - x0 <= 160 && y1 - y0 <= 160, "{regions:?}");
    }
}
