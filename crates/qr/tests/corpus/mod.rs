//! The picture corpus: real enrollment payloads rendered as QR codes by the
//! `qrcode` crate, then put through what screenshots and phone photos do to
//! them (scale, rotation, tilt, blur, noise, JPEG, low contrast, dark mode,
//! busy backgrounds, a whole browser window around them), in every format.
//!
//! Generated at test and benchmark time, never committed: the tests, the
//! `qr_corpus` example (the benchmark's input) and the criterion bench all
//! include this one file, so they measure the same pictures.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, RgbImage};
use qrcode::{Color, QrCode};

/// An SPSE "Aktivasi TOTP" QR as the sandbox makes it: a 160-bit secret and
/// a 24-character single-use token (version 10, 57 modules).
pub(crate) const SPSE: &str = "otpauth://totp/LPSE%20LKPP:PPK2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                        &issuer=LPSE%20LKPP&spse=https%3A%2F%2Flatihan-lpse.lkpp.go.id%2Fspse45totp\
                        &enroll=Qm9kYS10b2tlbi1mb3ItcXIx";
/// The JSON enrollment form.
pub(crate) const JSON: &str = "{\"otpauth\": \"otpauth://totp/LPSE%20Kudus:ppk.kudus?secret=\
                        JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=LPSE%20Kudus\", \
                        \"server\": \"https://lpse.kuduskab.go.id\", \"enroll\": \"tok-5f2a91\"}";
/// A plain `otpauth://` URI from any service.
pub(crate) const PLAIN: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
/// A Google Authenticator export of one account.
pub(crate) const MIGRATION: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhACGAEgAA%3D%3D";

/// A web link, as a page's "download the app" QR.
pub(crate) const LINK: &str = "https://latihan-lpse.lkpp.go.id/eproc4/publik/bantuan";
/// Plain text.
pub(crate) const TEXT: &str = "Pindai kode QR ini dengan SPSE Authenticator";
/// An otpauth URI whose secret is not Base32, spelling a canary that no
/// error text may repeat.
pub(crate) const INVALID: &str = "otpauth://totp/LPSE:PPK2?secret=CANARY1CANARY8CANARY&issuer=LPSE";

/// One picture and the exact texts a decoder must find in it.
pub(crate) struct Case {
    /// A short file-name-safe description, e.g. `rotate-30`.
    pub(crate) name: String,
    /// The encoded picture.
    pub(crate) bytes: Vec<u8>,
    /// The file extension of `bytes`' format.
    pub(crate) ext: &'static str,
    /// Every distinct text in the picture.
    pub(crate) expected: Vec<&'static str>,
}

/// Builds the list of cases, encoding each picture as it is added.
#[derive(Default)]
struct Cases(Vec<Case>);

impl Cases {
    fn add(&mut self, name: &str, picture: Picture, expected: Vec<&'static str>) {
        let (bytes, ext) = picture.encode();
        self.0.push(Case {
            name: name.to_owned(),
            bytes,
            ext,
            expected,
        });
    }
}

/// The phone photos, apart because they take a few seconds to render: two
/// 12-megapixel ones, with a big code and a small one, and a 24-megapixel
/// one whose code is too small to survive shrinking (found in a busy region
/// searched again at full resolution).
pub(crate) fn huge_cases() -> Vec<Case> {
    let mut cases = Cases::default();
    cases.add(
        "photo-12mp-big",
        Scene::photo(SPSE, 4000, 3000, 1800.0, -12.0, 0.06)
            .blur(2.0)
            .noise(8.0)
            .jpeg(85),
        vec![SPSE],
    );
    cases.add(
        "photo-12mp-small",
        Scene::photo(JSON, 4000, 3000, 420.0, 3.0, 0.0)
            .blur(1.0)
            .noise(6.0)
            .jpeg(85),
        vec![JSON],
    );
    cases.add(
        "photo-24mp-tiny",
        Scene::photo(SPSE, 6000, 4000, 200.0, 0.0, 0.0)
            .noise(6.0)
            .jpeg(90),
        vec![SPSE],
    );
    cases.0
}

/// The largest picture accepted (64 megapixels), busy all over and without a
/// code: the slowest answer there is (every rung, every busy region), for
/// the time bound.
pub(crate) fn stress_cases() -> Vec<Case> {
    let mut cases = Cases::default();
    cases.add(
        "stress-64mp-busy",
        Scene::new(8000, 8000, Ground::Busy(0xbad), Vec::new()).jpeg(80),
        Vec::new(),
    );
    cases.0
}

/// Every other case of the corpus, in a fixed order.
pub(crate) fn cases() -> Vec<Case> {
    let mut cases = Cases::default();
    let mut add = |name: &str, picture: Picture, expected: Vec<&'static str>| {
        cases.add(name, picture, expected);
    };

    // Each payload form, clean, as the sandbox page shows it (4 px a module).
    for (name, text) in [
        ("spse", SPSE),
        ("json", JSON),
        ("plain", PLAIN),
        ("migration", MIGRATION),
    ] {
        add(
            &format!("clean-{name}"),
            Scene::plain(text, 4.0).png(),
            vec![text],
        );
    }
    // Every format.
    add("format-jpeg", Scene::plain(SPSE, 4.0).jpeg(90), vec![SPSE]);
    add(
        "format-webp",
        Scene::plain(SPSE, 4.0).with(Format::WebP),
        vec![SPSE],
    );
    add(
        "format-bmp",
        Scene::plain(SPSE, 4.0).with(Format::Bmp),
        vec![SPSE],
    );
    add(
        "format-gif",
        Scene::plain(SPSE, 4.0).with(Format::Gif),
        vec![SPSE],
    );
    // Tiny: 2 px a module, and 2 px with a rotation's anti-aliasing.
    add("tiny-2px", Scene::plain(SPSE, 2.0).png(), vec![SPSE]);
    add(
        "tiny-2px-plain",
        Scene::plain(PLAIN, 2.0).png(),
        vec![PLAIN],
    );
    add(
        "tiny-2.5px-rotate-7",
        Scene::placed(SPSE, 2.5, 7.0, 0.0).png(),
        vec![SPSE],
    );
    // Any rotation.
    for angle in [10.0, 30.0, 45.0, 90.0, 135.0, 180.0, 250.0, 333.0] {
        add(
            &format!("rotate-{angle}"),
            Scene::placed(SPSE, 4.0, angle, 0.0).png(),
            vec![SPSE],
        );
    }
    // A mild perspective tilt.
    add(
        "tilt-left",
        Scene::placed(SPSE, 5.0, 0.0, 0.12).png(),
        vec![SPSE],
    );
    add(
        "tilt-rotate-20",
        Scene::placed(JSON, 5.0, 20.0, -0.10).png(),
        vec![JSON],
    );
    // Blur, noise, JPEG artefacts, low contrast.
    add(
        "blur-1.5",
        Scene::plain(SPSE, 6.0).blur(1.5).png(),
        vec![SPSE],
    );
    add(
        "blur-2.5",
        Scene::plain(SPSE, 8.0).blur(2.5).png(),
        vec![SPSE],
    );
    add(
        "noise-30",
        Scene::plain(SPSE, 4.0).noise(30.0).png(),
        vec![SPSE],
    );
    add(
        "noise-50-blur",
        Scene::plain(SPSE, 5.0).blur(1.0).noise(50.0).png(),
        vec![SPSE],
    );
    add("jpeg-q20", Scene::plain(SPSE, 4.0).jpeg(20), vec![SPSE]);
    add("jpeg-q10-3px", Scene::plain(SPSE, 3.0).jpeg(10), vec![SPSE]);
    add(
        "low-contrast",
        Scene::plain(SPSE, 4.0).colors([110; 3], [150; 3]).png(),
        vec![SPSE],
    );
    add(
        "low-contrast-noise",
        Scene::plain(SPSE, 5.0)
            .colors([90; 3], [140; 3])
            .noise(12.0)
            .png(),
        vec![SPSE],
    );
    add(
        "uneven-light",
        Scene::placed(SPSE, 5.0, 5.0, 0.0).shade().png(),
        vec![SPSE],
    );
    // Dark mode: light modules on a dark ground.
    add(
        "inverted",
        Scene::plain(SPSE, 4.0).colors([235; 3], [24; 3]).png(),
        vec![SPSE],
    );
    add(
        "inverted-rotate-20-jpeg",
        Scene::placed(PLAIN, 4.0, 20.0, 0.0)
            .colors([220; 3], [30; 3])
            .jpeg(60),
        vec![PLAIN],
    );
    // In bigger pictures.
    add(
        "busy-background",
        Scene::busy(SPSE, 1200, 900, 4.0, 12.0).png(),
        vec![SPSE],
    );
    add(
        "busy-background-jpeg",
        Scene::busy(JSON, 1600, 1200, 5.0, -25.0).jpeg(75),
        vec![JSON],
    );
    add(
        "browser-1366",
        Scene::browser(SPSE, 1366, 768, false).png(),
        vec![SPSE],
    );
    add(
        "browser-1920-jpeg",
        Scene::browser(SPSE, 1920, 1080, false).jpeg(85),
        vec![SPSE],
    );
    add(
        "browser-dark",
        Scene::browser(SPSE, 1366, 768, true).png(),
        vec![SPSE],
    );
    add(
        "browser-webp",
        Scene::browser(MIGRATION, 1280, 800, false).with(Format::WebP),
        vec![MIGRATION],
    );
    add(
        "photo-of-screen",
        Scene::photo(SPSE, 1600, 1200, 600.0, 8.0, 0.08)
            .blur(1.2)
            .noise(10.0)
            .jpeg(70),
        vec![SPSE],
    );
    // More than one code.
    add(
        "two-codes",
        Scene::two(SPSE, PLAIN).png(),
        vec![SPSE, PLAIN],
    );
    add(
        "two-codes-jpeg",
        Scene::two(JSON, MIGRATION).jpeg(80),
        vec![JSON, MIGRATION],
    );
    add("duplicate-codes", Scene::two(SPSE, SPSE).png(), vec![SPSE]);
    // Dark modules on a transparent ground, as QR codes exported for the web.
    add(
        "transparent-png",
        Scene::plain(SPSE, 4.0).with(Format::PngAlpha),
        vec![SPSE],
    );
    // Codes that are not authenticator codes, or a broken one.
    add("web-link", Scene::plain(LINK, 4.0).png(), vec![LINK]);
    add("text", Scene::plain(TEXT, 4.0).png(), vec![TEXT]);
    add(
        "link-and-text",
        Scene::two(LINK, TEXT).png(),
        vec![LINK, TEXT],
    );
    add(
        "invalid-payload",
        Scene::plain(INVALID, 4.0).png(),
        vec![INVALID],
    );
    cases.0
}

/// A picture before encoding: the pixels and the format to write.
pub(crate) struct Picture {
    image: RgbImage,
    format: Format,
}

#[derive(Clone, Copy)]
enum Format {
    Png,
    /// PNG with the light modules transparent (and black underneath).
    PngAlpha,
    Jpeg(u8),
    WebP,
    Bmp,
    Gif,
}

impl Picture {
    fn encode(self) -> (Vec<u8>, &'static str) {
        let mut out = Cursor::new(Vec::new());
        let ext = match self.format {
            Format::Png => {
                self.image.write_to(&mut out, ImageFormat::Png).unwrap();
                "png"
            }
            Format::PngAlpha => {
                let rgba =
                    image::RgbaImage::from_fn(self.image.width(), self.image.height(), |x, y| {
                        let level = self.image.get_pixel(x, y).0[0];
                        image::Rgba([0, 0, 0, 255 - level])
                    });
                rgba.write_to(&mut out, ImageFormat::Png).unwrap();
                "png"
            }
            Format::Jpeg(quality) => {
                JpegEncoder::new_with_quality(&mut out, quality)
                    .encode_image(&self.image)
                    .unwrap();
                "jpg"
            }
            Format::WebP => {
                self.image.write_to(&mut out, ImageFormat::WebP).unwrap();
                "webp"
            }
            Format::Bmp => {
                self.image.write_to(&mut out, ImageFormat::Bmp).unwrap();
                "bmp"
            }
            Format::Gif => {
                self.image.write_to(&mut out, ImageFormat::Gif).unwrap();
                "gif"
            }
        };
        (out.into_inner(), ext)
    }
}

/// One QR code drawn into a scene through a projective map.
struct Placement {
    dark: Vec<bool>,
    /// Modules a side, quiet zone included.
    side: f64,
    quiet: f64,
    modules: usize,
    /// Maps a picture pixel to code-plane coordinates in modules.
    to_code: [f64; 9],
    bbox: (u32, u32, u32, u32),
}

impl Placement {
    /// A code whose corners (quiet zone included) land on `corners`, clockwise
    /// from the top left.
    fn new(text: &str, corners: [(f64, f64); 4]) -> Placement {
        let code = QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let quiet = 4.0;
        let side = modules as f64 + 2.0 * quiet;
        let square = [(0.0, 0.0), (side, 0.0), (side, side), (0.0, side)];
        let to_code = invert(quad_map(square, corners));
        let xs = corners.map(|c| c.0);
        let ys = corners.map(|c| c.1);
        let lo = |v: [f64; 4]| v.iter().cloned().fold(f64::MAX, f64::min).max(0.0).floor() as u32;
        let hi = |v: [f64; 4]| v.iter().cloned().fold(f64::MIN, f64::max).max(0.0).ceil() as u32;
        Placement {
            dark,
            side,
            quiet,
            modules,
            to_code,
            bbox: (lo(xs), lo(ys), hi(xs) + 1, hi(ys) + 1),
        }
    }

    /// A square code, `px` pixels a module, centred on `center`, turned by
    /// `angle` degrees and tilted by `tilt` (a fraction of its side by which
    /// its right edge shrinks, as a page seen from its left).
    fn turned(text: &str, px: f64, center: (f64, f64), angle: f64, tilt: f64) -> Placement {
        let modules = QrCode::new(text.as_bytes()).unwrap().width() as f64 + 8.0;
        let half = modules * px / 2.0;
        let squeeze = half * tilt;
        let local = [
            (-half, -half),
            (half, -half + squeeze),
            (half, half - squeeze),
            (-half, half),
        ];
        let (sin, cos) = angle.to_radians().sin_cos();
        Placement::new(
            text,
            local.map(|(x, y)| (center.0 + x * cos - y * sin, center.1 + x * sin + y * cos)),
        )
    }

    /// How many of the pixel's 3×3 samples fall on the code, and how many
    /// of those on a dark module.
    fn coverage(&self, x: u32, y: u32) -> (u32, u32) {
        let (mut inside, mut dark) = (0, 0);
        let m = &self.to_code;
        let n = self.modules as f64;
        for sy in 0..3 {
            for sx in 0..3 {
                let px = f64::from(x) + (f64::from(sx) + 0.5) / 3.0;
                let py = f64::from(y) + (f64::from(sy) + 0.5) / 3.0;
                let w = m[6] * px + m[7] * py + m[8];
                let u = (m[0] * px + m[1] * py + m[2]) / w;
                let v = (m[3] * px + m[4] * py + m[5]) / w;
                if !(0.0..self.side).contains(&u) || !(0.0..self.side).contains(&v) {
                    continue;
                }
                inside += 1;
                let (cu, cv) = (u - self.quiet, v - self.quiet);
                if (0.0..n).contains(&cu) && (0.0..n).contains(&cv) {
                    dark += u32::from(self.dark[cv as usize * self.modules + cu as usize]);
                }
            }
        }
        (inside, dark)
    }
}

/// What lies behind the codes.
#[derive(Clone, Copy)]
enum Ground {
    White,
    /// Random shapes and texture, seeded.
    Busy(u64),
    /// A desk under a phone photo: a gradient with texture.
    Desk(u64),
    /// A browser window around the Aktivasi TOTP page, light or dark.
    Browser {
        dark: bool,
    },
}

/// A picture under construction: a ground, codes on it, then effects.
pub(crate) struct Scene {
    width: u32,
    height: u32,
    ground: Ground,
    codes: Vec<Placement>,
    dark: [u8; 3],
    light: [u8; 3],
    blur: f64,
    noise: f64,
    shade: bool,
}

impl Scene {
    fn new(width: u32, height: u32, ground: Ground, codes: Vec<Placement>) -> Scene {
        Scene {
            width,
            height,
            ground,
            codes,
            dark: [0; 3],
            light: [255; 3],
            blur: 0.0,
            noise: 0.0,
            shade: false,
        }
    }

    /// One upright code with a 4-module quiet zone and a small margin, aligned
    /// to the pixel grid when `px` is whole.
    fn plain(text: &str, px: f64) -> Scene {
        Scene::placed(text, px, 0.0, 0.0)
    }

    /// One code turned and tilted, with room around it.
    fn placed(text: &str, px: f64, angle: f64, tilt: f64) -> Scene {
        let modules = QrCode::new(text.as_bytes()).unwrap().width() as f64 + 8.0;
        let side = modules * px;
        let size = if angle == 0.0 {
            side + 2.0 * px
        } else {
            side * 1.45 + 8.0
        };
        let size = size.ceil() as u32;
        let center = (f64::from(size) / 2.0, f64::from(size) / 2.0);
        let center = if angle == 0.0 && px.fract() == 0.0 {
            // Keep module edges on pixel edges.
            let c = (f64::from(size) - side) / 2.0;
            let c = c.floor() + side / 2.0;
            (c, c)
        } else {
            center
        };
        Scene::new(
            size,
            size,
            Ground::White,
            vec![Placement::turned(text, px, center, angle, tilt)],
        )
    }

    fn busy(text: &str, width: u32, height: u32, px: f64, angle: f64) -> Scene {
        let center = (f64::from(width) * 0.62, f64::from(height) * 0.45);
        let code = Placement::turned(text, px, center, angle, 0.0);
        Scene::new(width, height, Ground::Busy(0x5eed), vec![code])
    }

    /// A phone photo: a code `side` pixels wide on a desk, turned and tilted.
    fn photo(text: &str, width: u32, height: u32, side: f64, angle: f64, tilt: f64) -> Scene {
        let modules = QrCode::new(text.as_bytes()).unwrap().width() as f64 + 8.0;
        let center = (f64::from(width) * 0.57, f64::from(height) * 0.48);
        let code = Placement::turned(text, side / modules, center, angle, tilt);
        let mut scene = Scene::new(width, height, Ground::Desk(7), vec![code]);
        scene.dark = [40, 38, 45];
        scene.light = [205, 200, 190];
        scene
    }

    /// The sandbox's Aktivasi TOTP page in a browser window: the QR is the
    /// page's 260-pixel SVG, 264 px here as a browser rounds it.
    fn browser(text: &str, width: u32, height: u32, dark: bool) -> Scene {
        let modules = QrCode::new(text.as_bytes()).unwrap().width() as f64 + 8.0;
        let px = (264.0 / modules).floor();
        let side = px * modules;
        let x = (f64::from(width) * 0.18).floor();
        let y = 230.0;
        let corners = [(x, y), (x + side, y), (x + side, y + side), (x, y + side)];
        let mut scene = Scene::new(
            width,
            height,
            Ground::Browser { dark },
            vec![Placement::new(text, corners)],
        );
        if dark {
            // A dark-mode page (or a dark-reader extension) inverts the code.
            scene.dark = [232, 234, 237];
            scene.light = [32, 33, 36];
        }
        scene
    }

    /// Two codes side by side, one slightly turned.
    fn two(first: &str, second: &str) -> Scene {
        let one = Placement::turned(first, 4.0, (190.0, 200.0), 0.0, 0.0);
        let two = Placement::turned(second, 4.0, (570.0, 210.0), 8.0, 0.0);
        Scene::new(780, 420, Ground::White, vec![one, two])
    }

    fn colors(mut self, dark: [u8; 3], light: [u8; 3]) -> Scene {
        self.dark = dark;
        self.light = light;
        self
    }

    fn blur(mut self, sigma: f64) -> Scene {
        self.blur = sigma;
        self
    }

    fn noise(mut self, amplitude: f64) -> Scene {
        self.noise = amplitude;
        self
    }

    /// Light falling off from one corner to the opposite, to a third.
    fn shade(mut self) -> Scene {
        self.shade = true;
        self
    }

    fn png(self) -> Picture {
        self.with(Format::Png)
    }

    fn jpeg(self, quality: u8) -> Picture {
        self.with(Format::Jpeg(quality))
    }

    fn with(self, format: Format) -> Picture {
        Picture {
            image: self.render(),
            format,
        }
    }

    fn render(&self) -> RgbImage {
        let (w, h) = (self.width, self.height);
        let mut image = RgbImage::from_fn(w, h, |x, y| image::Rgb(self.ground_at(x, y)));
        for code in &self.codes {
            let (x0, y0, x1, y1) = code.bbox;
            for y in y0..y1.min(h) {
                for x in x0..x1.min(w) {
                    let (inside, dark) = code.coverage(x, y);
                    if inside == 0 {
                        continue;
                    }
                    let pixel = image.get_pixel_mut(x, y);
                    let light = inside - dark;
                    for c in 0..3 {
                        let v = f64::from(pixel.0[c]) * f64::from(9 - inside)
                            + f64::from(self.dark[c]) * f64::from(dark)
                            + f64::from(self.light[c]) * f64::from(light);
                        pixel.0[c] = (v / 9.0).round() as u8;
                    }
                }
            }
        }
        if self.shade {
            for (x, y, pixel) in image.enumerate_pixels_mut() {
                let t = (f64::from(x) / f64::from(w) + f64::from(y) / f64::from(h)) / 2.0;
                let factor = 1.0 - 0.66 * t;
                pixel.0 = pixel.0.map(|v| (f64::from(v) * factor) as u8);
            }
        }
        if self.blur > 0.0 {
            blur(&mut image, self.blur);
        }
        if self.noise > 0.0 {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
            for pixel in image.pixels_mut() {
                let n = (rng.unit() + rng.unit() - 1.0) * self.noise;
                pixel.0 = pixel.0.map(|v| (f64::from(v) + n).clamp(0.0, 255.0) as u8);
            }
        }
        image
    }

    fn ground_at(&self, x: u32, y: u32) -> [u8; 3] {
        match self.ground {
            Ground::White => self.light,
            Ground::Busy(seed) => busy(seed, x, y),
            Ground::Desk(seed) => {
                let t = f64::from(x + y) / 9000.0;
                let grain = (hash(seed, x / 3, y / 3) % 24) as f64;
                let base = 95.0 + 60.0 * t + grain;
                [base as u8, (base * 0.85) as u8, (base * 0.7) as u8]
            }
            Ground::Browser { dark } => browser(dark, self.width, x, y),
        }
    }
}

/// Rectangles of random colours and sizes, and a fine texture.
fn busy(seed: u64, x: u32, y: u32) -> [u8; 3] {
    let cell = hash(seed, x / 97, y / 61);
    let inner = hash(seed ^ 1, x / 13, y / 9).is_multiple_of(4);
    let c = if inner { cell.rotate_left(17) } else { cell };
    let texture = (hash(seed ^ 2, x, y) % 40) as u8;
    [
        (c as u8).saturating_add(texture / 2),
        ((c >> 8) as u8).saturating_sub(texture / 2),
        ((c >> 16) as u8).saturating_add(texture / 3),
    ]
}

/// A browser: tab strip, address bar, the site's header, and lines of text.
fn browser(dark: bool, width: u32, x: u32, y: u32) -> [u8; 3] {
    let theme = |light: [u8; 3], dim: [u8; 3]| if dark { dim } else { light };
    if y < 38 {
        let tab = (x / 220) % 5 == 1 && (8..216).contains(&(x % 220));
        return if tab {
            theme([255; 3], [53, 54, 58])
        } else {
            theme([222, 225, 230], [32, 33, 36])
        };
    }
    if y < 80 {
        let field = (120..width.saturating_sub(160)).contains(&x) && (46..72).contains(&y);
        let glyph =
            field && (52..66).contains(&y) && x < 560 && !(x / 7).is_multiple_of(6) && x > 140;
        return match (field, glyph) {
            (true, true) => theme([60, 64, 67], [232, 234, 237]),
            (true, false) => theme([241, 243, 244], [53, 54, 58]),
            _ => theme([255; 3], [41, 42, 45]),
        };
    }
    if y < 84 {
        return theme([218, 220, 224], [60, 64, 67]);
    }
    if y < 150 {
        // The site's header bar with its name in white.
        let glyph = (104..128).contains(&y) && (40..420).contains(&x) && !(x / 9).is_multiple_of(5);
        return if glyph {
            [255; 3]
        } else {
            theme([178, 34, 52], [120, 24, 36])
        };
    }
    // Body text: lines of words, to the right of the code and below it.
    let line = (y - 150) % 28;
    let word = !hash(11, x / 60, (y - 150) / 28).is_multiple_of(7) && (x % 60) < 50;
    let text_column = x > (width as f64 * 0.18) as u32 + 320 || y > 520;
    if text_column && (8..22).contains(&line) && word && x > 40 && x < width - 40 {
        let stroke = !hash(12, x / 3, y / 3).is_multiple_of(3);
        if stroke {
            return theme([32, 33, 36], [210, 212, 215]);
        }
    }
    theme([255; 3], [32, 33, 36])
}

fn hash(seed: u64, x: u32, y: u32) -> u64 {
    let mut h = seed ^ (u64::from(x) << 32 | u64::from(y));
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A Gaussian blur of `sigma` pixels, as three box blurs each way.
fn blur(image: &mut RgbImage, sigma: f64) {
    let radius = ((sigma * sigma * 4.0 / 3.0 + 1.0).sqrt() / 2.0)
        .round()
        .max(1.0) as i64;
    let (w, h) = (image.width() as i64, image.height() as i64);
    let mut buf = vec![[0f64; 3]; (w * h) as usize];
    for (i, p) in image.pixels().enumerate() {
        buf[i] = p.0.map(f64::from);
    }
    for _ in 0..3 {
        for horizontal in [true, false] {
            let (outer, inner) = if horizontal { (h, w) } else { (w, h) };
            let idx = |o: i64, i: i64| {
                if horizontal {
                    (o * w + i) as usize
                } else {
                    (i * w + o) as usize
                }
            };
            let mut line = vec![[0f64; 3]; inner as usize];
            for o in 0..outer {
                for i in 0..inner {
                    line[i as usize] = buf[idx(o, i)];
                }
                let mut sum = [0f64; 3];
                let at = |k: i64| line[k.clamp(0, inner - 1) as usize];
                for k in -radius..=radius {
                    let v = at(k);
                    for c in 0..3 {
                        sum[c] += v[c];
                    }
                }
                let n = (2 * radius + 1) as f64;
                for i in 0..inner {
                    buf[idx(o, i)] = sum.map(|s| s / n);
                    let (add, sub) = (at(i + radius + 1), at(i - radius));
                    for c in 0..3 {
                        sum[c] += add[c] - sub[c];
                    }
                }
            }
        }
    }
    for (i, p) in image.pixels_mut().enumerate() {
        p.0 = buf[i].map(|v| v.round().clamp(0.0, 255.0) as u8);
    }
}

/// The projective map taking the unit-free quad `from` onto `to`.
fn quad_map(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> [f64; 9] {
    let a = square_to_quad(from);
    let b = square_to_quad(to);
    multiply(b, invert(a))
}

/// Heckbert's map from the unit square onto a quad.
fn square_to_quad(q: [(f64, f64); 4]) -> [f64; 9] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
    let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
    let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (dx3 * dy2 - dx2 * dy3) / den;
    let h = (dx1 * dy3 - dx3 * dy1) / den;
    [
        x1 - x0 + g * x1,
        x3 - x0 + h * x3,
        x0,
        y1 - y0 + g * y1,
        y3 - y0 + h * y3,
        y0,
        g,
        h,
        1.0,
    ]
}

fn multiply(a: [f64; 9], b: [f64; 9]) -> [f64; 9] {
    let mut m = [0.0; 9];
    for r in 0..3 {
        for c in 0..3 {
            m[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
        }
    }
    m
}

fn invert(m: [f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    [
        (e * i - f * h) / det,
        (c * h - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * h - e * g) / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ]
}
