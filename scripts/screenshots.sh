#!/usr/bin/env bash
# Regenerates screenshots/*.png from deterministic demo data with the real
# render code (`needlelog render --format png`). Same inputs, same files.
#   scripts/screenshots.sh            # writes into screenshots/
# Needs the DejaVu Sans Mono font (Debian/Ubuntu: fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet --bin needlelog
bin=target/release/needlelog
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/demo.db"
# Built-in settings whatever the machine's own file says (no file in an
# empty config folder); and a file with the light palette.
printf '[theme]\npalette = "light"\n' > "$tmp/light.toml"
export XDG_CONFIG_HOME="$tmp/no-config"
unset NEEDLELOG_CONFIG
config=""
"$bin" demo --db "$db" --clients 60 --seed 1 --today 2026-11-21 >/dev/null
now="2026-11-21 10:00"
size=120x34
shot() { # name screen [client [size]]
    local name=$1 screen=$2 client=${3:-} at=${4:-$size}
    NO_COLOR= "$bin" render ${config:+--config "$config"} --db "$db" --now "$now" --size "$at" --format png \
        --screen "$screen" ${client:+--client "$client"} -o "screenshots/$name.png"
    echo "screenshots/$name.png"
}
# With a client named, the whole list is loaded first (without one,
# `render --screen clients` draws the very first frame, the benchmark's).
first="Sofia Chen"
shot clients clients "$first"
shot client client "Sven MacLeod"
shot session-form session "Jonas Dubois"
shot chart chart "Léa Nakamura"
# The chart at the two sizes its layout is designed for.
shot chart-80x24 chart "Léa Nakamura" 80x24
shot chart-200x50 chart "Léa Nakamura" 200x50
shot help help
shot export-dialog export "Léa Nakamura"
shot today today
# The compare screen, on the demo's own illustrative photos.
shot photos-compare photos "Léa Nakamura"
# The light palette, on a white terminal.
config="$tmp/light.toml"
shot clients-light clients "$first"
shot chart-light chart "Léa Nakamura"
