//! CSV for spreadsheets: one row per session, a header row, RFC 4180
//! quoting, UTF-8, CRLF line ends. The column order is part of the format
//! (README lists it); new columns are only ever added at the end.
//!
//! Multi-valued cells (zones, adverse events) join their items with "; ".
//! Codes, not labels, for the enumerations, so that a sheet can filter on
//! them. A cell that a spreadsheet would run as a formula gets a leading
//! apostrophe (see [`neutralise`]).

use super::report::improvement;
use crate::db::ScopedClient;
use crate::domain::{AdverseEvent, Session, Zone};

/// The header row.
pub const COLUMNS: [&str; 42] = [
    "client_name",
    "client_uuid",
    "series_uuid",
    "concern",
    "series_zones",
    "outcome_scale",
    "baseline_score",
    "session_uuid",
    "session_number",
    "planned_sessions",
    "date",
    "time",
    "zones",
    "device",
    "cartridge",
    "depth_mm",
    "zone_depths",
    "passes",
    "serum",
    "numbing",
    "numbing_minutes",
    "duration_minutes",
    "endpoint",
    "cartridge_lot",
    "serum_lot",
    "erythema",
    "edema",
    "pain",
    "outcome_score",
    "improvement_points",
    "improvement_pct",
    "gais_clinician",
    "gais_client",
    "satisfaction",
    "followup_on",
    "redness_days",
    "swelling_days",
    "peeling_days",
    "adverse_events",
    "followup_notes",
    "acknowledged_warnings",
    "notes",
];

/// UTF-8 byte-order mark, which Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `s` is a plain decimal number, which a spreadsheet reads as a
/// number and never as a formula, whatever its sign.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// is run as a formula by common spreadsheets (CSV injection). Such a cell
/// gets a leading apostrophe, which spreadsheets show as text; plain
/// numbers such as `-1` are left alone.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(cell) => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn zones(z: &[Zone]) -> String {
    z.iter().map(|z| z.code()).collect::<Vec<_>>().join("; ")
}

fn adverse(events: &[AdverseEvent]) -> String {
    events
        .iter()
        .map(|e| {
            let code = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if e.note.is_empty() {
                code
            } else {
                format!("{code}: {}", e.note)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn session_cells(x: &Session) -> [String; 9] {
    let d = &x.data;
    [
        d.performed_at.format("%Y-%m-%d").to_string(),
        d.performed_at.format("%H:%M").to_string(),
        zones(&d.zones),
        d.device.clone(),
        d.cartridge.clone(),
        opt(d.depth_mm),
        d.zone_depths
            .iter()
            .map(|(z, depth)| format!("{} {depth}", z.code()))
            .collect::<Vec<_>>()
            .join("; "),
        opt(d.passes),
        d.serum.clone(),
    ]
}

/// The whole file. `excel` puts a byte-order mark first.
pub fn write(clients: &[ScopedClient], excel: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(256 * clients.len() + 1024);
    if excel {
        out.extend_from_slice(BOM);
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(COLUMNS)?;
    let mut row: Vec<String> = Vec::with_capacity(COLUMNS.len());
    for c in clients {
        for s in &c.series {
            let v = &s.series.data;
            for (i, x) in s.sessions.iter().enumerate() {
                let d = &x.data;
                let f = &d.followup;
                let (points, pct) = improvement(v.baseline_score, d.outcome_score);
                row.clear();
                row.extend([
                    c.client.data.name.clone(),
                    c.client.uuid.to_string(),
                    s.series.uuid.to_string(),
                    v.concern.code().to_string(),
                    zones(&v.zones),
                    v.outcome_scale.code().to_string(),
                    opt(v.baseline_score),
                    x.uuid.to_string(),
                    s.number(i).to_string(),
                    v.planned_sessions.to_string(),
                ]);
                row.extend(session_cells(x));
                row.extend([
                    d.numbing.clone(),
                    opt(d.numbing_minutes),
                    opt(d.duration_minutes),
                    d.endpoint.clone(),
                    d.cartridge_lot.clone(),
                    d.serum_lot.clone(),
                    opt(d.erythema),
                    opt(d.edema),
                    opt(d.pain),
                    opt(d.outcome_score),
                    opt(points),
                    pct.map_or_else(String::new, |p| format!("{p:.1}")),
                    opt(d.gais_clinician.map(|g| g.value())),
                    opt(d.gais_client.map(|g| g.value())),
                    opt(d.satisfaction),
                    opt(f.recorded_on),
                    opt(f.redness_days),
                    opt(f.swelling_days),
                    opt(f.peeling_days),
                    adverse(&f.adverse_events),
                    f.notes.clone(),
                    d.acknowledged_warnings.join("\n"),
                    d.notes.clone(),
                ]);
                w.write_record(row.iter().map(|cell| neutralise(cell).into_owned()))?;
            }
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+31 6 1234", "'+31 6 1234"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-1", "-1"),
            ("-12.5", "-12.5"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1-2", "1-2"),
            ("Ana", "Ana"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }
}
