//! `needlelog completions` and `needlelog man`, run as a user would: the
//! bash script is sourced and asked to complete, the manual page goes
//! through groff, and every command the program has must be in both.

mod support;

use clap::CommandFactory;
use std::process::Stdio;
use support::cli::{Sandbox, assert_installed, needlelog, one_line_error, stdout, usage_error};

/// The names of the program's commands, from its own definitions.
fn commands() -> Vec<String> {
    needlelog::cli::Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

fn generated(args: &[&str]) -> String {
    let sb = Sandbox::new();
    let out = needlelog(&sb.home()).args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// What bash offers after the words typed so far (the last one may be
/// partial), by sourcing the script and calling its function the way
/// bash's completion does.
fn bash_offers(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _needlelog needlelog '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words.get(words.len().wrapping_sub(2)).unwrap_or(&""),
    );
    let out = std::process::Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &program])
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_commands_formats_and_flags() {
    assert_installed("bash", "bash runs the generated completion script");
    let sb = Sandbox::new();
    let script = sb.dir.path().join("needlelog.bash");
    std::fs::write(&script, generated(&["completions", "bash"])).unwrap();

    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );

    let all = bash_offers(&script, &["needlelog", ""]);
    for name in commands() {
        assert!(all.contains(&name), "{name} not offered: {all:?}");
    }
    assert_eq!(bash_offers(&script, &["needlelog", "exp"]), ["export"]);
    let formats = bash_offers(&script, &["needlelog", "export", "--format", ""]);
    for f in ["csv", "json", "md", "html", "ics", "xlsx"] {
        assert!(formats.contains(&f.to_string()), "{f}: {formats:?}");
    }
    let flags = bash_offers(&script, &["needlelog", "import", "--"]);
    assert!(flags.contains(&"--clients".to_string()), "{flags:?}");
    assert!(flags.contains(&"--skip-unknown".to_string()), "{flags:?}");
}

#[test]
fn zsh_and_fish_scripts_name_every_command() {
    let zsh = generated(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef needlelog"),
        "{}",
        &zsh[..80.min(zsh.len())]
    );
    let fish = generated(&["completions", "fish"]);
    for name in commands() {
        assert!(zsh.contains(&format!("'{name}:")), "zsh lacks {name}");
        assert!(
            fish.contains(&format!("-a \"{name}\"")),
            "fish lacks {name}"
        );
    }
    // Paths complete as files in both.
    assert!(
        zsh.contains("--db=[") && zsh.contains(":_files"),
        "zsh --db"
    );
    assert!(fish.contains("-l db") && fish.contains("-F"), "fish --db");
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    let sb = Sandbox::new();
    let out = needlelog(&sb.home())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    let err = usage_error(&out);
    assert!(
        err.contains("bash") && err.contains("zsh") && err.contains("fish"),
        "{err}"
    );
}

#[test]
fn the_manual_page_renders_and_lists_commands_environment_and_files() {
    assert_installed("groff", "groff checks the manual page");
    let page = generated(&["man"]);
    assert!(
        page.contains(".TH needlelog 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert_eq!(page.matches(".ds Aq").count(), 2, "the preamble once");

    let sb = Sandbox::new();
    let file = sb.dir.path().join("needlelog.1");
    std::fs::write(&file, &page).unwrap();
    // -ww: every warning; -z: no output, only the check.
    let groff = std::process::Command::new("groff")
        .args(["-man", "-ww", "-z"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(groff.status.success());
    assert!(
        groff.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&groff.stderr)
    );
    let text = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-P-cbou"])
        .arg(&file)
        .output()
        .unwrap();
    let text = stdout(&text);
    for heading in ["SUBCOMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    for name in commands() {
        assert!(
            text.contains(&format!("needlelog-{name}(1)")),
            "{name}:\n{text}"
        );
    }
    for (var, _) in needlelog::cli::ENVIRONMENT {
        assert!(text.contains(var), "{var}:\n{text}");
    }
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let sb = Sandbox::new();
    let dir = sb.dir.path().join("man1");
    let out = needlelog(&sb.home())
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for name in commands() {
        let page = std::fs::read_to_string(dir.join(format!("needlelog-{name}.1")))
            .unwrap_or_else(|e| panic!("needlelog-{name}.1: {e}"));
        assert!(page.contains(&format!(".TH needlelog-{name} 1")), "{name}");
    }
    let top = std::fs::read_to_string(dir.join("needlelog.1")).unwrap();
    assert!(top.contains(".SH ENVIRONMENT"));
    let export = std::fs::read_to_string(dir.join("needlelog-export.1")).unwrap();
    assert!(export.contains("xlsx"), "export's page lists its formats");
    assert!(
        stdout(&out).contains("needlelog-export.1"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn man_dir_that_cannot_be_made_is_one_line() {
    let sb = Sandbox::new();
    let file = sb.dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = needlelog(&sb.home())
        .args(["man", "--dir"])
        .arg(file.join("man1"))
        .output()
        .unwrap();
    let line = one_line_error(&out);
    assert!(line.contains("cannot write the manual pages"), "{line}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}
