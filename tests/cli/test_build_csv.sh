#!/usr/bin/env bash
# test_build_csv.sh - govnet build import: a subcontractor's sheet in the
# documented template (French headers and step names, ';' separator,
# DD/MM/YYYY dates, decimal comma): good rows stored, bad rows refused
# with their line, a re-import replays (nothing twice), an organisation is
# kept to its own trenches, a sheet without the required columns refused.
set -u
G="${GOVNET:?}"
S="${GN_SOURCE_DIR:-.}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing: skipping"; exit 77; }
. "${GN_SOURCE_DIR:-.}/tests/cli/build_lib.sh"
DB="$T/net.db"
"$G" db init "$DB" >/dev/null && "$G" db import-plan "$DB" --synthetic 120 --seed 3 >/dev/null 2>&1 || bad import
"$G" build packages "$DB" --target-km 1000 --save >/dev/null || bad packages
"$G" build assign "$DB" WP-001 --org SOTRACOM >/dev/null || bad assign
cp "$S/docs/build_progress_template.csv" "$T/sheet.csv"
printf '04/03/2026;12;soudé;;Kofi A.;;;;;;\n04/03/2026;x9;creusé;;Kofi A.;;;;;;\n' >>"$T/sheet.csv"
expect_rc 0 "$G" build import "$DB" "$T/sheet.csv" --org SOTRACOM && python3 - "$T/out" <<'PY' && ok "template rows stored, bad rows named by line" || bad "import: $(cat "$T/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert (r["rows"], r["stored"], r["replayed"]) == (5, 3, 0), r
lines = {x["line"]: x["message"] for x in r["refused"]}
assert "must come before 'spliced'" in lines[5] and "trench: 'x9'" in lines[6], lines
PY
st=$(sqlite3 "$DB" "SELECT state, blocked FROM build_segments WHERE trench=12; SELECT blocked FROM build_segments WHERE trench=13")
[ "$st" = "$(printf '2|\nflooding')" ] && ok "states: trench 12 dug, trench 13 blocked (flooding)" || bad "states: $st"
m=$(sqlite3 "$DB" "SELECT metres, at FROM build_reports WHERE trench=12 AND step='dug'")
[ "$m" = "60.5|2026-03-03T00:00:00Z" ] && ok "decimal comma and French date" || bad "row values: $m"
expect_rc 0 "$G" build import "$DB" "$T/sheet.csv" --org SOTRACOM && has '"stored": 0, "replayed": 3' "$T/out" && ok "re-import replays"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM build_reports")" = 3 ] && ok "nothing twice"
expect_rc 0 "$G" build import "$DB" "$T/sheet.csv" --org OTHERCO && has '"stored": 0, "replayed": 0' "$T/out" \
  && has "organisation 'OTHERCO'" "$T/out" && ok "other organisation refused row by row"
printf 'a,b\n1,2\n' >"$T/nocols.csv"
expect_rc 1 "$G" build import "$DB" "$T/nocols.csv" && has "needs the columns trench" "$T/err" && ok "missing columns named"
expect_rc 1 "$G" build import "$DB" "$T/none.csv" && has "none.csv" "$T/err" && ok "missing file named"
exit $fail
