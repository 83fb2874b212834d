//! The settings as TOML text: `config show` (effective values, each marked
//! as from the file or built-in) and `config init` (every default, with
//! what it does). Both read back as the same settings.

use super::{Loaded, Settings};
use crate::domain::rules::ACNE_SCAR_ZONES;
use crate::domain::{Concern, DepthHint, Zone};
use std::fmt::Write;
use strum::VariantArray;

/// How each value is annotated.
#[derive(Clone, Copy)]
enum Mode<'a> {
    /// `config init`: no marks.
    Init,
    /// `config show`: "from file" or "built-in", by the file's own table.
    Show(Option<&'a toml::Table>),
}

struct Out<'a> {
    text: String,
    mode: Mode<'a>,
}

impl Out<'_> {
    fn comment(&mut self, c: &str) {
        let _ = writeln!(self.text, "{}", format!("# {c}").trim_end());
    }

    fn section(&mut self, name: &str, about: &str) {
        let _ = writeln!(self.text, "\n[{name}]");
        if !about.is_empty() {
            self.comment(about);
        }
    }

    /// `key = value`, marked by where it came from in `config show`.
    fn value(&mut self, path: &[&str], key: &str, value: String) {
        let mark = match self.mode {
            Mode::Init => String::new(),
            Mode::Show(table) => {
                let set = table.is_some_and(|t| {
                    let mut at = t;
                    for p in path {
                        match at.get(*p).and_then(toml::Value::as_table) {
                            Some(next) => at = next,
                            None => return false,
                        }
                    }
                    at.contains_key(key)
                });
                if set { "  # from file" } else { "  # built-in" }.to_string()
            }
        };
        let _ = writeln!(self.text, "{key} = {value}{mark}");
    }
}

fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn range(h: DepthHint) -> String {
    let [a, b]: [f64; 2] = super::MmRange(h).into();
    format!("[{a:?}, {b:?}]")
}

fn name<T: Copy + Into<&'static str>>(v: T) -> &'static str {
    v.into()
}

/// The effective settings with each value marked "from file" or "built-in".
pub fn show_text(loaded: &Loaded) -> String {
    let head = format!(
        "# needlelog settings in effect, read from: {}",
        loaded.source_text()
    );
    render(&loaded.settings, Mode::Show(loaded.table.as_ref()), &head)
}

/// A settings file with every built-in value, for `config init`.
pub fn init_text() -> String {
    let head = "# needlelog settings. Every value below is the built-in default: change\n\
                # what your practice does differently, delete what it does not.\n\
                # `needlelog config check` validates the file; README \"Settings\" explains it.";
    render(&Settings::default(), Mode::Init, head)
}

fn render(s: &Settings, mode: Mode<'_>, head: &str) -> String {
    let mut o = Out {
        text: format!("{head}\n"),
        mode,
    };
    o.section(
        "clinic",
        "Shown in report headers, the aftercare box and calendar events.",
    );
    o.value(&["clinic"], "name", string(&s.clinic.name));
    o.value(&["clinic"], "practitioner", string(&s.clinic.practitioner));
    o.value(&["clinic"], "contact", string(&s.clinic.contact));
    defaults(&mut o, s);
    rules(&mut o, s);
    o.section(
        "keys",
        "Action = key, e.g. quit = \"Q\", add_client = \"+\" (actions: README, Keys).",
    );
    for (k, v) in &s.keys {
        o.value(&["keys"], k, string(v));
    }
    o.section(
        "theme",
        "palette = \"dark\" or \"light\"; [theme.colors] overrides single colours. NO_COLOR wins.",
    );
    match &s.theme.palette {
        Some(p) => o.value(&["theme"], "palette", string(p)),
        None => o.comment("palette = \"dark\""),
    }
    if !s.theme.colors.is_empty() {
        o.section("theme.colors", "");
        for (k, v) in &s.theme.colors {
            o.value(&["theme", "colors"], k, string(v));
        }
    }
    o.text
}

fn defaults(o: &mut Out<'_>, s: &Settings) {
    let d = &s.defaults;
    o.section(
        "defaults",
        "A series' first session starts with these; later sessions carry over the one before.",
    );
    o.value(&["defaults"], "device", string(&d.device));
    o.value(&["defaults"], "cartridge", string(&d.cartridge));
    o.value(&["defaults"], "numbing", string(&d.numbing));
    o.comment("");
    o.comment("The plan a new series starts with, per concern (sessions 1–12, days 7–120;");
    o.comment("outcome_scale: goodman_baron, lemperle or severity).");
    for &c in Concern::VARIANTS {
        let plan = d.series_plan(c);
        let path = ["defaults", "series", name(c)];
        o.section(&format!("defaults.series.{}", name(c)), "");
        o.value(&path, "planned_sessions", plan.planned_sessions.to_string());
        o.value(
            &path,
            "interval_min_days",
            plan.interval_min_days.to_string(),
        );
        o.value(
            &path,
            "interval_max_days",
            plan.interval_max_days.to_string(),
        );
        o.value(&path, "outcome_scale", string(name(plan.outcome_scale)));
    }
}

fn rules(o: &mut Out<'_>, s: &Settings) {
    let r = s.rules();
    o.section(
        "rules",
        "Clinical thresholds: warnings and flags follow these.",
    );
    o.comment(
        "Warn when the last isotretinoin dose is less than this many months before a session.",
    );
    o.value(
        &["rules"],
        "isotretinoin_months",
        r.isotretinoin_months.to_string(),
    );
    o.comment(
        "Days retinoids, AHAs/BHAs and hydroquinone on file are paused before a session (named in their warning).",
    );
    o.value(&["rules"], "pause_days", r.pause_days.to_string());
    o.comment(
        "Days after a peel, laser, filler or toxin that the pre-treatment check asks about (a caution when present).",
    );
    o.value(
        &["rules"],
        "recent_procedure_days",
        r.recent_procedure_days.to_string(),
    );
    o.comment("Redness for more days than this is prolonged erythema (an adverse event).");
    o.value(
        &["rules"],
        "prolonged_erythema_days",
        r.prolonged_erythema_days.to_string(),
    );
    o.comment(
        "Months after the last session of a completed series when maintenance is due (lists, reports, calendar).",
    );
    o.value(
        &["rules"],
        "maintenance_months",
        r.maintenance_months.to_string(),
    );
    o.comment("Minutes without a key before the interface on an encrypted database locks its screen, 0 never.");
    o.value(
        &["rules"],
        "idle_lock_minutes",
        r.idle_lock_minutes.to_string(),
    );
    o.comment("Months a signed consent covers; a session after that warns to renew it (1–120).");
    o.value(
        &["rules"],
        "consent_renewal_months",
        r.consent_renewal_months.to_string(),
    );
    o.comment(
        "A serum containing one of these words or phrases (whole words, any case) raises a caution:",
    );
    o.comment(
        "granulomas have been reported after needling non-sterile topical products. [] for none.",
    );
    let words: Vec<String> = r.serum_cautions.iter().map(|w| string(w)).collect();
    o.value(
        &["rules"],
        "serum_cautions",
        format!("[{}]", words.join(", ")),
    );
    o.section(
        "rules.depth",
        "Usual needle depth per zone, [min, max] in mm (0.1–3.0): a hint and a warning, never a limit.",
    );
    for &z in Zone::VARIANTS {
        o.value(&["rules", "depth"], name(z), range(r.depth_hint(z, None)));
    }
    o.section(
        "rules.acne_scar_depth",
        "The same for a series treating acne scars (deeper on thick skin).",
    );
    for &z in Zone::VARIANTS {
        if ACNE_SCAR_ZONES.contains(&z) || r.acne_scar_depth.contains_key(&z) {
            let hint = r.depth_hint(z, Some(Concern::AcneScars));
            o.value(&["rules", "acne_scar_depth"], name(z), range(hint));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    #[test]
    fn init_text_reads_back_as_the_built_in_settings() {
        let text = init_text();
        let (s, _) = parse(&text, "config.toml").unwrap();
        assert_eq!(
            s.rules(),
            crate::domain::Rules {
                depth: s.rules().depth.clone(),
                acne_scar_depth: s.rules().acne_scar_depth.clone(),
                ..Default::default()
            }
        );
        for &z in Zone::VARIANTS {
            for c in [None, Some(Concern::AcneScars), Some(Concern::StretchMarks)] {
                assert_eq!(
                    s.rules().depth_hint(z, c),
                    crate::domain::Rules::default().depth_hint(z, c),
                    "{z:?} {c:?}"
                );
            }
        }
        for &c in Concern::VARIANTS {
            assert_eq!(
                s.defaults.series_plan(c),
                crate::domain::builtin_series_plan(c)
            );
        }
        assert!(!text.contains("# built-in") && !text.contains("# from file"));
    }

    #[test]
    fn show_marks_what_came_from_the_file() {
        let file = "[rules]\nisotretinoin_months = 3\n[clinic]\nname = \"Skin Studio\"\n";
        let (settings, table) = parse(file, "config.toml").unwrap();
        let loaded = Loaded {
            settings,
            source: Some(crate::config::Source::File("/x/config.toml".into())),
            table: Some(table),
        };
        let text = show_text(&loaded);
        assert!(text.starts_with("# needlelog settings in effect, read from: /x/config.toml"));
        assert!(
            text.contains("isotretinoin_months = 3  # from file"),
            "{text}"
        );
        assert!(text.contains("name = \"Skin Studio\"  # from file"));
        assert!(text.contains("pause_days = 7  # built-in"));
        assert!(text.contains("cheeks = [0.5, 1.0]  # built-in"));
        // What show prints reads back as the same settings.
        let (again, _) = parse(&text, "shown.toml").unwrap();
        assert_eq!(again.rules().isotretinoin_months, 3);
        assert_eq!(again.clinic.name, "Skin Studio");
    }
}
