//! Attaching a photo in the real binary, in a pseudo-terminal: `P`, a path
//! typed with `~` and Tab-completed, a view picked, Ctrl-S; the row and the
//! stored file are there, and `u` takes both back.

mod support;

use support::cli::Sandbox;
use support::pty::{CTRL_S, ENTER, TAB, row_with};

const COLS: u16 = 120;
const ROWS: u16 = 34;

fn photo_rows(db: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT view, sha256 FROM photos").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn stored_files(db: &std::path::Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(needlelog::photo::photo_dir(db)) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn p_attaches_a_completed_path_and_u_removes_row_and_file() {
    let sandbox = Sandbox::new();
    let pics = sandbox.home().join("phone");
    std::fs::create_dir_all(&pics).unwrap();
    let img = image::RgbImage::from_fn(200, 260, |x, y| {
        image::Rgb([(x % 256) as u8, 90, (y % 256) as u8])
    });
    img.save_with_format(pics.join("IMG_0001.jpg"), image::ImageFormat::Jpeg)
        .unwrap();
    let mut t = sandbox.spawn(COLS, ROWS);
    t.add_client("Ana Souza");
    t.key_then(ENTER, "Sessions");
    t.key_then(b"n", "New session");
    t.save_bare_session();
    t.key_then(b"P", "Photos for the session of");
    t.type_text("~/phone/IMG");
    t.press(TAB);
    t.wait_until("the path completed", |s| {
        row_with(s, "File or folder").is_some_and(|r| r.contains("~/phone/IMG_0001.jpg"))
    });
    // The file's own view row, named after it, takes the place of "View".
    t.wait_until("the file's view row", |s| {
        row_with(s, "  IMG_0001.jpg ").is_some_and(|r| r.contains("front"))
    });
    t.press(b"\x1b[B"); // down to the view
    t.press(b"\x1b[C"); // → left
    t.wait_until("the view picked", |s| {
        row_with(s, "▸ IMG_0001.jpg").is_some_and(|r| r.contains("left"))
    });
    t.press(CTRL_S);
    let screen = t.wait_for("Attached 1 photo (left) to the session of");
    assert!(screen.contains("▣1"), "{screen}");
    let db = sandbox.db();
    let rows = photo_rows(&db);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "left");
    let files = stored_files(&db);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].to_string_lossy().contains(&rows[0].1));
    t.press(b"u");
    t.wait_for("Undone:");
    assert!(photo_rows(&db).is_empty());
    assert!(stored_files(&db).is_empty(), "{:?}", stored_files(&db));
    t.press(b"q");
    assert!(t.wait_exit().success());
}
