//! `needlelog render --format png`: the real render code, rasterised in
//! process. Needs DejaVu Sans Mono (Debian: fonts-dejavu-core; .ci/run
//! installs it).

mod support;

use assert_cmd::Command;
use support::cli::Sandbox;

/// `render` of one screen of `db` at a size, in a format, at 10:00 on the
/// fixtures' day.
fn render(sb: &Sandbox, db: &str, screen: &str, size: &str, format: &str) -> Command {
    let mut cmd = sb.cmd();
    cmd.args(["render", "--db", db, "--screen", screen, "--size", size])
        .args(["--format", format, "--now", "2026-11-21 10:00"]);
    cmd
}

#[test]
fn every_screen_renders_to_a_png_of_the_terminal_size() {
    let (sb, db) = Sandbox::with_demo_db("demo.db", 30, 1);
    let db = db.to_str().unwrap();
    for screen in ["clients", "client", "session", "chart", "help", "export"] {
        let out = sb.path(&format!("{screen}.png"));
        render(&sb, db, screen, "100x30", "png")
            .args(["-o", out.to_str().unwrap()])
            .assert()
            .success();
        let png = std::fs::read(&out).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{screen}");
        // IHDR: width and height in pixels, 8.4 × 17 per cell.
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((w, h), (840, 510), "{screen}");
        assert!(png.len() > 10_000, "{screen}: a picture with text in it");
    }
    // Same inputs, same picture.
    let again = sb.path("again.png");
    render(&sb, db, "chart", "100x30", "png")
        .args(["-o", again.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(sb.path("chart.png")).unwrap()
    );
}

#[test]
fn svg_and_text_come_from_the_same_frame() {
    let (sb, db) = Sandbox::with_demo_db("demo.db", 10, 2);
    let db = db.to_str().unwrap();
    let clients = |format: &str| {
        let out = render(&sb, db, "clients", "90x24", format)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = clients("txt");
    let svg = clients("svg");
    assert!(svg.starts_with("<svg"));
    // Every client name on the text screen is in the SVG's text.
    let first = text.lines().nth(3).unwrap();
    let name: String = first
        .trim_start_matches('│')
        .split("  ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    assert!(!name.is_empty());
    assert!(
        svg.contains(&needlelog::export::xml_escape(&name)),
        "{name}"
    );
}
