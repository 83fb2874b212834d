//! Illustrative photos for the demo database, drawn from nothing but the
//! seed: a stylised face (front) or a patch of skin (close-up) with
//! acne-scar-like marks and redness that fade from the first visit to the
//! last, so the compare screen shows an improvement. They are plainly
//! drawings, and each carries a "DEMO" mark in a corner. The same inputs
//! always give the same JPEG bytes.

use crate::domain::{View, Zone};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageError, Rgb, RgbImage};

/// The size of every demo photo, in pixels (portrait, 4:5).
pub const WIDTH: u32 = 480;
pub const HEIGHT: u32 = 600;

/// The views the demo photographs: the face from the front, and a
/// close-up of the cheek.
pub fn demo_photo_views() -> &'static [(View, Option<Zone>)] {
    &[(View::Front, None), (View::CloseUp, Some(Zone::Cheeks))]
}

/// The JPEG of client number `client`'s photo of `view` at visit `visit`
/// (counted from 1) of `visits`. The marks are strongest at visit 1 and
/// fade to a fifth of that by the last visit. Views other than a close-up
/// are drawn as the front.
pub fn demo_photo(
    seed: u64,
    client: usize,
    visit: usize,
    visits: usize,
    view: View,
) -> Result<Vec<u8>, ImageError> {
    let img = demo_image(seed, client, visit, visits, view);
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img)?;
    Ok(out)
}

/// The picture before encoding (for tests and the HTML report's thumbnails).
pub fn demo_image(seed: u64, client: usize, visit: usize, visits: usize, view: View) -> RgbImage {
    let visits = visits.max(1);
    let visit = visit.clamp(1, visits);
    let severity = if visits == 1 {
        1.0
    } else {
        1.0 - 0.8 * (visit - 1) as f32 / (visits - 1) as f32
    };
    picture(seed, client, severity, view)
}

/// The picture with marks of strength `severity` (0 none, 1 the first
/// visit's).
fn picture(seed: u64, client: usize, severity: f32, view: View) -> RgbImage {
    // The client's look and the marks' places stay the same at every
    // visit: only their strength changes.
    let mut rng = Mix::new(seed ^ (client as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let skin = SKIN[rng.below(SKIN.len() as u64) as usize];
    let mut img = match view {
        View::CloseUp => close_up(&mut rng, skin, severity),
        _ => front(&mut rng, skin, severity),
    };
    demo_mark(&mut img);
    img
}

/// Skin tones from light to deep.
const SKIN: [[f32; 3]; 6] = [
    [240.0, 212.0, 190.0],
    [226.0, 188.0, 160.0],
    [205.0, 160.0, 125.0],
    [176.0, 130.0, 96.0],
    [132.0, 92.0, 64.0],
    [92.0, 62.0, 44.0],
];

const HAIR: [[f32; 3]; 4] = [
    [40.0, 30.0, 24.0],
    [92.0, 62.0, 36.0],
    [150.0, 110.0, 60.0],
    [20.0, 18.0, 18.0],
];

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same numbers on every platform.
struct Mix(u64);

impl Mix {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in [lo, hi).
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * ((self.next() >> 40) as f32 / (1u64 << 24) as f32)
    }
}

/// A cheap per-pixel noise in [-1, 1], the same for the same place.
fn grain(x: u32, y: u32, salt: u64) -> f32 {
    let mut m = Mix::new(salt ^ (u64::from(x) << 32 | u64::from(y)));
    (m.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn scale(c: [f32; 3], f: f32) -> [f32; 3] {
    [c[0] * f, c[1] * f, c[2] * f]
}

fn rgb(c: [f32; 3]) -> Rgb<u8> {
    Rgb([
        c[0].clamp(0.0, 255.0) as u8,
        c[1].clamp(0.0, 255.0) as u8,
        c[2].clamp(0.0, 255.0) as u8,
    ])
}

fn get(img: &RgbImage, x: u32, y: u32) -> [f32; 3] {
    let p = img.get_pixel(x, y).0;
    [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]
}

/// Where (x, y) is in the ellipse centred on (cx, cy): below 1 inside.
fn ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> f32 {
    let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
    dx * dx + dy * dy
}

/// Blends `colour` into the ellipse, `alpha` at its centre fading to
/// nothing at its edge (`soft`) or uniform (`!soft`).
fn blot(
    img: &mut RgbImage,
    (cx, cy): (f32, f32),
    (rx, ry): (f32, f32),
    colour: [f32; 3],
    alpha: f32,
    soft: bool,
) {
    let x0 = (cx - rx).floor().max(0.0) as u32;
    let y0 = (cy - ry).floor().max(0.0) as u32;
    let x1 = ((cx + rx).ceil() as u32).min(img.width() - 1);
    let y1 = ((cy + ry).ceil() as u32).min(img.height() - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let d = ellipse(x as f32 + 0.5, y as f32 + 0.5, cx, cy, rx, ry);
            if d >= 1.0 {
                continue;
            }
            let a = if soft { alpha * (1.0 - d) } else { alpha };
            let c = mix(get(img, x, y), colour, a);
            img.put_pixel(x, y, rgb(c));
        }
    }
}

/// A stylised face on a plain studio background.
fn front(rng: &mut Mix, skin: [f32; 3], severity: f32) -> RgbImage {
    let hair = HAIR[rng.below(HAIR.len() as u64) as usize];
    let (cx, cy, rx, ry) = (240.0, 300.0, 140.0, 185.0);
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        let back = mix(
            [206.0, 210.0, 216.0],
            [168.0, 174.0, 184.0],
            fy / HEIGHT as f32,
        );
        // Shoulders and neck, then the face: lighter in the middle.
        let shoulders = ellipse(fx, fy, 240.0, 640.0, 230.0, 150.0) < 1.0;
        let neck = (fx - 240.0).abs() < 62.0 && fy > 400.0 && fy < 540.0;
        let d = ellipse(fx, fy, cx, cy, rx, ry);
        if d < 1.0 {
            rgb(scale(skin, 1.05 - 0.15 * d))
        } else if neck {
            rgb(scale(skin, 0.82))
        } else if shoulders {
            rgb([70.0, 92.0, 120.0])
        } else {
            rgb(back)
        }
    });
    // Hair over the top of the head.
    for y in 100..260 {
        for x in 90..390 {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let cap = ellipse(fx, fy, cx, 250.0, 158.0, 150.0) < 1.0;
            let forehead = ellipse(fx, fy, cx, 300.0, 128.0, 150.0) < 1.0 && fy > 195.0;
            if cap && !forehead {
                img.put_pixel(x, y, rgb(scale(hair, 1.0 + 0.08 * grain(x, y, 7))));
            }
        }
    }
    // Brows, eyes, nose, mouth.
    for side in [-1.0f32, 1.0] {
        let ex = cx + side * 55.0;
        blot(
            &mut img,
            (ex, 242.0),
            (30.0, 5.0),
            scale(hair, 0.9),
            0.9,
            false,
        );
        blot(
            &mut img,
            (ex, 268.0),
            (25.0, 11.0),
            [240.0, 238.0, 232.0],
            1.0,
            false,
        );
        blot(
            &mut img,
            (ex, 268.0),
            (9.0, 9.0),
            [60.0, 48.0, 40.0],
            1.0,
            false,
        );
    }
    blot(
        &mut img,
        (cx, 335.0),
        (14.0, 38.0),
        scale(skin, 0.85),
        0.35,
        true,
    );
    blot(
        &mut img,
        (cx, 405.0),
        (42.0, 11.0),
        mix(skin, [170.0, 70.0, 72.0], 0.6),
        0.9,
        false,
    );
    // Redness and scars on both cheeks, in the same places every visit.
    for side in [-1.0f32, 1.0] {
        let (kx, ky) = (cx + side * 72.0, 350.0);
        blot(
            &mut img,
            (kx, ky),
            (55.0, 48.0),
            [206.0, 84.0, 84.0],
            0.45 * severity,
            true,
        );
        marks(
            &mut img,
            rng,
            (kx, ky),
            (48.0, 40.0),
            skin,
            severity,
            (18, 2.5..5.5),
        );
    }
    img
}

/// Scars as small pits: darker and redder than the skin, in `n` places
/// inside the ellipse; `severity` sets how much they show.
fn marks(
    img: &mut RgbImage,
    rng: &mut Mix,
    (cx, cy): (f32, f32),
    (rx, ry): (f32, f32),
    skin: [f32; 3],
    severity: f32,
    (n, radius): (usize, std::ops::Range<f32>),
) {
    let pit = mix(scale(skin, 0.62), [150.0, 60.0, 60.0], 0.35);
    for _ in 0..n {
        let a = rng.range(0.0, std::f32::consts::TAU);
        let r = rng.range(0.0, 1.0).sqrt();
        let (x, y) = (cx + rx * r * a.cos(), cy + ry * r * a.sin());
        let size = rng.range(radius.start, radius.end);
        // A lighter rim, then the pit.
        blot(
            img,
            (x, y),
            (size * 1.5, size * 1.5),
            scale(skin, 1.12),
            0.5 * severity,
            true,
        );
        blot(img, (x, y), (size, size), pit, 0.9 * severity, true);
    }
}

/// A patch of skin seen close: pores, uneven tone, scars and redness.
fn close_up(rng: &mut Mix, skin: [f32; 3], severity: f32) -> RgbImage {
    let salt = rng.next();
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let tone = 1.0 + 0.04 * grain(x / 6, y / 6, salt) + 0.02 * grain(x, y, salt ^ 1);
        rgb(scale(skin, tone))
    });
    // Pores on a jittered grid.
    for gy in 0..(HEIGHT / 24) {
        for gx in 0..(WIDTH / 24) {
            let x = (gx * 24) as f32 + rng.range(4.0, 20.0);
            let y = (gy * 24) as f32 + rng.range(4.0, 20.0);
            blot(&mut img, (x, y), (1.8, 1.8), scale(skin, 0.8), 0.6, true);
        }
    }
    for _ in 0..3 {
        let c = (rng.range(80.0, 400.0), rng.range(100.0, 500.0));
        blot(
            &mut img,
            c,
            (rng.range(70.0, 120.0), rng.range(60.0, 110.0)),
            [206.0, 84.0, 84.0],
            0.4 * severity,
            true,
        );
    }
    marks(
        &mut img,
        rng,
        (240.0, 300.0),
        (220.0, 280.0),
        skin,
        severity,
        (26, 6.0..16.0),
    );
    img
}

/// "DEMO" in white on a dark box in the bottom-right corner.
fn demo_mark(img: &mut RgbImage) {
    // 5×7 glyphs, one row a byte, the low five bits from left to right.
    const GLYPHS: [[u8; 7]; 4] = [
        [
            0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110,
        ],
        [
            0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111,
        ],
        [
            0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001,
        ],
        [
            0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110,
        ],
    ];
    const PX: u32 = 3;
    let (w, h) = (4 * 6 * PX + 2 * PX, 7 * PX + 4 * PX);
    let (x0, y0) = (img.width() - w - 8, img.height() - h - 8);
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            img.put_pixel(x, y, Rgb([30, 30, 36]));
        }
    }
    for (i, glyph) in GLYPHS.iter().enumerate() {
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..5u32 {
                if bits & (0b10000 >> col) == 0 {
                    continue;
                }
                let gx = x0 + 2 * PX + (i as u32 * 6 + col) * PX;
                let gy = y0 + 2 * PX + row as u32 * PX;
                for y in gy..gy + PX {
                    for x in gx..gx + PX {
                        img.put_pixel(x, y, Rgb([250, 250, 250]));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How far the region of `img` is from the same picture without any
    /// mark: the mean difference per pixel and channel.
    fn blemish(img: &RgbImage, clean: &RgbImage, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> f32 {
        let mut sum = 0.0;
        for y in y0..y1 {
            for x in x0..x1 {
                let (p, q) = (get(img, x, y), get(clean, x, y));
                sum += (0..3).map(|i| (p[i] - q[i]).abs()).sum::<f32>();
            }
        }
        sum / ((x1 - x0) * (y1 - y0) * 3) as f32
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        for view in [View::Front, View::CloseUp] {
            let a = demo_photo(1, 7, 2, 5, view).unwrap();
            let b = demo_photo(1, 7, 2, 5, view).unwrap();
            assert_eq!(a, b);
            assert_eq!(&a[..3], &[0xff, 0xd8, 0xff], "a JPEG");
            let decoded = image::load_from_memory(&a).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (WIDTH, HEIGHT));
        }
        assert_ne!(
            demo_photo(1, 7, 2, 5, View::Front).unwrap(),
            demo_photo(2, 7, 2, 5, View::Front).unwrap(),
            "another seed, another picture"
        );
    }

    #[test]
    fn the_marks_fade_from_the_first_visit_to_the_last() {
        for client in 0..6 {
            let at = |visit, view| demo_image(1, client, visit, 5, view);
            // Both cheeks on the face; the whole patch for a close-up.
            let clean = picture(1, client, 0.0, View::Front);
            let face = |v| blemish(&at(v, View::Front), &clean, (150, 300, 330, 400));
            let clean = picture(1, client, 0.0, View::CloseUp);
            let patch = |v| blemish(&at(v, View::CloseUp), &clean, (20, 20, 460, 500));
            assert!(face(1) > face(3) && face(3) > face(5), "client {client}");
            assert!(
                face(1) > 3.0 * face(5),
                "client {client}: {} {}",
                face(1),
                face(5)
            );
            assert!(face(1) > 4.0, "client {client}: {}", face(1));
            assert!(patch(1) > 3.0 * patch(5), "client {client}");
        }
    }

    #[test]
    fn clients_differ_and_each_keeps_its_look() {
        let skin_at = |client| get(&demo_image(1, client, 1, 4, View::Front), 240, 200);
        let tones: std::collections::BTreeSet<[u8; 3]> =
            (0..12).map(|c| skin_at(c).map(|v| v as u8)).collect();
        assert!(tones.len() >= 3, "{tones:?}");
        // The forehead (no marks) is the same at every visit.
        let a = demo_image(1, 3, 1, 4, View::Front);
        let b = demo_image(1, 3, 4, 4, View::Front);
        assert_eq!(a.get_pixel(240, 200), b.get_pixel(240, 200));
        assert_ne!(a, b);
    }

    #[test]
    fn every_photo_is_marked_demo() {
        let img = demo_image(1, 0, 1, 1, View::CloseUp);
        let (x, y) = (WIDTH - 8 - 78 + 6, HEIGHT - 8 - 33 + 6);
        assert_eq!(
            img.get_pixel(x, y).0,
            [250, 250, 250],
            "the D's first pixel"
        );
        assert_eq!(demo_photo_views()[0], (View::Front, None));
    }
}
