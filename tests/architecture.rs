//! The layers point down: `ui` draws `app`'s state, `app` never looks up
//! into `ui` or the terminal loop, and the domain's modules do not depend
//! on each other in a circle. Read from the source tree, so a stray `use`
//! fails here rather than in review.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// Lines of code (not comments) that mention `needle`.
fn code_lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("//") && l.contains(needle)
        })
        .collect()
}

#[test]
fn app_never_imports_ui_or_the_terminal_loop() {
    let mut offenders = Vec::new();
    for (path, text) in sources(&root().join("app")) {
        for needle in ["crate::ui", "crate::tui"] {
            for line in code_lines_with(&text, needle) {
                offenders.push(format!("{}: {}", path.display(), line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "app depends on ui/tui:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn domain_modules_form_no_cycle() {
    let dir = root().join("domain");
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let modules: Vec<String> = sources(&dir)
        .iter()
        .filter_map(|(p, _)| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|m| m != "mod")
        .collect();
    for (path, text) in sources(&dir) {
        let me = path.file_stem().unwrap().to_string_lossy().into_owned();
        if me == "mod" {
            continue;
        }
        // Test modules may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for m in &modules {
            if m != &me
                && code_lines_with(code, &format!("super::{m}")).len()
                    + code_lines_with(code, &format!("domain::{m}")).len()
                    > 0
            {
                deps.entry(me.clone()).or_default().insert(m.clone());
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        m: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in deps.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, deps, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in &modules {
        if let Some(cycle) = visit(m, &deps, &mut Vec::new(), &mut done) {
            panic!(
                "domain modules depend on each other in a circle: {}",
                cycle.join(" → ")
            );
        }
    }
    // The edges this test exists for.
    assert!(deps["zones"].contains("concern") && !deps["zones"].contains("series"));
}

#[test]
fn no_unsafe_of_our_own() {
    let mut found = Vec::new();
    for (path, text) in sources(&root()) {
        for line in code_lines_with(&text, "unsafe") {
            found.push(format!("{}: {}", path.display(), line.trim()));
        }
    }
    assert!(found.is_empty(), "unsafe in src:\n{}", found.join("\n"));
}

#[test]
fn the_terminal_loop_changes_state_only_through_actions() {
    let text = fs::read_to_string(root().join("tui.rs")).unwrap();
    let writes: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("//")
                && t.starts_with("state.")
                && t.split_once(" = ")
                    .is_some_and(|(lhs, _)| !lhs.contains('('))
        })
        .collect();
    assert!(
        writes.is_empty(),
        "tui.rs writes State directly:\n{}",
        writes.join("\n")
    );
}

#[test]
fn the_headless_renderer_does_not_depend_on_the_terminal_loop() {
    for (path, text) in sources(&root().join("screenshot")) {
        assert!(
            code_lines_with(&text, "crate::tui").is_empty(),
            "{} uses the terminal loop",
            path.display()
        );
    }
}
