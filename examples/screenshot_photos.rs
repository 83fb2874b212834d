//! Attaches generated, illustrative front photos (a face-shaped oval whose
//! red marks fade visit by visit) to every session of a client's first
//! series, for `scripts/screenshots.sh` until the demo data carries its
//! own photos.
//!
//!     cargo run --example screenshot_photos -- DB "CLIENT NAME"

use image::{ImageFormat, Rgb, RgbImage};
use needlelog::db::Store;
use needlelog::domain::photo::View;
use needlelog::photo::attach::{Request, attach};

fn face(visit: u32, visits: u32) -> RgbImage {
    let (w, h) = (360u32, 480u32);
    // Fewer marks at each visit: the treatment working.
    let marks = 40 * (visits - visit) / visits.max(1) + 4;
    RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let (dx, dy) = ((x as f32 - cx) / 140.0, (y as f32 - cy) / 200.0);
        if dx * dx + dy * dy > 1.0 {
            return Rgb([40, 44, 52]);
        }
        let mark = (0..marks).any(|i| {
            // A fixed scatter: the same marks at every run.
            let r = (i + 1).wrapping_mul(2_654_435_761);
            let mx = cx - 90.0 + (r % 180) as f32;
            let my = cy - 10.0 + ((r >> 8) % 130) as f32;
            let (ex, ey) = (x as f32 - mx, y as f32 - my);
            ex * ex + ey * ey < 36.0
        });
        let eye = [(cx - 55.0, cy - 60.0), (cx + 55.0, cy - 60.0)]
            .iter()
            .any(|(ex, ey)| {
                (x as f32 - ex).powi(2) / 400.0 + (y as f32 - ey).powi(2) / 100.0 < 1.0
            });
        if eye {
            Rgb([60, 50, 45])
        } else if mark {
            Rgb([190, 90, 85])
        } else {
            Rgb([228, 190, 160])
        }
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(name)) = (args.next(), args.next()) else {
        return Err("usage: screenshot_photos DB CLIENT".into());
    };
    let mut store = Store::open(std::path::Path::new(&db))?;
    let client = store.find_client(&name)?;
    let series = store
        .series_of(client.id)?
        .into_iter()
        .next()
        .ok_or("the client has no series")?;
    let sessions = store.sessions_of(series.id)?;
    let tmp = tempfile::tempdir()?;
    let n = sessions.len() as u32;
    for (i, x) in sessions.iter().enumerate() {
        let path = tmp.path().join(format!("visit-{i}.jpg"));
        face(i as u32, n).save_with_format(&path, ImageFormat::Jpeg)?;
        let r = Request {
            path,
            view: View::Front,
            zone: None,
        };
        attach(&mut store, x.id, &[r])?;
    }
    println!("{n} photos attached to {name}'s sessions");
    Ok(())
}
