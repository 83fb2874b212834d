//! The schema, as migrations. Each migration runs once, all of them in one
//! transaction; `user_version` records how far a file has come.

use rusqlite_migration::{M, Migrations};
use std::sync::LazyLock;

/// Written into the file header so that another program's SQLite file is
/// never mistaken for ours ("NDLG").
pub const APPLICATION_ID: i32 = 0x4E44_4C47;

/// The first schema; public so that tests can build a file at version 1
/// and exercise a later migration from it.
pub const V1: &str = r#"
PRAGMA application_id = 1313098823;

CREATE TABLE clients (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    date_of_birth TEXT,
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    fitzpatrick   INTEGER CHECK (fitzpatrick BETWEEN 1 AND 6),
    glogau        INTEGER CHECK (glogau BETWEEN 1 AND 4),
    concerns      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(concerns)),
    screening     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(screening)),
    allergies     TEXT NOT NULL DEFAULT '',
    medications   TEXT NOT NULL DEFAULT '',
    consent_on    TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX clients_name ON clients (name COLLATE NOCASE);

CREATE TABLE series (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    client_id         INTEGER NOT NULL REFERENCES clients (id),
    concern           TEXT NOT NULL,
    zones             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(zones)),
    planned_sessions  INTEGER NOT NULL CHECK (planned_sessions BETWEEN 1 AND 12),
    interval_min_days INTEGER NOT NULL CHECK (interval_min_days BETWEEN 7 AND 120),
    interval_max_days INTEGER NOT NULL CHECK (interval_max_days BETWEEN interval_min_days AND 120),
    outcome_scale     TEXT NOT NULL CHECK (outcome_scale IN ('goodman_baron', 'lemperle', 'severity')),
    baseline_score    INTEGER CHECK (baseline_score BETWEEN 0 AND 10),
    started_on        TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX series_client ON series (client_id);

CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    series_id        INTEGER NOT NULL REFERENCES series (id),
    performed_at     TEXT NOT NULL,
    zones            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(zones)),
    device           TEXT NOT NULL DEFAULT '',
    cartridge        TEXT NOT NULL DEFAULT '',
    depth_mm         REAL CHECK (depth_mm BETWEEN 0.1 AND 3.0),
    zone_depths      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(zone_depths)),
    passes           INTEGER CHECK (passes BETWEEN 1 AND 10),
    serum            TEXT NOT NULL DEFAULT '',
    numbing          TEXT NOT NULL DEFAULT '',
    numbing_minutes  INTEGER CHECK (numbing_minutes BETWEEN 0 AND 120),
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 240),
    endpoint         TEXT NOT NULL DEFAULT '',
    cartridge_lot    TEXT NOT NULL DEFAULT '',
    serum_lot        TEXT NOT NULL DEFAULT '',
    erythema         INTEGER CHECK (erythema BETWEEN 0 AND 4),
    edema            INTEGER CHECK (edema BETWEEN 0 AND 4),
    pain             INTEGER CHECK (pain BETWEEN 0 AND 10),
    outcome_score    INTEGER CHECK (outcome_score BETWEEN 0 AND 10),
    gais_clinician   INTEGER CHECK (gais_clinician BETWEEN 1 AND 5),
    gais_client      INTEGER CHECK (gais_client BETWEEN 1 AND 5),
    satisfaction     INTEGER CHECK (satisfaction BETWEEN 0 AND 10),
    followup_on      TEXT,
    redness_days     REAL CHECK (redness_days BETWEEN 0 AND 30),
    swelling_days    REAL CHECK (swelling_days BETWEEN 0 AND 30),
    peeling_days     REAL CHECK (peeling_days BETWEEN 0 AND 30),
    adverse_events   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(adverse_events)),
    followup_notes   TEXT NOT NULL DEFAULT '',
    acknowledged_warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(acknowledged_warnings)),
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_series_time ON sessions (series_id, performed_at);

-- Every change, in the same transaction as the change. `change_id` groups
-- the rows of one write so that undo reverts it whole.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER NOT NULL,
    at          TEXT NOT NULL,
    os_user     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_uuid TEXT NOT NULL,
    action      TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    before      TEXT CHECK (before IS NULL OR json_valid(before)),
    after       TEXT CHECK (after IS NULL OR json_valid(after)),
    undoes      INTEGER REFERENCES audit (id)
) STRICT;
CREATE INDEX audit_change ON audit (change_id);
CREATE INDEX audit_entity ON audit (entity_uuid);
CREATE INDEX audit_undoes ON audit (undoes);

-- Half-typed forms, kept when the terminal goes away.
CREATE TABLE drafts (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    payload   TEXT NOT NULL CHECK (json_valid(payload)),
    saved_at  TEXT NOT NULL,
    UNIQUE (kind, target)
) STRICT;
"#;

/// One row per client with what the home screen lists, kept in step with
/// the records by triggers, so the list is read without aggregating every
/// session on each start. Triggers (rather than Rust code) keep it right
/// for every way a row can change: forms, import, undo's row restore, erase.
const CLIENT_LIST: &str = "
CREATE TABLE client_list (
    client_id        INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL,
    name             TEXT NOT NULL,
    archived         INTEGER NOT NULL,
    screening_flag   INTEGER NOT NULL,
    series_id        INTEGER,
    concern          TEXT,
    zones            TEXT,
    planned          INTEGER,
    interval_min     INTEGER,
    interval_max     INTEGER,
    closed           INTEGER,
    done             INTEGER NOT NULL DEFAULT 0,
    last_session     TEXT,
    last_visit       TEXT,
    followup_pending INTEGER NOT NULL DEFAULT 0,
    -- The next session's window while the series is under way (NULL when
    -- not started, complete or closed), for the first screen's order.
    due_opens        TEXT,
    due_closes       TEXT
) STRICT;
CREATE INDEX client_list_closes ON client_list (archived, due_closes, due_opens);
CREATE INDEX client_list_opens ON client_list (archived, due_opens);
";

/// Recomputes the list row of the client whose id `{id}` evaluates to: the
/// current series is the newest active one, else the newest; `{pending}` is
/// whether the follow-up of its latest session `x` is still to come.
///
/// Delete then insert, not `INSERT OR REPLACE`: inside a trigger the outer
/// statement's conflict handling wins (undo restores rows with an upsert),
/// which would turn the replace into a constraint error.
const REFRESH: &str = "
DELETE FROM client_list WHERE client_id = {id};
INSERT INTO client_list
SELECT t.*,
       CASE WHEN NOT t.closed AND t.done > 0 AND t.done < t.planned
            THEN date(t.last_session, '+' || t.interval_min || ' days') END,
       CASE WHEN NOT t.closed AND t.done > 0 AND t.done < t.planned
            THEN date(t.last_session, '+' || t.interval_max || ' days') END
FROM (
SELECT c.id, c.uuid, c.name, c.archived_at IS NOT NULL, c.screening <> '[]',
       s.id, s.concern, s.zones, s.planned_sessions AS planned, s.interval_min_days AS interval_min,
       s.interval_max_days AS interval_max, s.status <> 'active' AS closed,
       (SELECT count(*) FROM sessions x WHERE x.series_id = s.id) AS done,
       (SELECT max(x.performed_at) FROM sessions x WHERE x.series_id = s.id) AS last_session,
       (SELECT max(x.performed_at) FROM sessions x JOIN series s2 ON s2.id = x.series_id
         WHERE s2.client_id = c.id),
       coalesce((SELECT {pending}
                 FROM sessions x WHERE x.series_id = s.id
                 ORDER BY x.performed_at DESC, x.id DESC LIMIT 1), 0)
FROM clients c
LEFT JOIN series s ON s.id = (SELECT id FROM series WHERE client_id = c.id
                              ORDER BY status = 'active' DESC, started_on DESC, id DESC LIMIT 1)
WHERE c.id = {id}
) AS t;
";

/// "Follow-up pending" as version 2 computed it: a report date counted as
/// an observation and follow-up notes did not (the v2 text, kept as landed).
const PENDING_V2: &str =
    "x.followup_on IS NULL AND x.redness_days IS NULL AND x.swelling_days IS NULL
                        AND x.peeling_days IS NULL AND x.adverse_events = '[]'";

/// "Follow-up pending" as the domain defines it (`Followup::is_recorded`,
/// `domain::followup_pending`): no days, no adverse event and no note; the
/// report date alone does not count.
pub(crate) const PENDING: &str =
    "x.redness_days IS NULL AND x.swelling_days IS NULL AND x.peeling_days IS NULL
                        AND x.adverse_events = '[]' AND x.followup_notes = ''";

/// Every trigger that keeps `client_list` current, each recomputing the
/// changed client's row with `refresh` (the row SQL for a client id).
fn list_triggers(refresh: impl Fn(&str) -> String) -> String {
    let mut sql = String::new();
    let trigger = |name: &str, event: &str, table: &str, body: String| {
        format!("CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END;\n")
    };
    sql += &trigger("client_list_ci", "INSERT", "clients", refresh("NEW.id"));
    sql += &trigger("client_list_cu", "UPDATE", "clients", refresh("NEW.id"));
    sql += &trigger(
        "client_list_cd",
        "DELETE",
        "clients",
        "DELETE FROM client_list WHERE client_id = OLD.id;".into(),
    );
    for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
        let tag = event[..1].to_lowercase();
        sql += &trigger(
            &format!("client_list_s{tag}"),
            event,
            "series",
            refresh(&format!("{row}.client_id")),
        );
        let client = format!("(SELECT client_id FROM series WHERE id = {row}.series_id)");
        sql += &trigger(
            &format!("client_list_x{tag}"),
            event,
            "sessions",
            refresh(&client),
        );
    }
    sql
}

/// The refresh of every client's row at once, for filling the list, from
/// a row SQL whose `{pending}` is filled in.
fn refresh_all(refresh: &str) -> String {
    refresh
        .replace("client_id = {id}", "1")
        .replace("WHERE c.id = {id}", "WHERE 1")
}

fn v2() -> String {
    let refresh = |id: &str| REFRESH.replace("{pending}", PENDING_V2).replace("{id}", id);
    let mut sql = String::from(CLIENT_LIST);
    sql += &list_triggers(refresh);
    // Fill it for the clients already there.
    sql += &refresh_all(&REFRESH.replace("{pending}", PENDING_V2));
    sql
}

static V2: LazyLock<String> = LazyLock::new(v2);

/// The triggers' names, as `list_triggers` creates them.
pub(crate) const LIST_TRIGGERS: [&str; 9] = [
    "client_list_ci",
    "client_list_cu",
    "client_list_cd",
    "client_list_si",
    "client_list_xi",
    "client_list_su",
    "client_list_xu",
    "client_list_sd",
    "client_list_xd",
];

/// Version 3: "follow-up pending" means what the domain says — a session
/// whose follow-up holds only a report date is still pending, one with only
/// a note is not. The triggers are recreated with that definition and
/// every row is recomputed, so old files agree with the screens.
fn v3() -> String {
    let mut sql = String::new();
    for name in LIST_TRIGGERS {
        sql += &format!("DROP TRIGGER {name};\n");
    }
    sql += &list_triggers(|id| REFRESH.replace("{pending}", PENDING).replace("{id}", id));
    sql += &refresh_all(&REFRESH.replace("{pending}", PENDING));
    sql
}

static V3: LazyLock<String> = LazyLock::new(v3);

/// The list table from version 4: the client's last session's downtime
/// (the worst of its redness, swelling and peeling days) and whether it
/// had an adverse event, for the home list's column and sort.
const CLIENT_LIST_V4: &str = "
CREATE TABLE client_list (
    client_id        INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL,
    name             TEXT NOT NULL,
    archived         INTEGER NOT NULL,
    screening_flag   INTEGER NOT NULL,
    series_id        INTEGER,
    concern          TEXT,
    zones            TEXT,
    planned          INTEGER,
    interval_min     INTEGER,
    interval_max     INTEGER,
    closed           INTEGER,
    done             INTEGER NOT NULL DEFAULT 0,
    last_session     TEXT,
    last_visit       TEXT,
    followup_pending INTEGER NOT NULL DEFAULT 0,
    last_downtime    REAL,
    last_adverse     INTEGER NOT NULL DEFAULT 0,
    due_opens        TEXT,
    due_closes       TEXT
) STRICT;
CREATE INDEX client_list_closes ON client_list (archived, due_closes, due_opens);
CREATE INDEX client_list_opens ON client_list (archived, due_opens);
";

/// The client's latest session, for the downtime columns.
const LATEST_SESSION: &str = "FROM sessions x JOIN series s2 ON s2.id = x.series_id
         WHERE s2.client_id = c.id ORDER BY x.performed_at DESC, x.id DESC LIMIT 1";

/// The row SQL of version 4: version 3's, with the two downtime columns.
fn refresh_v4() -> String {
    let worst = "CASE WHEN x.redness_days IS NULL AND x.swelling_days IS NULL
                        AND x.peeling_days IS NULL THEN NULL
                   ELSE max(coalesce(x.redness_days, 0), coalesce(x.swelling_days, 0),
                            coalesce(x.peeling_days, 0)) END";
    let columns = format!(
        "LIMIT 1), 0),
       (SELECT {worst} {LATEST_SESSION}),
       coalesce((SELECT x.adverse_events <> '[]' {LATEST_SESSION}), 0)
FROM clients c"
    );
    REFRESH
        .replace("{pending}", PENDING)
        .replacen("LIMIT 1), 0)\nFROM clients c", &columns, 1)
}

static REFRESH_V4: LazyLock<String> = LazyLock::new(refresh_v4);

/// Version 4: the list table gains the last session's downtime; the table
/// is a cache of the records, so it is made again and refilled.
fn v4() -> String {
    let mut sql = String::new();
    for name in LIST_TRIGGERS {
        sql += &format!("DROP TRIGGER {name};\n");
    }
    sql += "DROP TABLE client_list;\n";
    sql += CLIENT_LIST_V4;
    sql += &list_triggers(|id| REFRESH_V4.replace("{id}", id));
    sql += &refresh_all(&REFRESH_V4);
    sql
}

static V4: LazyLock<String> = LazyLock::new(v4);

/// Version 5: a series closed before its planned sessions were done says
/// when, why (`domain::CloseReason`'s codes) and, for "other", what.
const V5: &str = "
ALTER TABLE series ADD COLUMN closed_on TEXT;
ALTER TABLE series ADD COLUMN close_reason TEXT CHECK (close_reason IN
    ('completed_early', 'discontinued_by_client', 'adverse_event', 'other'));
ALTER TABLE series ADD COLUMN close_note TEXT NOT NULL DEFAULT '';
-- The today screen reads the sessions of the last days across all series.
CREATE INDEX sessions_time ON sessions (performed_at);
";

/// Version 6: a client under 18 has a parent's or guardian's consent on
/// file: the day it was signed and who signed it.
const V6_GUARDIAN_CONSENT: &str = "
ALTER TABLE clients ADD COLUMN guardian_consent_on TEXT;
ALTER TABLE clients ADD COLUMN guardian TEXT NOT NULL DEFAULT '';
";

/// "The client has an adverse event still ongoing", as the domain defines
/// it (`AdverseEvent::is_ongoing`): an event, in any session of any of the
/// client's series, with an onset and no resolved date.
const ADVERSE_ONGOING: &str =
    "coalesce((SELECT 1 FROM sessions x JOIN series s2 ON s2.id = x.series_id,
                 json_each(x.adverse_events) e
         WHERE s2.client_id = c.id AND json_extract(e.value, '$.onset') IS NOT NULL
           AND json_extract(e.value, '$.resolved_on') IS NULL LIMIT 1), 0)";

/// The row SQL of version 7: version 4's, with the ongoing-event flag.
fn refresh_v7() -> String {
    REFRESH_V4.replacen(
        "\nFROM clients c",
        &format!(",\n       {ADVERSE_ONGOING}\nFROM clients c"),
        1,
    )
}

static REFRESH_V7: LazyLock<String> = LazyLock::new(refresh_v7);

/// Version 7: the list table gains `adverse_ongoing`, the home list's flag
/// for a client with an adverse event still ongoing; made again and
/// refilled, as version 4 did.
fn v7() -> String {
    let mut sql = String::new();
    for name in LIST_TRIGGERS {
        sql += &format!("DROP TRIGGER {name};\n");
    }
    sql += "DROP TABLE client_list;\n";
    sql += &CLIENT_LIST_V4.replacen(
        "last_adverse     INTEGER NOT NULL DEFAULT 0,",
        "last_adverse     INTEGER NOT NULL DEFAULT 0,\n    adverse_ongoing  INTEGER NOT NULL DEFAULT 0,",
        1,
    );
    sql += &list_triggers(|id| REFRESH_V7.replace("{id}", id));
    sql += &refresh_all(&REFRESH_V7);
    sql
}

static V7: LazyLock<String> = LazyLock::new(v7);

/// Version 8: a session records its pre-treatment check (JSON, NULL when
/// not confirmed) and the antiviral prophylaxis given (drug, start day).
/// The client-level pregnancy and active-infection screening items stay as
/// they are: they seed the first check on the form.
const V8_PRE_CHECK: &str = "
ALTER TABLE sessions ADD COLUMN pre_check TEXT CHECK (pre_check IS NULL OR json_valid(pre_check));
ALTER TABLE sessions ADD COLUMN antiviral TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN antiviral_from TEXT;
";

/// Version 9: photos. A row per photo attached to a session: the view
/// (and zone, for a close-up), when it was taken and how that is known,
/// its format, size and SHA-256 (the stored file's name), and, when the
/// photo file is encrypted, its own random key (hex; the database that
/// holds it is encrypted too). Several rows may name the same file. The
/// client gains a photo consent separate from the treatment consent: the
/// day it was given and whether photos may be used beyond the record.
const V9_PHOTOS: &str = "
CREATE TABLE photos (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    view        TEXT NOT NULL CHECK (view IN
        ('front', 'left', 'right', 'left_oblique', 'right_oblique', 'close_up')),
    zone        TEXT NOT NULL DEFAULT '',
    taken_at    TEXT NOT NULL,
    taken_from  TEXT NOT NULL CHECK (taken_from IN ('exif', 'file')),
    format      TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    file_key    TEXT CHECK (file_key IS NULL OR length(file_key) = 64),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX photos_session ON photos (session_id);
CREATE INDEX photos_file ON photos (sha256);
ALTER TABLE clients ADD COLUMN photo_consent_on TEXT;
ALTER TABLE clients ADD COLUMN photo_consent_beyond INTEGER NOT NULL DEFAULT 0
    CHECK (photo_consent_beyond IN (0, 1));
";

/// The list rows as they should be, computed afresh from the records; for
/// `check`, which compares them with what the triggers kept.
pub(crate) fn fresh_client_list() -> String {
    let insert = REFRESH_V7
        .split("INSERT INTO client_list")
        .nth(1)
        .unwrap_or_default();
    insert
        .replace("WHERE c.id = {id}", "")
        .trim()
        .trim_end_matches(';')
        .to_string()
}

/// Recomputes the list row of client `id` as the triggers would leave it:
/// for the bulk writer, which sets the triggers aside while it adds
/// clients and computes their rows itself, should it meet a row it does
/// not compute for certain (see `bulk_list`).
pub(crate) fn refresh_list_of(id: i64) -> String {
    REFRESH_V7.replace("{id}", &id.to_string())
}

/// The SQL of every migration, oldest first.
pub fn steps() -> Vec<&'static str> {
    vec![
        V1,
        V2.as_str(),
        V3.as_str(),
        V4.as_str(),
        V5,
        V6_GUARDIAN_CONSENT,
        V7.as_str(),
        V8_PRE_CHECK,
        V9_PHOTOS,
    ]
}

pub fn migrations() -> Migrations<'static> {
    Migrations::new(steps().into_iter().map(M::up).collect())
}

/// The schema version this program writes.
pub fn latest_version() -> usize {
    steps().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
        assert_eq!(APPLICATION_ID, 1313098823);
    }

    /// A released migration never changes: files at that version already
    /// ran it. (FNV-1a of each step's text; a new version adds a step.)
    #[test]
    fn landed_migrations_are_unchanged() {
        let fnv = |t: &str| {
            t.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        let steps = steps();
        assert_eq!(fnv(steps[0]), 0x6454_1da3_001d_f423, "V1 changed");
        assert_eq!(fnv(steps[1]), 0x78cf_cfc2_020b_4b97, "V2 changed");
        assert_eq!(fnv(steps[2]), 0xb490_351b_1e32_c7a3, "V3 changed");
        assert_eq!(fnv(steps[3]), 0x9d01_9d5a_5cb4_6210, "V4 changed");
        assert_eq!(fnv(steps[4]), 0xdf09_79de_827b_a365, "V5 changed");
        assert_eq!(fnv(steps[5]), 0x973d_a215_05c3_e21d, "V6 changed");
        assert_eq!(fnv(steps[6]), 0xb055_c6d0_b94b_349b, "V7 changed");
        assert_eq!(fnv(steps[7]), 0x5084_ea5a_f40d_62ec, "V8 changed");
        assert_eq!(fnv(steps[8]), 0x432a_b063_234f_09a9, "V9 changed");
    }

    #[test]
    fn the_list_uses_the_domain_meaning_of_pending() {
        let fresh = fresh_client_list();
        assert!(fresh.contains(PENDING), "{fresh}");
        assert!(!fresh.contains("followup_on"), "{fresh}");
        // v3 drops exactly the triggers v2 made, and makes them again.
        for name in LIST_TRIGGERS {
            let create = format!("CREATE TRIGGER {name} ");
            assert!(V2.contains(&create) && V3.contains(&create), "{name}");
        }
        assert_eq!(V2.matches("CREATE TRIGGER").count(), LIST_TRIGGERS.len());
        assert_eq!(V4.matches("CREATE TRIGGER").count(), LIST_TRIGGERS.len());
    }

    #[test]
    fn version_4_reads_the_latest_session_downtime() {
        assert_eq!(REFRESH_V4.matches(LATEST_SESSION).count(), 2);
        assert!(fresh_client_list().contains(LATEST_SESSION));
        assert!(!REFRESH_V4.contains("{pending}"));
    }

    #[test]
    fn version_6_adds_the_ongoing_flag_to_the_list() {
        assert_eq!(REFRESH_V7.matches(ADVERSE_ONGOING).count(), 1);
        assert!(fresh_client_list().contains(ADVERSE_ONGOING));
        assert!(V7.contains("adverse_ongoing  INTEGER NOT NULL DEFAULT 0"));
        assert_eq!(V7.matches("CREATE TRIGGER").count(), LIST_TRIGGERS.len());
        assert_eq!(V7.matches("DROP TRIGGER").count(), LIST_TRIGGERS.len());
    }
}
