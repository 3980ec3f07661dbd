#!/usr/bin/env bash
# Diagram views at real size (issue 18), on catalogs written by bench/gen
# (generated once per run, in a temp dir): on 1,000 datasets the regions
# view keeps its regions (no folding into jurisdictions) and gives every
# edge its own numbered callout; on 15,000 datasets `export png|pdf --view
# full` refuse, exit 2, naming a view that works, and that view renders.
# Usage: tests/views/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
gen="$root/$build/bench/gen"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-views-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '%s\n' "$2" | head -5 | cut -c1-300 | sed 's/^/    /'; }
for x in "$bin" "$gen"; do
    [ -x "$x" ] || { echo "no $x (make $build/bench/gen)"; echo "0 passed, 1 failed"; exit 1; }
done
run() { ${SOVMAP_WRAP:-} "$bin" "$@"; }
"$gen" --datasets 1000 "$tmp/1k.db" >/dev/null || bad "gen 1k"
"$gen" --datasets 15000 "$tmp/15k.db" >/dev/null || bad "gen 15k"

# ---- 1k: the regions view keeps regions, one callout per edge ------------------
if run --catalog "$tmp/1k.db" export dot --view regions -o "$tmp/r.dot" 2>"$tmp/err"; then
    regions=$(grep -c '^		"region:[^"]*"	\[' "$tmp/r.dot")
    edges=$(grep -c 'xlabel="\[[0-9]*\] ' "$tmp/r.dot")
    uniq=$(grep -o 'xlabel="\[[0-9]*\]' "$tmp/r.dot" | sort -u | wc -l)
    rows=$(grep -o '>\[[0-9]*\]</FONT>' "$tmp/r.dot" | sort -u | wc -l)
    if grep -q 'too many region pairs' "$tmp/r.dot"; then
        bad "1k regions view folded into jurisdictions" "$(grep -m1 'label=' "$tmp/r.dot")"
    elif [ "$regions" -lt 10 ] || [ "$edges" -le 40 ] || [ "$uniq" != "$edges" ] || [ "$rows" != "$edges" ]; then
        bad "1k regions view: $regions regions, $edges edges, $uniq distinct callouts, $rows table rows"
    else ok; fi
else bad "1k export dot --view regions" "$(cat "$tmp/err")"; fi
if run --catalog "$tmp/1k.db" export svg --view regions -o "$tmp/r.svg" 2>"$tmp/err" &&
   [ "$(grep -c 'class="edge"' "$tmp/r.svg")" -ge "$edges" ]; then ok
else bad "1k export svg --view regions" "$(cat "$tmp/err")"; fi

# ---- 15k: png/pdf of the full view refuse, naming a view that works -----------
for fmt in png pdf; do
    run --catalog "$tmp/15k.db" export "$fmt" --view full -o "$tmp/full.$fmt" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q -- '--view systems' "$tmp/err" && [ ! -e "$tmp/full.$fmt" ]; then ok
    else bad "15k export $fmt --view full: exit $rc" "$(cat "$tmp/err")"; fi
done
if run --catalog "$tmp/15k.db" export png --view systems -o "$tmp/sys.png" 2>"$tmp/err" &&
   [ -s "$tmp/sys.png" ]; then ok
else bad "15k export png --view systems (the view the message names)" "$(cat "$tmp/err")"; fi
echo "$passed passed, $failed failed"
