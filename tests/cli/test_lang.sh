#!/usr/bin/env bash
# test_lang.sh - the command's messages in French or English: `--lang`
# (before the command, or after it), GOVNET_LANG, then LC_ALL,
# LC_MESSAGES, LANG in POSIX order; English by default and for other
# locales. Library errors (swapped POP, missing file) and the command's
# own (unknown command, did you mean) come from one catalogue.
set -u
G="${GOVNET:?}"
[ -x "$G" ] || { echo "govnet binary missing: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
# expect NAME PATTERN CMD...: CMD's stderr must match PATTERN (grep -E)
expect() {
  local name=$1 pat=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  if ! grep -Eq -- "$pat" "$T/err"; then
    echo "FAIL $name: want /$pat/, got: $(head -c 300 "$T/err")"; fail=1
  fi
}
E="env -u GOVNET_LANG -u LC_ALL -u LC_MESSAGES -u LANG"
expect default-en "unknown command 'plna'; did you mean plan\?" $E "$G" plna
expect env-fr "commande inconnue 'plna' ; vouliez-vous dire plan \?" $E GOVNET_LANG=fr "$G" plna
expect lang-fr "commande inconnue 'plna'" $E LANG=fr_FR.UTF-8 "$G" plna
expect messages-fr "commande inconnue" $E LANG=en_US.UTF-8 LC_MESSAGES=fr_FR.UTF-8 "$G" plna
expect lc_all-wins "unknown command" $E LANG=fr_FR.UTF-8 LC_ALL=C "$G" plna
expect other-locale-en "unknown command" $E LANG=de_DE.UTF-8 "$G" plna
expect option-beats-env "unknown command" $E LANG=fr_FR.UTF-8 "$G" --lang en plna
# a library error, through the ctx, with its arguments in place
expect missing-file "impossible d'ouvrir $T/nope.csv : fichier inexistant" \
  $E "$G" --lang fr plan --sites "$T/nope.csv" --pop 1.2,6.1 --out "$T/o.gpkg"
expect missing-file-en "cannot open $T/nope.csv: no such file" \
  $E "$G" plan --sites "$T/nope.csv" --pop 1.2,6.1 --out "$T/o.gpkg"
# --lang after a command without its own --lang is taken out of its options
expect after-command "impossible d'ouvrir" \
  $E "$G" plan --sites "$T/nope.csv" --lang fr --pop 1.2,6.1 --out "$T/o.gpkg"
printf 'id,name,category,lon,lat\na,Site A,health,1.21,6.13\nb,Site B,admin,1.23,6.14\n' > "$T/s.csv"
expect swapped-pop "latitude et longitude semblent inversées ; vouliez-vous dire --pop 1.2278,6.126" \
  $E "$G" --lang fr plan --sites "$T/s.csv" --pop 6.126,1.2278 --out "$T/o.gpkg"
expect hint "vouliez-vous dire --listen ADDR:PORT \(p\. ex\." $E "$G" --lang fr serve --port 80
expect bad-lang "--lang takes fr or en" $E "$G" --lang de plna
# usage: French command descriptions
$E "$G" --lang fr --help > "$T/usage" 2>&1
grep -q "concevoir le réseau de tranchées" "$T/usage" || { echo "FAIL usage: $(head -3 "$T/usage")"; fail=1; }
# a command with its own --lang keeps it (the report's language) and the
# messages follow it too
"$G" plan --sites "$T/s.csv" --pop 1.22,6.135 --out "$T/p.gpkg" >/dev/null 2>&1 ||
  { echo "FAIL: plan"; fail=1; }
$E "$G" report "$T/p.gpkg" --out "$T/r.html" --lang fr >/dev/null 2>"$T/err" ||
  { echo "FAIL: report --lang fr: $(cat "$T/err")"; fail=1; }
grep -q 'lang="fr"' "$T/r.html" || { echo "FAIL: report not in French"; fail=1; }
"$G" db init "$T/s.db" >/dev/null || { echo "FAIL: db init"; fail=1; }
expect report-store-fr "est une base govnet .*pas un plan" \
  $E "$G" report "$T/s.db" --out "$T/r2.html" --lang fr
expect report-store-en "is a govnet store .*not a plan" \
  $E "$G" report "$T/s.db" --out "$T/r2.html" --lang en
[ $fail = 0 ] && echo "lang: French and English messages as asked"
exit $fail
