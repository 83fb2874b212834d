//! Photos in the JSON export: each session lists its photos by hash and
//! metadata (never the file's key), the document fits the committed
//! schema, and an import counts the photos it leaves out and says why.

mod support;

use needlelog::import::{apply_json, describe_json, read_json};
use serde_json::Value;
use std::path::Path;
use support::at;
use support::cli::Sandbox;
use support::export::{fill_demo, open};

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(needlelog::export::json::SCHEMA_PATH),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn photos_of(doc: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for c in doc["clients"].as_array().unwrap() {
        for s in c["series"].as_array().unwrap() {
            for x in s["sessions"].as_array().unwrap() {
                if let Some(p) = x.get("photos") {
                    let p = p.as_array().unwrap();
                    assert!(!p.is_empty(), "an empty list is left out");
                    out.extend(p);
                }
            }
        }
    }
    out
}

#[test]
fn the_json_export_lists_photos_and_import_says_it_left_them_out() {
    let env = Sandbox::new();
    let added = {
        let mut store = env.store();
        fill_demo(&mut store, 12);
        needlelog::demo::add_photos(&mut store, 7).unwrap()
    };
    assert!(added.photos >= 6);
    let text = env.export_text(&["--format", "json"]);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(schema_validator().is_valid(&doc));
    let photos = photos_of(&doc);
    assert_eq!(photos.len(), added.photos);
    let store = env.store();
    let mut stored: Vec<String> = store
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| f.sha256)
        .collect();
    stored.sort();
    let mut listed: Vec<String> = photos
        .iter()
        .map(|p| p["sha256"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, stored);
    let first = photos[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "bytes",
            "format",
            "height",
            "sha256",
            "taken_at",
            "taken_from",
            "uuid",
            "view",
            "width"
        ]
    );
    assert!(!text.contains("file_key"));
    assert_eq!(first["view"], "front");
    assert_eq!(first["format"], "jpeg");
    // Seconds are part of the time.
    assert_eq!(first["taken_at"].as_str().unwrap().len(), 19);
    let close = photos.iter().find(|p| p["view"] == "close_up").unwrap();
    assert_eq!(close["zone"], "cheeks");
    drop(store);

    // Into a fresh database: the records come, the photo rows do not (the
    // file carries no photo files), and the summary says so.
    let file = env.path("export.json");
    std::fs::write(&file, &text).unwrap();
    let checked = read_json(&file).unwrap();
    let mut fresh = open(&env.path("fresh.db"));
    let s = apply_json(&mut fresh, &checked, at("2026-11-21 12:00")).unwrap();
    assert_eq!(s.clients.added, 12);
    assert_eq!(s.photos_skipped, added.photos);
    assert!(fresh.photo_files().unwrap().is_empty());
    let line = describe_json(&file, &s);
    assert!(
        line.contains(&format!("{} photos not imported", added.photos)),
        "{line}"
    );
}

#[test]
fn a_photo_that_does_not_fit_stops_the_import_by_its_path() {
    let env = Sandbox::new();
    {
        let mut store = env.store();
        fill_demo(&mut store, 6);
        needlelog::demo::add_photos(&mut store, 7).unwrap();
    }
    let text = env.export_text(&["--format", "json"]);
    for (field, bad, says) in [
        ("sha256", Value::from("ABC"), "SHA-256"),
        ("view", Value::from("top"), "view"),
        ("taken_at", Value::from("2026-02-30T10:00:00"), "taken_at"),
        ("file_key", Value::from("00"), "file_key"),
    ] {
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        let photo = doc["clients"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .flat_map(|c| c["series"].as_array_mut().unwrap().iter_mut())
            .flat_map(|s| s["sessions"].as_array_mut().unwrap().iter_mut())
            .find_map(|x| x.get_mut("photos"))
            .unwrap();
        photo[0][field] = bad;
        assert!(!schema_validator().is_valid(&doc), "{field}");
        let file = env.path(&format!("bad-{field}.json"));
        std::fs::write(&file, serde_json::to_string(&doc).unwrap()).unwrap();
        let mut fresh = open(&env.path(&format!("fresh-{field}.db")));
        let e = read_json(&file)
            .and_then(|checked| apply_json(&mut fresh, &checked, at("2026-11-21 12:00")))
            .unwrap_err()
            .to_string();
        assert!(e.contains(says) && e.contains("photos[0]"), "{field}: {e}");
        assert!(e.contains("nothing was imported"), "{e}");
    }
}

/// The base64 payloads of the report's `data:image/jpeg` URIs, decoded.
fn embedded_images(html: &str) -> Vec<image::DynamicImage> {
    const START: &str = "src=\"data:image/jpeg;base64,";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(START) {
        rest = &rest[i + START.len()..];
        let end = rest.find('"').unwrap();
        let bytes = unbase64(&rest[..end]);
        out.push(image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap());
        rest = &rest[end..];
    }
    out
}

fn unbase64(s: &str) -> Vec<u8> {
    const ABC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.chars().filter(|&c| c != '=') {
        bits = (bits << 6) | ABC.find(c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[test]
fn the_html_report_embeds_baseline_and_latest_only_with_photos_and_consent() {
    let env = Sandbox::new();
    let (with_consent, without) = {
        let mut store = env.store();
        fill_demo(&mut store, 12);
        needlelog::demo::add_photos(&mut store, 7).unwrap();
        let mut photographed: Vec<_> = store
            .clients(true)
            .unwrap()
            .into_iter()
            .filter(|c| !store.photos_of_client(c.id).unwrap().is_empty())
            .collect();
        // The last one withdraws the photo consent.
        let mut gone = photographed.pop().unwrap();
        gone.data.photo_consent_on = None;
        gone.data.photo_consent_beyond = false;
        store.update_client(gone.id, &gone.data).unwrap();
        (photographed, gone)
    };
    let db = env.db();
    let out = env.run_dated("export", &db, &["--format", "html", "--photos"]);
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(html.contains("This report contains clinical photos"));
    // Per client with consent: front and close-up, baseline and latest.
    let images = embedded_images(&html);
    assert_eq!(images.len(), with_consent.len() * 4);
    for img in &images {
        assert_eq!((img.width(), img.height()), (288, 360));
    }
    for c in &with_consent {
        assert!(
            html.contains(&format!("alt=\"{}, front, Baseline,", c.data.name)),
            "{}",
            c.data.name
        );
    }
    assert!(html.contains("Photos left out: no photo consent."));
    assert!(!html.contains(&format!("alt=\"{},", without.data.name)));
    assert!(
        stderr.contains(&format!(
            "photos left out (no photo consent): {}",
            without.data.name
        )),
        "{stderr}"
    );

    // Without --photos: no photo at all, and no note.
    let plain = env.export_text(&["--format", "html"]);
    assert!(!plain.contains("data:image"));
    assert!(!plain.contains("clinical photos"));
    // --photos is for HTML only.
    let wrong = env.run_dated("export", &db, &["--format", "md", "--photos"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("--photos applies to --format html only")
    );
}
