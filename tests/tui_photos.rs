//! Photos in the interface: the attach form (`P`) with Tab completion,
//! the sessions table's mark and the record's photo list, undo of an
//! attach, the compare screen (`V`) in half blocks, and `o` handing a
//! private copy to the viewer.

mod support;

use needlelog::app::Screen;
use needlelog::domain::{ClientDraft, SessionDraft};
use needlelog::photo::photo_dir;
use std::path::{Path, PathBuf};
use support::app::App;
use support::today;

/// A JPEG whose pixels depend on `tint`, written to `dir/name`.
fn jpeg(dir: &Path, name: &str, tint: u8) -> PathBuf {
    let img = image::RgbImage::from_fn(240, 320, |x, y| {
        image::Rgb([tint, (x % 256) as u8, (y % 256) as u8])
    });
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Jpeg)
        .unwrap();
    path
}

fn app(size: (u16, u16)) -> App {
    App::with_one_session(size, &ClientDraft::named("Ana Souza"))
}

fn client_id(app: &App) -> i64 {
    app.state.detail.as_ref().expect("client open").client.id
}

fn stored_files(app: &App) -> Vec<PathBuf> {
    match std::fs::read_dir(photo_dir(app.store.path())) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

fn photo_rows(app: &App) -> usize {
    app.store.photos_of_client(client_id(app)).unwrap().len()
}

#[test]
fn p_attaches_a_tab_completed_file_and_u_takes_row_and_file_back() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    jpeg(pics.path(), "IMG_0001.jpg", 200);
    app.keys("<Enter>");
    assert_eq!(app.state.screen, Screen::Client);
    app.keys("P");
    assert!(app.state.form.is_some(), "{}", app.screen());
    app.type_text(&format!("{}/IMG", pics.path().display()));
    app.keys("<Tab>");
    let typed = app.open_form().form.fields[0].value().to_string();
    assert!(typed.ends_with("IMG_0001.jpg"), "completed to {typed}");
    // Down leaves the path field; → picks the next view (left).
    app.keys("<Down><Right><C-s>");
    let day = (today() - chrono::Duration::days(4)).to_string();
    assert_eq!(
        app.status(),
        format!("Attached 1 photo (left) to the session of {day} (u undoes)")
    );
    let photos = app.store.photos_of_client(client_id(&app)).unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].photo.data.view, "left");
    assert_eq!(stored_files(&app).len(), 1);
    // The sessions table marks the session; its record lists the photo.
    let screen = app.screen();
    assert!(screen.contains("▣1"), "{screen}");
    assert!(screen.contains("▣ left ·"), "{screen}");
    app.keys("u");
    if app.state.confirm.is_some() {
        app.keys("y");
    }
    assert_eq!(photo_rows(&app), 0, "{}", app.status());
    assert!(stored_files(&app).is_empty(), "{:?}", stored_files(&app));
    assert!(!app.screen().contains("▣1"));
}

#[test]
fn a_second_tab_lists_the_candidates_with_refused_files_named() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    jpeg(pics.path(), "IMG_0001.jpg", 1);
    jpeg(pics.path(), "IMG_0002.jpg", 2);
    std::fs::write(pics.path().join("IMG_0003.HEIC"), b"x").unwrap();
    app.keys("<Enter>P");
    app.type_text(&format!("{}/", pics.path().display()));
    app.keys("<Tab>");
    app.keys("<Tab>");
    let typed = app.open_form().form.fields[0].value().to_string();
    assert!(typed.ends_with("/IMG_000"), "{typed}");
    app.keys("<Tab>");
    let hint = app.open_form().form.fields[0].hint.clone();
    assert!(hint.contains("IMG_0001.jpg  IMG_0002.jpg"), "{hint}");
    assert!(hint.contains("IMG_0003.HEIC (not JPEG/PNG)"), "{hint}");
}

#[test]
fn a_heic_file_is_refused_beside_the_field_with_how_to_convert() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    let heic = pics.path().join("IMG_2.HEIC");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").unwrap();
    app.keys("<Enter>P");
    app.type_text(&heic.display().to_string());
    let err = app.field_error("file").unwrap_or_default();
    assert!(err.contains("HEIC"), "{err}");
    app.keys("<C-s>");
    assert!(
        app.status().starts_with("Cannot save yet"),
        "{}",
        app.status()
    );
    assert_eq!(photo_rows(&app), 0);
    assert!(stored_files(&app).is_empty());
}

#[test]
fn a_folder_attaches_every_jpeg_and_png_in_it() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    jpeg(pics.path(), "a.jpg", 1);
    jpeg(pics.path(), "b.JPG", 2);
    std::fs::write(pics.path().join("notes.txt"), b"x").unwrap();
    app.keys("<Enter>P");
    app.type_text(&pics.path().display().to_string());
    let hint = app.open_form().form.fields[0].hint.clone();
    assert!(hint.starts_with("2 photos: a.jpg, b.JPG"), "{hint}");
    assert!(hint.contains("1 other files left out"), "{hint}");
    app.keys("<C-s>");
    assert!(
        app.status().starts_with("Attached 2 photos"),
        "{}",
        app.status()
    );
    assert_eq!(photo_rows(&app), 2);
}

#[test]
fn a_close_up_row_names_its_zone_and_no_consent_warns() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    let f = jpeg(pics.path(), "c.jpg", 9);
    app.keys("<Enter>P");
    let warnings = app.warnings_shown().join(" | ");
    assert!(warnings.contains("No photo consent"), "{warnings}");
    app.type_text(&f.display().to_string());
    // A letter picks the view: c for a close-up of the first zone, c
    // again for the next zone's.
    app.keys("<Down>c");
    let first = app.open_form().form.fields[1]
        .chosen()
        .unwrap_or_default()
        .to_string();
    assert!(first.starts_with("close-up: "), "{first}");
    app.keys("c");
    let second = app.open_form().form.fields[1]
        .chosen()
        .unwrap_or_default()
        .to_string();
    assert!(
        second.starts_with("close-up: ") && second != first,
        "{second}"
    );
    assert!(app.screen().contains(&second), "{}", app.screen());
    app.keys("<C-s>");
    let photos = app.store.photos_of_client(client_id(&app)).unwrap();
    assert_eq!(photos.len(), 1, "{}", app.status());
    assert_eq!(photos[0].photo.data.view, "close_up");
    let zone = needlelog::domain::Zone::from_code(&photos[0].photo.data.zone).unwrap();
    assert_eq!(second, format!("close-up: {}", zone.label()));
}

#[test]
fn several_files_get_a_view_each() {
    let mut app = app((120, 40));
    let pics = tempfile::tempdir().unwrap();
    jpeg(pics.path(), "1_front.jpg", 10);
    jpeg(pics.path(), "2_left.jpg", 20);
    jpeg(pics.path(), "3_right.jpg", 30);
    app.keys("<Enter>P");
    // The view picked before the path is known is every new row's start.
    app.keys("<Down>l<Up>");
    app.type_text(&pics.path().display().to_string());
    let form = &app.open_form().form;
    let rows: Vec<(String, String)> = form.fields[1..]
        .iter()
        .map(|f| {
            (
                f.label.to_string(),
                f.chosen().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1_front.jpg".to_string(), "left".to_string()),
            ("2_left.jpg".into(), "left".into()),
            ("3_right.jpg".into(), "left".into()),
        ]
    );
    let screen = app.screen();
    assert!(screen.contains("3_right.jpg"), "{screen}");
    app.keys("<Down>f<Down><Down>r<C-s>");
    assert!(
        app.status()
            .starts_with("Attached 3 photos (front, left, right)"),
        "{}",
        app.status()
    );
    let mut got: Vec<String> = app
        .store
        .photos_of_client(client_id(&app))
        .unwrap()
        .into_iter()
        .map(|p| p.photo.data.view)
        .collect();
    got.sort();
    assert_eq!(got, ["front", "left", "right"]);
}

#[test]
fn p_without_a_session_says_to_record_one_first() {
    let mut app = App::empty((100, 30));
    app.keys("a");
    app.type_text("Bia Lima");
    app.keys("<C-s>");
    app.keys("<Enter>P");
    assert!(app.state.form.is_none());
    assert!(
        app.status().starts_with("Record a session first"),
        "{}",
        app.status()
    );
}

/// Ana with two sessions, a front photo at each (different pictures).
fn two_visits(size: (u16, u16)) -> (App, tempfile::TempDir) {
    let mut app = app(size);
    let pics = tempfile::tempdir().unwrap();
    app.keys("<Enter>");
    let series = app.state.current_series().unwrap().series.id;
    let at = (today() - chrono::Duration::days(1))
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut d = SessionDraft::at(at);
    d.outcome_score = Some(2);
    let second = app.store.create_session(series, &d).unwrap().id;
    let first = app.state.current_series().unwrap().sessions[0].id;
    for (session, tint, name) in [(first, 250, "a.jpg"), (second, 10, "b.jpg")] {
        let f = jpeg(pics.path(), name, tint);
        let r = needlelog::photo::attach::Request {
            path: f,
            view: needlelog::domain::photo::View::Front,
            zone: None,
        };
        needlelog::photo::attach::attach(&mut app.store, session, &[r]).unwrap();
    }
    let id = client_id(&app);
    let loaded =
        needlelog::app::effects::run(&mut app.store, &needlelog::app::Effect::LoadDetail(id));
    app.act(loaded);
    (app, pics)
}

#[test]
fn compare_screen_at_80x24_and_200x50() {
    for size in [(80, 24), (200, 50)] {
        let (mut app, _pics) = two_visits(size);
        app.keys("V");
        assert_eq!(app.state.screen, Screen::Photos, "{}", app.status());
        let screen = app.screen();
        assert!(screen.contains("front photos"), "{screen}");
        assert!(screen.contains('▀'), "half blocks drawn: {screen}");
        insta::assert_snapshot!(format!("compare_{}x{}", size.0, size.1), screen);
        app.keys("<Esc>");
        assert_eq!(app.state.screen, Screen::Client);
    }
}

#[test]
fn attach_form_snapshots() {
    for size in [(80, 24), (200, 50)] {
        let mut app = app(size);
        app.keys("<Enter>P");
        let screen = app.screen();
        assert!(screen.contains("File or folder"), "{screen}");
        insta::assert_snapshot!(format!("attach_form_{}x{}", size.0, size.1), screen);
    }
}

#[test]
fn o_opens_a_private_copy_that_goes_when_the_screen_closes() {
    let (mut app, pics) = two_visits((100, 30));
    let got = pics.path().join("seen.jpg");
    let script = pics.path().join("viewer.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncp \"$1\" '{}'\necho \"$1\" > '{}.path'\n",
            got.display(),
            got.display()
        ),
    )
    .unwrap();
    support::set_mode(&script, 0o755);
    app.state.photos.viewer = Some(script.into_os_string());
    app.keys("V");
    app.keys("o");
    assert_eq!(
        app.status(),
        "Opened in the viewer; the temporary copy is removed when you leave this screen"
    );
    for child in &mut app.state.photos.viewers {
        child.wait().unwrap();
    }
    let copied = std::fs::read(&got).unwrap();
    let stored = &app.store.photos_of_client(client_id(&app)).unwrap()[1];
    assert_eq!(
        needlelog::photo::sha256_hex(&copied),
        stored.photo.data.sha256
    );
    let copy_path = std::fs::read_to_string(format!("{}.path", got.display())).unwrap();
    let copy_path = PathBuf::from(copy_path.trim());
    assert!(copy_path.exists());
    app.keys("<Esc>");
    assert!(
        !copy_path.exists(),
        "the private copy is removed on leaving"
    );
}
