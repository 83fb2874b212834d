//! Photos from the command line (issue 17): `photo add` and `photo list`,
//! stripping, refusals that change nothing, sealed files on an encrypted
//! database and `encrypt`/`decrypt`/`rekey` converting them, `check`,
//! `backup`/`restore` and `erase` with photos. Every picture is generated
//! here with the `image` crate.
#![cfg(unix)]

mod support;

use needlelog::db::Store;
use needlelog::db::cipher;
use needlelog::photo::{FileKey, Format, PhotoStore, photo_dir};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use support::cipher::{PASS, ok_with, pass, with};
use support::cli::{Sandbox, one_line_error, snapshot, stderr, stdout};
use support::store::{full_series, full_session, open_at, other_client};

const ANA: &str = "Ana Souza";
/// The other client (`other_client`), whose name holds Ana's.
const BEA: &str = "Ana Souza-Lima";

/// A JPEG whose pixels depend on `tint`, at `sb.path(name)`.
fn jpeg(sb: &Sandbox, name: &str, tint: u8) -> PathBuf {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([tint, (x * 3) as u8, (y * 5) as u8])
    });
    let path = sb.path(name);
    img.save_with_format(&path, image::ImageFormat::Jpeg)
        .unwrap();
    path
}

/// A big-endian EXIF block: camera make, a body serial and a GPS latitude.
fn gps_exif() -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]) {
        out.extend(tag.to_be_bytes());
        out.extend(typ.to_be_bytes());
        out.extend(count.to_be_bytes());
        out.extend(value);
    }
    // IFD0 at 8: make (offset), GPS pointer; GPS IFD after it; data last.
    let ifd0_len = 2 + 2 * 12 + 4;
    let gps_at = 8 + ifd0_len;
    let gps_len = 2 + 2 * 12 + 4;
    let data_at = gps_at + gps_len;
    let make = b"SecretCam\0";
    let lat_at = data_at + make.len();
    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    out.extend(2u16.to_be_bytes());
    entry(
        &mut out,
        0x010F,
        2,
        make.len() as u32,
        (data_at as u32).to_be_bytes(),
    );
    entry(&mut out, 0x8825, 4, 1, (gps_at as u32).to_be_bytes());
    out.extend([0; 4]);
    out.extend(2u16.to_be_bytes());
    entry(&mut out, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut out, 0x0002, 5, 3, (lat_at as u32).to_be_bytes());
    out.extend([0; 4]);
    out.extend(make);
    for (n, d) in [(51u32, 1u32), (30, 1), (1234, 100)] {
        out.extend(n.to_be_bytes());
        out.extend(d.to_be_bytes());
    }
    out
}

/// A JPEG with GPS tags as a phone writes it.
fn gps_jpeg(sb: &Sandbox, name: &str) -> PathBuf {
    let plain = jpeg(sb, name, 90);
    let bytes = std::fs::read(&plain).unwrap();
    let app1 = [b"Exif\0\0".as_slice(), &gps_exif()].concat();
    let mut out = bytes[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&bytes[2..]);
    std::fs::write(&plain, out).unwrap();
    plain
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The sandbox's database holding Ana (one series, one session) and Bea
/// (one series, one session).
fn with_clients() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let db = sb.db();
    let mut store = open_at(&db);
    for draft in [support::store::full_client(), other_client()] {
        let c = store.create_client(&draft, Some(&full_series())).unwrap();
        let series = store.series_of(c.id).unwrap().remove(0);
        store.create_session(series.id, &full_session()).unwrap();
    }
    drop(store);
    (sb, db)
}

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

fn add(sb: &Sandbox, db: &Path, client: &str, view: &str, files: &[&Path]) -> std::process::Output {
    let mut args = vec![
        "photo".to_string(),
        "add".into(),
        "--db".into(),
        db_arg(db).into(),
        "--client".into(),
        client.into(),
        "--view".into(),
        view.into(),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    sb.run(&args)
}

fn stored(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(photo_dir(db)) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Every row's file, read back through the store (hash verified).
fn read_back(db: &Path, key: Option<&str>) -> Vec<Vec<u8>> {
    match key {
        Some(k) => cipher::remember(db, pass(k)),
        None => cipher::forget(db),
    }
    let store = Store::open(db).unwrap();
    let files = PhotoStore::for_db(db);
    let out = store
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| {
            let key = f.file_key.as_deref().map(|k| FileKey::from_hex(k).unwrap());
            files
                .get(&f.sha256, Format::parse(&f.format).unwrap(), key.as_ref())
                .unwrap()
        })
        .collect();
    cipher::forget(db);
    out
}

fn keys(db: &Path, key: Option<&str>) -> Vec<Option<String>> {
    match key {
        Some(k) => cipher::remember(db, pass(k)),
        None => cipher::forget(db),
    }
    let out = Store::open(db)
        .unwrap()
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| f.file_key)
        .collect();
    cipher::forget(db);
    out
}

#[test]
fn photo_add_stores_private_stripped_copies_and_leaves_the_originals_alone() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "IMG_0001.jpg", 10);
    let b = gps_jpeg(&sb, "IMG_0002.jpg");
    let before_a = std::fs::read(&a).unwrap();
    let before_b = std::fs::read(&b).unwrap();
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().mtime_nsec();
    let (ma, mb) = (mtime(&a), mtime(&b));
    let out = add(&sb, &db, ANA, "left_oblique", &[&a, &b]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("the latest"), "{text}");
    assert!(text.contains("left-oblique"), "{text}");
    assert!(text.contains("attached 2 photo(s)"), "{text}");
    // No photo consent on file: a warning, and the photos attached anyway.
    assert!(stderr(&out).contains("warning: Ana Souza has no photo consent"));

    // The originals: not a byte nor a time changed.
    assert_eq!(std::fs::read(&a).unwrap(), before_a);
    assert_eq!(std::fs::read(&b).unwrap(), before_b);
    assert_eq!((mtime(&a), mtime(&b)), (ma, mb));

    let files = stored(&db);
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(support::mode(&photo_dir(&db)), 0o700);
    for f in &files {
        assert_eq!(support::mode(f), 0o600, "{}", f.display());
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, b"SecretCam"), "{}", f.display());
        assert!(!contains(&bytes, &[0, 0, 4, 0xD2, 0, 0, 0, 0x64]));
    }
    assert!(
        contains(&before_b, b"SecretCam"),
        "the test's GPS file has tags"
    );
    // The GPS-tagged photo keeps its pixels exactly.
    let stripped: Vec<Vec<u8>> = read_back(&db, None);
    let want = image::load_from_memory(&before_b).unwrap().to_rgb8();
    assert!(
        stripped
            .iter()
            .any(|s| image::load_from_memory(s).unwrap().to_rgb8() == want),
        "no stored copy decodes to the original's pixels"
    );

    let list = sb.run_ok(&["photo", "list", "--db", db_arg(&db), "--client", ANA]);
    assert!(list.starts_with("Ana Souza: 2 photo(s)"), "{list}");
    assert_eq!(list.matches("left-oblique").count(), 2, "{list}");
    assert!(!list.contains("MISSING"), "{list}");
    let store = Store::open(&db).unwrap();
    let ana = store.find_client(ANA).unwrap();
    let rows = store.photos_of_client(ana.id).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.photo.data.view == "left_oblique"));
    // Close-up with a zone, into a session named by UUID.
    let session = store.session(rows[0].photo.session_id).unwrap();
    drop(store);
    let c = jpeg(&sb, "close.jpg", 200);
    let out = sb.run([
        "photo",
        "add",
        "--db",
        db_arg(&db),
        "--client",
        ANA,
        "--session",
        &session.uuid.to_string(),
        "--view",
        "close-up",
        "--zone",
        "cheeks",
        c.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("close-up (cheeks)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn refusals_are_one_line_and_change_nothing() {
    let (sb, db) = with_clients();
    let good = jpeg(&sb, "good.jpg", 1);
    let heic = sb.path("IMG_9.HEIC");
    // An ISO-BMFF "ftypheic" header, as an iPhone writes.
    let mut h = vec![0, 0, 0, 24];
    h.extend(b"ftypheic\0\0\0\0mif1heic");
    h.extend([0u8; 64]);
    std::fs::write(&heic, h).unwrap();
    let missing = sb.path("gone.jpg");
    let before = snapshot(&sb.work());

    let e = one_line_error(&add(&sb, &db, ANA, "front", &[&good, &heic]));
    assert!(e.contains("IMG_9.HEIC"), "{e}");
    assert!(e.contains("HEIC") && e.contains("JPEG"), "{e}");
    assert!(e.contains("nothing was attached"), "{e}");

    let e = one_line_error(&add(&sb, &db, "Nobody Here", "front", &[&good]));
    assert!(e.contains("Nobody Here"), "{e}");

    let e = one_line_error(&add(&sb, &db, ANA, "front", &[&good, &missing]));
    assert!(e.contains("gone.jpg") && e.contains("no such file"), "{e}");

    let e = one_line_error(&add(&sb, &db, ANA, "close-up", &[&good]));
    assert!(e.contains("--zone"), "{e}");

    // A bad view is the argument parser's: exit 2, the views listed.
    let out = add(&sb, &db, ANA, "sideways", &[&good]);
    let e = support::cli::usage_error(&out);
    assert!(e.contains("left-oblique"), "{e}");

    support::cli::assert_unchanged(&sb, &before, "refused photo adds");
    assert!(!photo_dir(&db).exists());
}

#[test]
fn an_ambiguous_name_lists_the_candidates() {
    let (sb, db) = with_clients();
    let good = jpeg(&sb, "good.jpg", 1);
    // "souza" is in both names.
    let e = one_line_error(&add(&sb, &db, "souza", "front", &[&good]));
    assert!(e.contains(ANA) && e.contains(BEA), "{e}");
    assert!(!photo_dir(&db).exists());
}

#[test]
fn a_read_only_database_gets_no_photos() {
    let (sb, db) = with_clients();
    sb.share();
    let good = jpeg(&sb, "good.jpg", 1);
    support::set_mode(&good, 0o644);
    support::set_mode(&db, 0o444);
    support::set_mode(db.parent().unwrap(), 0o755);
    let before = snapshot(&sb.work());
    let out = sb.run_as_other_user(&[
        "photo",
        "add",
        "--db",
        db_arg(&db),
        "--client",
        ANA,
        "--view",
        "front",
        good.to_str().unwrap(),
    ]);
    let e = one_line_error(&out);
    assert!(e.contains("read-only"), "{e}");
    support::cli::assert_unchanged(&sb, &before, "a photo add on a read-only database");
}

#[test]
fn erase_removes_the_clients_photo_files_and_keeps_a_file_another_client_has() {
    let (sb, db) = with_clients();
    let shared = jpeg(&sb, "shared.jpg", 5);
    let own = jpeg(&sb, "own.jpg", 6);
    assert!(
        add(&sb, &db, ANA, "front", &[&shared, &own])
            .status
            .success()
    );
    assert!(add(&sb, &db, BEA, "front", &[&shared]).status.success());
    assert_eq!(stored(&db).len(), 2);
    let out = sb.run_ok(&["erase", "--db", db_arg(&db), "--client", ANA, "--yes"]);
    assert!(out.contains("2 photos (1 file removed)"), "{out}");
    let left = stored(&db);
    assert_eq!(left.len(), 1, "{left:?}");
    let bea = read_back(&db, None);
    assert_eq!(bea.len(), 1);
    let list = sb.run_ok(&["photo", "list", "--db", db_arg(&db), "--client", BEA]);
    assert!(list.starts_with("Ana Souza-Lima: 1 photo(s)"), "{list}");
}

#[test]
fn on_an_encrypted_database_the_files_are_sealed_and_read_back_the_same() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 30);
    // Attached plain first; `encrypt` seals it.
    assert!(add(&sb, &db, ANA, "front", &[&a]).status.success());
    let plain = read_back(&db, None);
    ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    let b = sb.path("b.png");
    image::RgbImage::from_fn(20, 10, |x, y| image::Rgb([x as u8 * 9, y as u8 * 20, 7]))
        .save(&b)
        .unwrap();
    let out = with(
        &sb,
        PASS,
        &[
            "photo",
            "add",
            "--db",
            db_arg(&db),
            "--client",
            BEA,
            "--view",
            "right",
            b.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("stored encrypted"));
    let files = stored(&db);
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert!(f.to_str().unwrap().ends_with(".sealed"), "{}", f.display());
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, &[0xFF, 0xD8, 0xFF]), "{}", f.display());
        assert!(!contains(&bytes, b"\x89PNG"), "{}", f.display());
        assert_eq!(support::mode(f), 0o600);
    }
    let sealed = read_back(&db, Some(PASS));
    assert!(
        sealed.contains(&plain[0]),
        "the encrypted copy reads back the same"
    );
    assert!(keys(&db, Some(PASS)).iter().all(Option::is_some));
    let list = with(
        &sb,
        PASS,
        &["photo", "list", "--db", db_arg(&db), "--client", ANA],
    );
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(stdout(&list).contains("sealed"));

    // rekey: every file a new key, the old files gone.
    let keys_before = keys(&db, Some(PASS));
    let out = sb
        .cmd()
        .args(["rekey", "--db", db_arg(&db)])
        .env("NEEDLELOG_PASSPHRASE", PASS)
        .env("NEEDLELOG_NEW_PASSPHRASE", "another passphrase")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let keys_after = keys(&db, Some("another passphrase"));
    assert_eq!(keys_after.len(), 2);
    for k in &keys_after {
        assert!(k.is_some() && !keys_before.contains(k));
    }
    assert_eq!(
        stored(&db).len(),
        2,
        "old sealed files removed: {:?}",
        stored(&db)
    );
    assert_eq!(read_back(&db, Some("another passphrase")), sealed);

    // decrypt DEST: plain files in DEST's own folder, no keys in its rows.
    let dest = sb.path("plain.db");
    let out = sb
        .cmd()
        .args([
            "decrypt",
            "--db",
            db_arg(&db),
            "--yes",
            dest.to_str().unwrap(),
        ])
        .env("NEEDLELOG_PASSPHRASE", "another passphrase")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(keys(&dest, None).iter().all(Option::is_none));
    assert_eq!(read_back(&dest, None), sealed);
    let plain_files = stored(&dest);
    assert_eq!(plain_files.len(), 2);
    assert!(
        plain_files
            .iter()
            .all(|f| !f.to_str().unwrap().ends_with(".sealed"))
    );
    // The encrypted database keeps its sealed files.
    assert_eq!(stored(&db).len(), 2);
    assert!(
        stored(&db)
            .iter()
            .all(|f| f.to_str().unwrap().ends_with(".sealed"))
    );
}

#[test]
fn encrypt_leaves_no_plain_photo_file_behind() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 30);
    let b = jpeg(&sb, "b.jpg", 31);
    assert!(add(&sb, &db, ANA, "front", &[&a, &b]).status.success());
    let plain = read_back(&db, None);
    let out = ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    assert!(
        stdout(&out).contains("2 photo files sealed"),
        "{}",
        stdout(&out)
    );
    let files = stored(&db);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.to_str().unwrap().ends_with(".sealed"))
    );
    assert_eq!(read_back(&db, Some(PASS)), plain);
    let out = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn check_reports_missing_damaged_and_unreferenced_photo_files() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 40);
    let b = jpeg(&sb, "b.jpg", 41);
    assert!(add(&sb, &db, ANA, "front", &[&a, &b]).status.success());
    let ok = sb.run_ok(&["check", "--db", db_arg(&db)]);
    assert!(ok.contains("2 photos (2 files)"), "{ok}");

    let files = stored(&db);
    // Damaged: one byte flipped.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    bytes[200] ^= 0x01;
    std::fs::write(&files[0], bytes).unwrap();
    let out = sb.run(["check", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("damaged"), "{}", stdout(&out));

    // Missing.
    std::fs::remove_file(&files[0]).unwrap();
    let out = sb.run(["check", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("missing"), "{}", stdout(&out));

    // Unreferenced: a file no row names (put back the one missing, add one).
    let stray = photo_dir(&db).join(format!("{}.jpg", "ab".repeat(32)));
    std::fs::write(&stray, b"stray").unwrap();
    let out = sb.run(["check", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("unreferenced") && text.contains(&"ab".repeat(32)),
        "{text}"
    );
    assert!(text.contains("missing"), "{text}");
}

#[test]
fn backup_carries_the_photos_and_restore_puts_them_back() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 50);
    let b = jpeg(&sb, "b.jpg", 51);
    assert!(add(&sb, &db, ANA, "front", &[&a, &b]).status.success());
    let plain = read_back(&db, None);
    let copy = sb.path("copy.db");
    let out = sb.run(["backup", "--db", db_arg(&db), copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), copy.to_str().unwrap());
    assert!(
        stderr(&out).contains("2 photo files copied"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stored(&copy).len(), 2);
    assert_eq!(support::mode(&photo_dir(&copy)), 0o700);

    std::fs::remove_dir_all(photo_dir(&db)).unwrap();
    assert_eq!(
        sb.run(["check", "--db", db_arg(&db)]).status.code(),
        Some(1)
    );
    let out = sb.run_ok(&["restore", "--db", db_arg(&db), copy.to_str().unwrap()]);
    assert!(out.contains("2 photo files"), "{out}");
    assert_eq!(read_back(&db, None), plain);
    sb.run_ok(&["check", "--db", db_arg(&db)]);
    // The backup's own folder is left as it was.
    assert_eq!(stored(&copy).len(), 2);
}

#[test]
fn an_encrypted_backup_keeps_its_files_sealed_with_the_same_keys() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 60);
    ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    let out = with(
        &sb,
        PASS,
        &[
            "photo",
            "add",
            "--db",
            db_arg(&db),
            "--client",
            ANA,
            "--view",
            "front",
            a.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let copy = sb.path("copy.db");
    ok_with(
        &sb,
        PASS,
        &["backup", "--db", db_arg(&db), copy.to_str().unwrap()],
    );
    // The same name (hash and key id), sealed, and the same keys in the rows.
    assert_eq!(stored(&copy)[0].file_name(), stored(&db)[0].file_name());
    assert!(!contains(
        &std::fs::read(&stored(&copy)[0]).unwrap(),
        &[0xFF, 0xD8, 0xFF]
    ));
    assert_eq!(keys(&copy, Some(PASS)), keys(&db, Some(PASS)));
    std::fs::remove_dir_all(photo_dir(&db)).unwrap();
    ok_with(
        &sb,
        PASS,
        &["restore", "--db", db_arg(&db), copy.to_str().unwrap()],
    );
    assert_eq!(read_back(&db, Some(PASS)).len(), 1);
    let out = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// An `encrypt` that stopped after the database was encrypted and before
/// the photos were sealed leaves plain files that rows name without keys:
/// every photo still opens, `check` says so, and `rekey` seals them.
#[test]
fn photos_left_plain_by_an_interrupted_encrypt_are_reported_and_rekey_seals_them() {
    let (sb, db) = with_clients();
    let a = jpeg(&sb, "a.jpg", 70);
    assert!(add(&sb, &db, ANA, "front", &[&a]).status.success());
    let plain = read_back(&db, None);
    let plain_file = stored(&db).remove(0);
    let plain_bytes = std::fs::read(&plain_file).unwrap();
    ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    // Back to the state of the interruption: the plain file, no keys.
    let sealed_file = stored(&db).remove(0);
    std::fs::write(&plain_file, &plain_bytes).unwrap();
    cipher::remember(&db, pass(PASS));
    let mut store = Store::open(&db).unwrap();
    let hash = store.photo_files().unwrap().remove(0).sha256;
    store.set_photo_keys(&[(hash, None)]).unwrap();
    drop(store);
    cipher::forget(&db);
    std::fs::remove_file(&sealed_file).unwrap();
    assert_eq!(read_back(&db, Some(PASS)), plain, "the photo still opens");

    let out = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("rekey"), "{}", stdout(&out));

    let out = sb
        .cmd()
        .args(["rekey", "--db", db_arg(&db)])
        .env("NEEDLELOG_PASSPHRASE", PASS)
        .env("NEEDLELOG_NEW_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 photo files given new keys"));
    let files = stored(&db);
    assert_eq!(files.len(), 1);
    assert!(files[0].to_str().unwrap().ends_with(".sealed"));
    assert_eq!(read_back(&db, Some(PASS)), plain);
    let out = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert!(out.status.success(), "{}", stdout(&out));
}
