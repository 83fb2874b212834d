//! The settings file through the command line: where it is read from,
//! `config path|show|check|init|edit`, its errors by line and column, and
//! what the settings change in exports and renders.

mod support;

use std::path::PathBuf;
use support::cli::{Sandbox, one_line_error, stderr};

/// Where the settings live in a sandbox with no `--config`: the platform
/// config folder under its own `HOME`.
fn usual(env: &Sandbox) -> PathBuf {
    env.home().join(".config/needlelog/config.toml")
}

fn write(env: &Sandbox, name: &str, text: &str) -> String {
    let p = env.path(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const CLINIC: &str = "[clinic]\nname = \"Skin Studio\"\npractitioner = \"Dr Jo Park\"\n\
                      contact = \"020 7946 0000, desk@skin.example\"\n";

#[test]
fn no_file_means_the_built_in_defaults() {
    let env = Sandbox::new();
    let path = env.run_ok(&["config", "path"]);
    assert_eq!(
        path,
        format!("{}  (no file: built-in defaults)\n", usual(&env).display())
    );
    let out = env.run(["config", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("built-in defaults are in effect"));
    let shown = env.run_ok(&["config", "show"]);
    assert!(shown.starts_with("# needlelog settings in effect, read from: built-in defaults"));
    assert!(shown.contains("isotretinoin_months = 6  # built-in"));
    assert!(!shown.contains("# from file"));
    // Reading never writes.
    assert!(!usual(&env).exists());
}

#[test]
fn init_writes_every_default_that_check_accepts_and_never_overwrites() {
    let env = Sandbox::new();
    let out = env.run(["config", "init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(usual(&env)).unwrap();
    for key in [
        "[clinic]",
        "[defaults.series.acne_scars]",
        "planned_sessions = 4",
        "isotretinoin_months = 6",
        "prolonged_erythema_days = 7",
        "consent_renewal_months = 12",
        "serum_cautions = [\"vitamin c\", \"ascorbic acid\"",
        "recent_procedure_days = 14",
        "[rules.acne_scar_depth]",
        "cheeks = [0.5, 2.0]",
        "[keys]",
        "[theme]",
    ] {
        assert!(text.contains(key), "init lacks {key}:\n{text}");
    }
    let out = env.run(["config", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).ends_with("config.toml: settings are valid\n"));
    // Every value the file holds is now "from file".
    let shown = env.run_ok(&["config", "show"]);
    assert!(!shown.contains("# built-in"), "{shown}");

    std::fs::write(usual(&env), "[clinic]\nname = \"Mine\"\n").unwrap();
    let err = one_line_error(&env.run(["config", "init"]));
    assert!(err.contains("already exists; not overwritten"), "{err}");
    assert_eq!(
        std::fs::read_to_string(usual(&env)).unwrap(),
        "[clinic]\nname = \"Mine\"\n"
    );
}

#[test]
fn every_mistake_is_one_line_naming_file_line_and_column() {
    let env = Sandbox::new();
    let cases = [
        (
            "[clinic]\nname = \"A\"\nphone = \"1\"\n",
            "3:1: unknown field `phone`",
        ),
        (
            "[rules]\n\nisotretinoin_months = 99\n",
            "3:23: 99 is out of range: months are 0 to 36",
        ),
        (
            "[rules]\nprolonged_erythema_days = 0\n",
            "2:27: 0 is out of range",
        ),
        (
            "[rules]\nrecent_procedure_days = 91\n",
            "2:25: 91 is out of range: days after a procedure are 0 to 90",
        ),
        (
            "[rules.depth]\nneck = [0.6, 0.3]\n",
            "2:8: depth range [0.6, 0.3]",
        ),
        (
            "[rules]\nconsent_renewal_months = 200\n",
            "2:26: 200 is out of range: months are 1 to 120",
        ),
        (
            "[rules]\nserum_cautions = [\"fragrance\", \"\"]\n",
            "2:18: serum caution \"\": a word or phrase of one line",
        ),
        (
            "[rules.depth]\nknee = [0.6, 0.8]\n",
            "2:1: unknown variant `knee`",
        ),
        (
            "[defaults.series.acne_scars]\ninterval_min_days = 3\n",
            "2:21: 3 is out of range",
        ),
        (
            "[defaults.series.acne_scars]\noutcome_scale = \"stars\"\n",
            "2:17: unknown variant `stars`",
        ),
        (
            "[defaults]\nseries.warts.planned_sessions = 3\n",
            "2:8: unknown variant `warts`",
        ),
        ("[colours]\n", "1:2: unknown field `colours`"),
        ("[theme]\npalette = 3\n", "2:11: invalid type"),
        ("[clinic\n", "1:8:"),
        // Keys and colours are read by the key table and the palette; the
        // file gives the line of the entry they name.
        (
            "[keys]\nquit = \"Q\"\n\nsave = \"not a key\"\n",
            "4:1: [keys] ",
        ),
        ("[keys]\n  dance = \"d\"\n", "2:3: [keys] "),
        ("[theme]\npalette = \"neon\"\n", "2:1: [theme] "),
        (
            "[theme]\npalette = \"light\"\n\n[theme.colors]\nerror = \"mauve-ish\"\n",
            "5:1: [theme.colors] ",
        ),
    ];
    for (text, want) in cases {
        let file = write(&env, "bad.toml", text);
        let err = one_line_error(&env.run(["--config", &file, "config", "check"]));
        assert!(
            err.starts_with(&format!("needlelog: {file}:{want}")),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn a_bad_file_stops_every_command_that_reads_settings() {
    let env = Sandbox::with_demo(2);
    let file = write(&env, "bad.toml", "[rules]\nisotretinoin_months = -1\n");
    let db = env.db();
    let db = db.to_str().unwrap();
    for args in [
        vec!["--config", &file, "export", "--db", db, "--format", "md"],
        vec![
            "--config", &file, "render", "--db", db, "--screen", "clients",
        ],
        vec!["--config", &file, "config", "show"],
        // The interface: the file is read before anything else.
        vec!["--config", &file, "--db", db],
    ] {
        let err = one_line_error(&env.run(&args));
        assert!(
            err.contains("bad.toml:2:23: -1 is out of range"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn the_flag_wins_over_the_variable_which_wins_over_the_usual_place() {
    let env = Sandbox::new();
    std::fs::create_dir_all(usual(&env).parent().unwrap()).unwrap();
    std::fs::write(usual(&env), "[clinic]\nname = \"Usual\"\n").unwrap();
    let from_env = write(&env, "env.toml", "[clinic]\nname = \"Env\"\n");
    let from_flag = write(&env, "flag.toml", "[clinic]\nname = \"Flag\"\n");
    let name = |out: std::process::Output| {
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .find(|l| l.starts_with("name = "))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        name(env.run(["config", "show"])),
        "name = \"Usual\"  # from file"
    );
    let with_env = env
        .cmd()
        .env("NEEDLELOG_CONFIG", &from_env)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(name(with_env), "name = \"Env\"  # from file");
    let both = env
        .cmd()
        .env("NEEDLELOG_CONFIG", &from_env)
        .args(["--config", &from_flag, "config", "show"])
        .output()
        .unwrap();
    assert_eq!(name(both), "name = \"Flag\"  # from file");
    assert_eq!(
        env.run_ok(&["--config", &from_flag, "config", "path"]),
        format!("{from_flag}\n")
    );
    // A file that was named must be there: a typo never means defaults.
    let err = one_line_error(&env.run(["--config", "nope.toml", "config", "check"]));
    assert!(err.contains("nope.toml: no settings file there"), "{err}");
    let err = one_line_error(
        &env.cmd()
            .env("NEEDLELOG_CONFIG", "")
            .args(["config", "show"])
            .output()
            .unwrap(),
    );
    assert!(err.contains("NEEDLELOG_CONFIG is empty"), "{err}");
}

#[test]
fn edit_opens_the_editor_then_checks() {
    let env = Sandbox::new();
    let file = write(&env, "mine.toml", "[clinic]\nname = \"A\"\n");
    // An "editor" that appends a mistake.
    let editor = write(
        &env,
        "editor.sh",
        "#!/bin/sh\nprintf 'oops = 1\\n' >> \"$1\"\n",
    );
    std::process::Command::new("chmod")
        .args(["+x", &editor])
        .status()
        .unwrap();
    let out = env
        .cmd()
        .env("VISUAL", &editor)
        .args(["--config", &file, "config", "edit"])
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("mine.toml:3:1: unknown field `oops`"), "{err}");
    let fresh = env.path("new.toml");
    let out = env
        .cmd()
        .env_remove("VISUAL")
        .env("EDITOR", "true")
        .args(["--config", fresh.to_str().unwrap(), "config", "edit"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&fresh).unwrap().contains("[rules]"));
}

#[test]
fn the_clinic_is_named_in_reports_and_calendar_events() {
    let env = Sandbox::with_demo(10);
    let file = write(&env, "clinic.toml", CLINIC);
    let md = env.export_text(&["--config", &file, "--format", "md"]);
    let plain = md.replace('\\', "");
    assert!(
        plain.contains("**Skin Studio · Dr Jo Park · 020 7946 0000, desk@skin.example**"),
        "{md}"
    );
    assert!(plain.contains("Contact Skin Studio (020 7946 0000, desk@skin.example) if redness"));
    let html = env.export_text(&["--config", &file, "--format", "html"]);
    assert!(html.contains(
        "<p class=\"clinic\">Skin Studio · Dr Jo Park · 020 7946 0000, desk@skin.example</p>"
    ));
    assert!(html.contains("Contact Skin Studio (020 7946 0000, desk@skin.example) if redness"));
    let ics = env.export_text(&["--config", &file, "--format", "ics"]);
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("ORGANIZER;CN=\"Dr Jo Park\":mailto:desk@skin.example\r\n"));
    assert!(unfolded.contains("\\nSkin Studio · Dr Jo Park · 020 7946 0000\\, desk@skin.example"));
    // Without settings, no clinic.
    let bare = env.export_text(&["--format", "html"]);
    assert!(!bare.contains("class=\"clinic\"") && bare.contains("Contact the clinic"));
    assert!(!env.export_text(&["--format", "ics"]).contains("ORGANIZER"));
}

#[test]
fn the_help_overlay_names_the_settings_in_use() {
    let env = Sandbox::with_demo(2);
    let db = env.db();
    let db = db.to_str().unwrap();
    let render = |more: &[&str]| {
        let mut args = vec!["render", "--db", db, "--screen", "help", "--size", "120x40"];
        args.extend_from_slice(more);
        env.run_ok(&args)
    };
    assert!(render(&[]).contains("settings: built-in defaults"));
    let file = write(&env, "c.toml", CLINIC);
    assert!(render(&["--config", &file]).contains(&format!("settings: {file}")));
}

#[test]
fn the_prolonged_erythema_threshold_decides_the_report_flag() {
    use needlelog::domain::{ClientDraft, Concern, Days, Followup, SeriesDraft, SessionDraft};
    let env = Sandbox::new();
    let mut store = env.store();
    let series = SeriesDraft::new(Concern::AcneScars, support::date(2026, 9, 1));
    let client = store
        .create_client(&ClientDraft::named("Ana Souza"), Some(&series))
        .unwrap();
    let s = store.series_of(client.id).unwrap()[0].id;
    let x = store
        .create_session(s, &SessionDraft::at(support::at("2026-09-01 10:00")))
        .unwrap();
    let followup = Followup {
        redness_days: Some(Days::parse("redness", "5").unwrap()),
        ..Followup::default()
    };
    store.set_followup(x.id, &followup).unwrap();
    drop(store);
    let flag = "prolonged erythema (redness for 5 days)";
    let md = env.export_text(&["--format", "md"]);
    assert!(!md.contains(flag), "{md}");
    let file = write(&env, "r.toml", "[rules]\nprolonged_erythema_days = 4\n");
    let md = env.export_text(&["--config", &file, "--format", "md"]);
    assert!(md.contains(flag), "{md}");
    let html = env.export_text(&["--config", &file, "--format", "html"]);
    assert!(html.contains(flag) && html.contains("redness past 4 days: prolonged"));
}

/// The example in README's "Settings" is a valid file, and says what it sets.
#[test]
fn the_readme_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Settings")
        .nth(1)
        .expect("a Settings section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a TOML example");
    let (s, _) = needlelog::config::parse(example, "README.md").unwrap();
    assert_eq!(s.clinic.name, "Skin Studio");
    assert_eq!(s.rules().isotretinoin_months, 6);
    assert_eq!(s.rules().recent_procedure_days, 10);
    assert_eq!(
        s.defaults
            .series_plan(needlelog::domain::Concern::AcneScars)
            .planned_sessions,
        6
    );
    assert_eq!(s.theme.palette.as_deref(), Some("light"));
    for cmd in ["path", "show", "check", "init", "edit"] {
        assert!(
            section.contains(&format!("needlelog config {cmd}")),
            "{cmd}"
        );
    }
}

#[test]
fn render_opens_forms_with_the_settings() {
    let env = Sandbox::with_demo(2);
    let db = env.db();
    let db = db.to_str().unwrap();
    let file = write(
        &env,
        "d.toml",
        "[rules.depth]\nperiorbital = [0.15, 0.25]\nforehead = [0.3, 0.45]\ncheeks = [0.6, 0.9]\nnose = [0.3, 0.7]\nneck = [0.3, 0.45]\n",
    );
    let args = [
        "render", "--db", db, "--screen", "session", "--size", "200x50",
    ];
    let bare = env.run_ok(&args);
    let mut with = args.to_vec();
    with.extend(["--config", &file]);
    let set = env.run_ok(&with);
    // The depth hint beside the depth field follows [rules.depth].
    let hint = |s: &str| {
        s.lines()
            .find(|l| l.contains("usual:"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert_ne!(hint(&bare), hint(&set), "{set}");
    assert!(!hint(&set).is_empty(), "{set}");
}

#[test]
fn remapped_keys_and_the_light_palette_reach_the_screen() {
    let env = Sandbox::with_demo(3);
    let db = env.db();
    let db = db.to_str().unwrap();
    let file = write(
        &env,
        "keys.toml",
        "[keys]\nadd_client = \"+\"\n\n[theme]\npalette = \"light\"\n",
    );
    let render = |more: &[&str]| {
        let mut args = vec![
            "render", "--db", db, "--screen", "clients", "--size", "120x30",
        ];
        args.extend_from_slice(more);
        env.run_ok(&args)
    };
    let plain = render(&[]);
    assert!(plain.contains(" a add "), "{plain}");
    let remapped = render(&["--config", &file]);
    assert!(remapped.contains(" + add "), "{remapped}");
    assert!(!remapped.contains(" a add "), "{remapped}");
    // The light palette draws on a white background.
    let svg = render(&["--config", &file, "--format", "svg"]);
    assert!(svg.contains("fill=\"#ffffff\""), "light background");
    let dark = render(&["--format", "svg"]);
    assert!(!dark.contains("fill=\"#ffffff\""), "dark background");
}
