#!/usr/bin/env bash
# Whole-process comparison: needlelog against sqlite3 doing the equivalent
# query on the same file, side by side in one run. Prints medians, ratios
# and peak memory; BENCHMARKS.md records the results.
#
#   scripts/compare-with-sqlite3.sh            # 10,000 clients (about a minute)
#   scripts/compare-with-sqlite3.sh --100k     # and 100,000 (about three more); or NEEDLELOG_BENCH_100K=1
#
# Needs hyperfine, GNU time (/usr/bin/time) and sqlite3; run as root, it
# installs the missing ones with apt-get. RUNS=N sets the runs per command
# at 10,000 clients (default 20; 100,000 uses a quarter of it, at least 3).
# The databases go to a temporary folder under NEEDLELOG_BENCH_DIR, else
# TMPDIR, else /tmp, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=(10000)
if [[ "${1:-}" == --100k || "${NEEDLELOG_BENCH_100K:-0}" == 1 ]]; then
    sizes+=(100000)
fi
runs=${RUNS:-20}

# --- tools ---------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 || missing+=(time)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "scripts/compare-with-sqlite3.sh needs: ${missing[*]}" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

# --- build and data ------------------------------------------------------
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/needlelog"
base="${NEEDLELOG_BENCH_DIR:-${TMPDIR:-/tmp}}"
work=$(mktemp -d "$base/needlelog-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

mem_total=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
fs=$(df -T "$work" | awk 'NR == 2 { print $2 " on " $1 }')
echo "machine: $(nproc) CPUs ($cpu), $mem_total RAM; data on $fs"
echo "needlelog $(git describe --always --dirty 2>/dev/null || echo '?'), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'), $(hyperfine --version)"
echo

# --- the queries sqlite3 runs ----------------------------------------------
# What the first frame reads: the first screenful (45 rows at 200x50) of
# working clients in next-due order, from the same two range queries.
cols="client_id, uuid, name, archived, screening_flag, series_id, concern, zones, planned,
      interval_min, interval_max, closed, done, last_session, last_visit, followup_pending"
cat >"$work/first_page.sql" <<SQL
SELECT $cols FROM client_list
 WHERE archived = 0 AND due_closes IS NOT NULL AND due_opens <= '2026-11-21'
 ORDER BY due_closes, name COLLATE NOCASE, client_id LIMIT 45;
SELECT $cols FROM client_list WHERE archived = 0 AND due_opens > '2026-11-21'
 ORDER BY due_opens, name COLLATE NOCASE, client_id LIMIT 45;
SQL
# The whole list, which the interface reads after the first frame.
cat >"$work/whole_list.sql" <<SQL
SELECT $cols FROM client_list WHERE archived = 0;
SQL
# The CSV's rows (every session with its series and client) with the
# stored columns behind the CSV's 42, in the export's order.
stored="c.name, c.uuid, s.uuid, s.concern, s.zones, s.outcome_scale, s.baseline_score,
        x.uuid, s.planned_sessions, x.performed_at, x.zones, x.device, x.cartridge,
        x.depth_mm, x.zone_depths, x.passes, x.serum, x.numbing, x.numbing_minutes,
        x.duration_minutes, x.endpoint, x.cartridge_lot, x.serum_lot, x.erythema, x.edema,
        x.pain, x.outcome_score, x.gais_clinician, x.gais_client, x.satisfaction,
        x.followup_on, x.redness_days, x.swelling_days, x.peeling_days, x.adverse_events,
        x.followup_notes, x.acknowledged_warnings, x.notes"
join="FROM sessions x JOIN series s ON s.id = x.series_id JOIN clients c ON c.id = s.client_id"
order="ORDER BY c.name COLLATE NOCASE, c.id, s.started_on, s.id, x.performed_at, x.id"
echo "SELECT $stored $join $order;" >"$work/csv_ordered.sql"
# The same rows in whatever order SQLite finds cheapest (no ORDER BY).
echo "SELECT $stored $join;" >"$work/csv_any_order.sql"
# All 42 columns computed as far as SQL goes: session number (a window),
# date and time split, improvement points and percentage.
cat >"$work/csv_42.sql" <<SQL
SELECT c.name AS client_name, c.uuid AS client_uuid, s.uuid AS series_uuid, s.concern,
       s.zones AS series_zones, s.outcome_scale, s.baseline_score, x.uuid AS session_uuid,
       row_number() OVER (PARTITION BY x.series_id ORDER BY x.performed_at, x.id) AS session_number,
       s.planned_sessions, substr(x.performed_at, 1, 10) AS date, substr(x.performed_at, 12, 5) AS time,
       x.zones, x.device, x.cartridge, x.depth_mm, x.zone_depths, x.passes, x.serum, x.numbing,
       x.numbing_minutes, x.duration_minutes, x.endpoint, x.cartridge_lot, x.serum_lot, x.erythema,
       x.edema, x.pain, x.outcome_score, s.baseline_score - x.outcome_score AS improvement_points,
       round(100.0 * (s.baseline_score - x.outcome_score) / nullif(s.baseline_score, 0), 1)
         AS improvement_pct,
       x.gais_clinician, x.gais_client, x.satisfaction, x.followup_on, x.redness_days,
       x.swelling_days, x.peeling_days, x.adverse_events, x.followup_notes,
       x.acknowledged_warnings, x.notes
$join $order;
SQL

# --- measuring -----------------------------------------------------------
# hyperfine's median (ms) per command name, from its CSV export.
declare -A median
# Peak resident memory (MB) of one run.
peak() {
    /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%.1f", $1 / 1024 }' "$work/mem"
}

# compare TITLE RUNS NAME COMMAND [NAME COMMAND]...
compare() {
    local title=$1 n=$2
    shift 2
    local args=() names=()
    while (($#)); do
        names+=("$1")
        args+=(-n "$1" "$2")
        shift 2
    done
    hyperfine -N --style none --warmup 2 --runs "$n" --export-csv "$work/t.csv" "${args[@]}" \
        >/dev/null
    while IFS=, read -r name _mean _sd med _rest; do
        median[$name]=$(awk -v s="$med" 'BEGIN { printf "%.1f", s * 1000 }')
    done < <(tail -n +2 "$work/t.csv")
}

row() { # NAME COMMAND-WORDS...: one line of the table
    local name=$1 ref=$2
    shift 2
    local mem ratio
    mem=$(peak "$@")
    ratio=$(awk -v a="${median[$name]}" -v b="${median[$ref]}" 'BEGIN { printf "%.2f", a / b }')
    printf '| %-48s | %8s ms | %6s | %7s MB |\n' "$name" "${median[$name]}" "$ratio" "$mem"
}

for n in "${sizes[@]}"; do
    db="$work/clinic-$n.db"
    r=$runs
    ((n > 10000)) && r=$(((runs / 4) > 3 ? runs / 4 : 3))
    demo_start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$work/demo-mem" \
        "$bin" demo --db "$db" --clients "$n" --seed 1 --today 2026-11-21 >/dev/null
    demo_s=$(awk -v a="$demo_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    demo_mb=$(awk '{ printf "%.1f", $1 / 1024 }' "$work/demo-mem")
    # Let the kernel write the new file out before timing reads of it.
    sync

    render=("$bin" render --db "$db" --screen clients --size 200x50 --now "2026-11-21 10:00")
    page=(sqlite3 "$db" ".read $work/first_page.sql")
    list=(sqlite3 "$db" ".read $work/whole_list.sql")
    compare "first frame" "$r" \
        "needlelog render --screen clients (first frame)" "$bin render --db $db --screen clients --size 200x50 --now '2026-11-21 10:00'" \
        "sqlite3: the first page's two queries" "sqlite3 $db '.read $work/first_page.sql'" \
        "sqlite3: the whole list" "sqlite3 $db '.read $work/whole_list.sql'"

    export_cmd=("$bin" export --format csv --db "$db" --today 2026-11-21 -o "$work/x.csv")
    ordered=(sqlite3 -csv -header -cmd ".output $work/y.csv" "$db" ".read $work/csv_ordered.sql")
    any=(sqlite3 -csv -header -cmd ".output $work/y.csv" "$db" ".read $work/csv_any_order.sql")
    all42=(sqlite3 -csv -header -cmd ".output $work/y.csv" "$db" ".read $work/csv_42.sql")
    compare "csv" "$r" \
        "needlelog export --format csv -o FILE" "$bin export --format csv --db $db --today 2026-11-21 -o $work/x.csv" \
        "sqlite3 -csv: stored columns in export order" "sqlite3 -csv -header -cmd '.output $work/y.csv' $db '.read $work/csv_ordered.sql'" \
        "sqlite3 -csv: stored columns in any order" "sqlite3 -csv -header -cmd '.output $work/y.csv' $db '.read $work/csv_any_order.sql'" \
        "sqlite3 -csv: all 42 columns in export order" "sqlite3 -csv -header -cmd '.output $work/y.csv' $db '.read $work/csv_42.sql'"

    sessions=$(sqlite3 "$db" "SELECT count(*) FROM sessions")
    echo "## $n clients ($sessions sessions; $(du -m "$db" | cut -f1) MB file), median of $r runs"
    echo
    echo "| command                                          |    median | ratio* |   peak RSS |"
    echo "|--------------------------------------------------|-----------|--------|------------|"
    first="needlelog render --screen clients (first frame)"
    row "$first" "$first" "${render[@]}"
    row "sqlite3: the first page's two queries" "$first" "${page[@]}"
    row "sqlite3: the whole list" "$first" "${list[@]}"
    csv="sqlite3 -csv: stored columns in export order"
    row "needlelog export --format csv -o FILE" "$csv" "${export_cmd[@]}"
    row "$csv" "$csv" "${ordered[@]}"
    row "sqlite3 -csv: stored columns in any order" "$csv" "${any[@]}"
    row "sqlite3 -csv: all 42 columns in export order" "$csv" "${all42[@]}"
    printf '| %-48s | %9s s | %6s | %7s MB |\n' "needlelog demo --clients $n (one run)" "$demo_s" "" "$demo_mb"
    if command -v script >/dev/null; then
        # The interface in a pseudo-terminal (200x50): first frame, the
        # whole list, then q after three seconds.
        # Half blocks for photos: nothing behind this pseudo-terminal
        # answers the graphics query, and the key would go to its reader.
        (sleep 3; printf q) | NEEDLELOG_PHOTO_PROTOCOL=halfblocks /usr/bin/time -f %M -o "$work/tui-mem" \
            script -qec "stty cols 200 rows 50; exec $bin --db $db" /dev/null >/dev/null 2>&1 || true
        printf '| %-48s | %9s   | %6s | %7s MB |\n' "needlelog (the interface: open, list, q)" "" "" \
            "$(awk '{ printf "%.1f", $1 / 1024 }' "$work/tui-mem")"
    fi
    echo
    echo "*ratio: to the first row of its group (render) or to 'stored columns in export order' (CSV)."
    echo
done
