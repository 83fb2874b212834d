//! Photos in upkeep (issue 17): sealed files on an encrypted database and
//! `encrypt`/`decrypt`/`rekey` converting them, `check` finding missing,
//! damaged and unreferenced files, `backup`/`restore` carrying them.
#![cfg(unix)]

mod support;

use needlelog::db::Store;
use needlelog::db::cipher;
use needlelog::photo::photo_dir;
use support::cipher::{PASS, ok_with, pass, with};
use support::cli::{stderr, stdout};
use support::photos::*;

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

/// After `encrypt`: a plain copy of a photo beside its sealed file is a
/// leftover (`check` names it, `encrypt` run again removes it); a sealed
/// file lost while a plain copy with the right bytes is there is sealed
/// again from that copy. Nothing else to do: `encrypt` says the database
/// is encrypted already.
#[test]
fn encrypt_run_again_removes_plain_leftovers_and_reseals_from_a_plain_copy() {
    let (sb, db) = with_clients();
    let (a, b) = (jpeg(&sb, "a.jpg", 40), jpeg(&sb, "b.jpg", 120));
    assert!(add(&sb, &db, ANA, "front", &[&a, &b]).status.success());
    let plain_files = stored(&db);
    let plain_bytes: Vec<Vec<u8>> = plain_files
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let photos = read_back(&db, None);
    ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    let sealed = stored(&db);
    assert_eq!(sealed.len(), 2);
    // Both plain files back; the first photo's sealed file gone.
    for (f, bytes) in plain_files.iter().zip(&plain_bytes) {
        std::fs::write(f, bytes).unwrap();
    }
    let lost = sealed
        .iter()
        .find(|s| {
            let name = s.file_name().unwrap().to_str().unwrap();
            let first = plain_files[0].file_stem().unwrap().to_str().unwrap();
            name.starts_with(first)
        })
        .unwrap();
    std::fs::remove_file(lost).unwrap();
    // And a write cut short by a kill: a temporary file with plain bytes.
    let partial = photo_dir(&db).join(".tmp-AbC123.part");
    std::fs::write(&partial, &plain_bytes[1][..100]).unwrap();
    let out = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("photo file missing"), "{text}");
    assert!(text.contains("leftover photo file"), "{text}");
    assert!(stderr(&out).contains("`needlelog encrypt` (run again)"));

    // Not while another program has the database open: one line, and
    // every file stays.
    cipher::remember(&db, pass(PASS));
    let other = Store::open(&db).unwrap();
    let before = stored(&db);
    let busy = with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(
        stderr(&busy).contains("open in another program"),
        "{}",
        stderr(&busy)
    );
    assert_eq!(stored(&db), before);
    drop(other);
    cipher::forget(&db);

    let out = ok_with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    assert_eq!(
        stdout(&out),
        format!(
            "finished encrypting {}: 1 photo files sealed, 3 files the photos no longer need \
             removed\n",
            db.display()
        )
    );
    assert!(!partial.exists());
    let now = stored(&db);
    assert_eq!(now.len(), 2, "{now:?}");
    assert!(now.iter().all(|f| f.to_str().unwrap().ends_with(".sealed")));
    assert_eq!(read_back(&db, Some(PASS)), photos);
    ok_with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    let again = with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already encrypted"));
}

/// A photo file missing before `encrypt`: the database is encrypted and
/// every other photo sealed all the same; the missing one is named, the
/// exit status is 1, and its row is left as it was for `check` to list.
#[test]
fn encrypt_with_a_missing_photo_file_seals_the_rest_and_says_so() {
    let (sb, db) = with_clients();
    let (a, b) = (jpeg(&sb, "a.jpg", 40), jpeg(&sb, "b.jpg", 120));
    assert!(add(&sb, &db, ANA, "front", &[&a, &b]).status.success());
    let gone = stored(&db).remove(0);
    std::fs::remove_file(&gone).unwrap();
    let out = with(&sb, PASS, &["encrypt", "--db", db_arg(&db)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 photo files sealed"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(err.contains(gone.to_str().unwrap()), "{err}");
    assert!(err.contains("were not given new keys"), "{err}");
    assert_eq!(cipher::kind(&db).unwrap(), cipher::Kind::Encrypted);
    let files = stored(&db);
    assert_eq!(files.len(), 1);
    assert!(files[0].to_str().unwrap().ends_with(".sealed"));
    let check = with(&sb, PASS, &["check", "--db", db_arg(&db)]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains(&format!("photo file missing: {}", gone.display())),
        "{}",
        stdout(&check)
    );
}
