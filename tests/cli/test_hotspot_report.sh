#!/usr/bin/env bash
# test_hotspot_report.sh - the monthly hotspot usage report on real
# accounting: students and a voucher created by `govnet hotspot`, their
# Accounting-Requests recorded by govnet-aaa exactly as rlm_exec runs it
# (attributes in the environment; no FreeRADIUS needed). Accounting is
# booked on the UTC day it arrives, so after each request the test moves
# the day just booked to the day it plays (as test_hotspot_radius
# backdates a voucher). Traffic on two access points over two days of
# November 2026, one session in December that must not count; the
# report in French and English must show the figures computed by hand,
# the charts, no per-user table; the PDF must hold the title and total;
# a bad --month fails with exit code 2 naming --month; an empty month
# gives a report that says so.
set -u
G="${GOVNET:?}"
AAA="$(dirname "$G")/govnet-aaa"
[ -x "$G" ] && [ -x "$AAA" ] || { echo "govnet or govnet-aaa missing: skipping"; exit 77; }
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail=0
ok()  { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
has() { grep -qF -- "$1" "$2" || { bad "'$1' not in $2: $(head -c 300 "$2")"; return 1; }; }
hasnt() { ! grep -qF -- "$1" "$2" || { bad "'$1' unexpectedly in $2"; return 1; }; }

DB="$T/hs.gpkg"
PW='correct horse 42'
"$G" hotspot group set "$DB" --name students --simultaneous 2 >/dev/null || bad "group set"
for u in alice bob carol; do
  echo "$PW" | "$G" hotspot user add "$DB" --name "$u" --group students >/dev/null || bad "user add $u"
done
"$G" hotspot vouchers "$DB" --count 1 --minutes 600 --json >"$T/v.json" || bad vouchers
V=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[0]["code"])' "$T/v.json")

# acct DAY USER SESSION AP TYPE IN OUT SECONDS [OUT_GIGAWORDS]: one
# Accounting-Request through govnet-aaa, then booked on DAY.
acct() {
  env -i USER_NAME="\"$2\"" ACCT_SESSION_ID="\"$3\"" NAS_IDENTIFIER="\"$4\"" \
    NAS_IP_ADDRESS=127.0.0.1 ACCT_STATUS_TYPE="$5" ACCT_INPUT_OCTETS="$6" \
    ACCT_OUTPUT_OCTETS="$7" ACCT_SESSION_TIME="$8" ACCT_OUTPUT_GIGAWORDS="${9:-0}" \
    "$AAA" acct "$DB" >/dev/null || bad "acct $*"
  sqlite3 "$DB" "BEGIN; INSERT INTO hs_usage SELECT session,'$1',bytes_in,bytes_out,seconds
    FROM hs_usage WHERE day=strftime('%Y-%m-%d','now') ON CONFLICT DO UPDATE SET
    bytes_in=bytes_in+excluded.bytes_in, bytes_out=bytes_out+excluded.bytes_out,
    seconds=seconds+excluded.seconds;
    DELETE FROM hs_usage WHERE day=strftime('%Y-%m-%d','now'); COMMIT;" || bad "book $1"
}
# alice on ap-lome-1 over two days: 0.3 + 1.2 GB on the 3rd, then
# 0.2 + 0.8 GB more on the 4th (counters are cumulative)
acct 2026-11-03 alice al-1 ap-lome-1 Start 0 0 0
acct 2026-11-03 alice al-1 ap-lome-1 Interim-Update 300000000 1200000000 3600
acct 2026-11-04 alice al-1 ap-lome-1 Stop 500000000 2000000000 5400
# bob on ap-kara-1 on the 4th: 0.1 + 0.4 GB, 45 min
acct 2026-11-04 bob bo-1 ap-kara-1 Start 0 0 0
acct 2026-11-04 bob bo-1 ap-kara-1 Stop 100000000 400000000 2700
# the voucher on ap-kara-1 on the 4th: 0.05 GB in, 250 gigawords (250 *
# 2^32 = 1,073,741,824,000 bytes) + 0.25 GB out, 15 min
acct 2026-11-04 "$V" vo-1 ap-kara-1 Start 0 0 0
acct 2026-11-04 "$V" vo-1 ap-kara-1 Stop 50000000 250000000 900 250
# December: carol on ap-lome-2 (a name with markup and an accent, in
# rlm_exec's quoting), must not count in November
AP2='ap-lome-2 <amphi \"é\">'
acct 2026-12-01 carol ca-1 "$AP2" Start 0 0 0
acct 2026-12-01 carol ca-1 "$AP2" Stop 999000000 3333000000 7200

# By hand, November: users alice, bob, the voucher = 3; sessions 3;
# in 0.5 + 0.1 + 0.05 = 0.65 GB; out 2.0 + 0.4 + 0.25 + 1073.741824 =
# 1076.391824 GB; total 1077.041824 GB -> "1 077,0 Go" / "1,077.0 GB";
# hours (5400 + 2700 + 900) / 3600 = 2.5. ap-kara-1: users 2, sessions 2,
# 1074.541824 GB; ap-lome-1: users 1, sessions 1, 2.5 GB, 1.5 h.
NB=$(printf '\xe2\x80\xaf') # the narrow no-break space of French numbers
"$G" hotspot usage "$DB" --from 2026-11-01 --to 2026-11-30 --summary >"$T/sum.json" || bad "usage --summary"
python3 - "$T/sum.json" <<'PY' && ok "usage --summary: November totals, days, access points" || bad "summary JSON"
import json, sys
s = json.load(open(sys.argv[1]))
t = s["total"]
assert t == {"users": 3, "sessions": 3, "bytes_in": 650000000,
             "bytes_out": 2650000000 + 250 * 2**32,
             "seconds": 9000, "hotspots": 2}, t
assert [(d["day"], d["users"], d["sessions"]) for d in s["days"]] == \
    [("2026-11-03", 1, 1), ("2026-11-04", 3, 3)], s["days"]
assert [h["hotspot"] for h in s["hotspots"]] == ["ap-kara-1", "ap-lome-1"], s["hotspots"]
PY
"$G" hotspot usage "$DB" --from 2026-11-01 --to 2026-11-30 --json >"$T/users.json" || bad "usage"
[ "$(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))))' "$T/users.json")" = 3 ] \
  && ok "distinct users equal the per-user report's rows" || bad "per-user rows"

"$G" hotspot report "$DB" --month 2026-11 --out "$T/fr.html" --pdf "$T/fr.pdf" >"$T/out" 2>"$T/err" \
  || bad "report fr: $(cat "$T/err")"
has "$T/fr.html" "$T/out" && has "$T/fr.pdf" "$T/out" && ok "one line naming the files written"
F="$T/fr.html"
has '<html lang="fr">' "$F" && has "novembre 2026 (30 jours)" "$F" \
  && has "<b>1${NB}077,0 Go</b>Données échangées" "$F" \
  && has "<b>3</b>Utilisateurs distincts" "$F" && has "<b>3</b>Sessions" "$F" \
  && has "<b>2,5</b>Heures de connexion" "$F" \
  && has "<td class=\"r\">0,65 Go</td>" "$F" && has "<td class=\"r\">1${NB}076,4 Go</td>" "$F" \
  && ok "French totals: 1 077,0 Go, 3 users, 3 sessions, 2,5 h, in 0,65 Go, out 1 076,4 Go"
python3 - "$F" <<'PY' && ok "per access point: sorted by data, French figures" || bad "French AP table"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r"<tr><td>(ap-[^<]*)</td>((?:<td class=\"r\">[^<]*</td>){6})</tr>", h)
cells = [(n, re.findall(r'<td class="r">([^<]*)</td>', c)) for n, c in rows]
nb = "\u202f"
assert cells == [("ap-kara-1", ["2", "2", "0,15", f"1{nb}074,4", f"1{nb}074,5", "1,0"]),
                 ("ap-lome-1", ["1", "1", "0,50", "2,00", "2,50", "1,5"])], cells
PY
hasnt "ap-lome-2" "$F" && hasnt "carol" "$F" && ok "December's session and access point left out"
hasnt "alice" "$F" && hasnt "$V" "$F" && has "aucun tableau par étudiant" "$F" \
  && ok "no per-student data; the footnote says why"
python3 - "$F" <<'PY' && ok "three SVG charts (data per day, users per day, busiest APs)" || bad "charts"
import base64, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
imgs = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', h)
assert len(imgs) == 3, len(imgs)
for b in imgs:
    svg = base64.b64decode(b).decode()
    assert "<svg" in svg and ("<path" in svg or "<rect" in svg), svg[:200]
PY

"$G" hotspot report "$DB" --month 2026-11 --lang en --out "$T/en.html" >/dev/null 2>"$T/err" \
  || bad "report en: $(cat "$T/err")"
E="$T/en.html"
has '<html lang="en">' "$E" && has "Student WiFi hotspots: monthly usage report" "$E" \
  && has "November 2026 (30 days)" "$E" && has "<b>1,077.0 GB</b>Data transferred" "$E" \
  && has "<b>3</b>Distinct users" "$E" && has "<b>2.5</b>Connected hours" "$E" \
  && has "<td>ap-kara-1</td>" "$E" && has "<td>ap-lome-1</td>" "$E" && hasnt "ap-lome-2" "$E" \
  && has "no table per student" "$E" && ok "English report: 1,077.0 GB, 3 users, both access points"

if pdftotext -v >/dev/null 2>&1; then
  pdftotext "$T/fr.pdf" "$T/fr.txt" || bad "pdftotext"
  [ "$(head -c 5 "$T/fr.pdf")" = "%PDF-" ] && has "rapport d'usage mensuel" "$T/fr.txt" \
    && has "novembre 2026" "$T/fr.txt" && has "077,0 Go" "$T/fr.txt" && has "ap-kara-1" "$T/fr.txt" \
    && hasnt "ap-lome-2" "$T/fr.txt" && ok "PDF: title, month, total and access points"
else
  bad "pdftotext (poppler-utils) not installed"
fi

# December holds only carol's session
"$G" hotspot report "$DB" --month 2026-12 --out "$T/dec.html" >/dev/null || bad "report december"
has "<td>ap-lome-2 &lt;amphi &quot;é&quot;&gt;</td>" "$T/dec.html" && hasnt "<amphi" "$T/dec.html" \
  && hasnt "ap-kara-1" "$T/dec.html" && has "<b>1</b>Utilisateurs distincts" "$T/dec.html" \
  && has "<b>4,33 Go</b>" "$T/dec.html" && ok "December: 1 user, 4,33 Go on ap-lome-2 (name escaped)"

# a month without traffic is a report saying so, not an error
"$G" hotspot report "$DB" --month 2027-02 --out "$T/empty.html" --pdf "$T/empty.pdf" >/dev/null 2>"$T/err" \
  || bad "empty month failed: $(cat "$T/err")"
has "Aucun trafic enregistré ce mois-ci." "$T/empty.html" && has "février 2027 (28 jours)" "$T/empty.html" \
  && has "<b>0,00 Go</b>" "$T/empty.html" && [ -s "$T/empty.pdf" ] && ok "empty month: report says no traffic"

# bad input: exit code 2, the message names the option, no file written
refused=0
for m in 2027-13 2027-1 2027-00 27-01-01 ""; do
  "$G" hotspot report "$DB" --month "$m" --out "$T/bad.html" >/dev/null 2>"$T/err"
  rc=$?
  [ $rc = 2 ] && has "--month '$m'" "$T/err" && [ ! -e "$T/bad.html" ] \
    && refused=$((refused + 1)) || bad "--month '$m': exit $rc, $(cat "$T/err")"
done
[ $refused = 5 ] && ok "bad --month (2027-13, 2027-1, ...) refused with exit code 2 naming --month"
GOVNET_LANG=fr "$G" hotspot report "$DB" --month 2027-13 --out "$T/bad.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && has "--month '2027-13' : YYYY-MM attendu" "$T/err" && ok "the same refusal in French"
"$G" hotspot report "$DB" --out "$T/bad.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && has "--month" "$T/err" && ok "missing --month: exit 2"
"$G" hotspot report "$DB" --month 2026-11 --lang de --out "$T/bad.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && has "--lang 'de'" "$T/err" && ok "--lang de: exit 2"
"$G" hotspot report "$T/none.gpkg" --month 2026-11 --out "$T/bad.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && has "none.gpkg" "$T/err" && [ ! -e "$T/bad.html" ] && ok "missing store: exit 1 naming it"
"$G" hotspot report "$DB" --month 2026-11 --out "$T/no/such/dir/r.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] && has "r.html" "$T/err" && ok "unwritable output: exit 1 naming the file"
exit $fail
