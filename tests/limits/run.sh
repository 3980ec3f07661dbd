#!/usr/bin/env bash
# Resource limits: every parser gets 100,000 nested arrays and a 200 MB file
# (SOVMAP_LIMITS_MB; generated in a temp dir, deleted after); check runs on a
# flow graph that is one etl cycle of 100,000 datasets (SOVMAP_LIMITS_CYCLE)
# under a 256 KB stack, so any recursion per node overflows; a catalog holds
# 100,000 user regions. Each must end in a clear message or the correct
# result, never a signal, with peak RSS (getrusage, rss.py) bounded.
# Usage: tests/limits/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
gen="$root/tests/limits/gen.py"
rss="$root/tests/limits/rss.py"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
mb=${SOVMAP_LIMITS_MB:-200}
ncycle=${SOVMAP_LIMITS_CYCLE:-100000}
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-limits-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '%s\n' "$2" | head -5 | cut -c1-200 | sed 's/^/    /'; }
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
# Under valgrind or ASan everything is slower and bigger: smaller inputs.
slow=""
if [ -n "${SOVMAP_WRAP:-}" ] || ldd "$bin" 2>/dev/null | grep -q libasan; then
    slow=1; mb=$((mb / 10)); ncycle=$((ncycle / 10))
fi
stack=256; [ -n "$slow" ] && stack=1024   # KB; sanitizers' frames are bigger

# measure NAME MAXKB -- ARGS: run sovmap ARGS; sets rc, kb (peak RSS), msg
# (stderr); a signal or an RSS above MAXKB fails.
measure() {
    local name=$1 max=$2; shift 3
    python3 "$rss" "$tmp/rss" ${SOVMAP_WRAP:-} "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?; kb=$(tail -n 1 "$tmp/rss" | grep -o '^[0-9]*$'); msg=$(cat "$tmp/stderr")
    if [ $rc -ge 128 ] || grep -qi "stack overflow\|AddressSanitizer" "$tmp/stderr"; then
        bad "$name: killed by a signal (rc $rc)" "$msg$(cat "$tmp/rss")"; return 1; fi
    if [ -n "$max" ] && [ -n "$kb" ] && [ -z "$slow" ] && [ "$kb" -gt "$max" ]; then
        bad "$name: peak RSS $kb KB > $max KB"; return 1; fi
    return 0
}
# clear MSG: one or two lines, naming the file, not echoing the input
clear_msg() { [ -n "$1" ] && [ "$(wc -l <<<"$1")" -le 2 ] && [ "${#1}" -lt 400 ]; }

"$bin" --catalog "$tmp/c.db" init >/dev/null
"$bin" --catalog "$tmp/c.db" export model-json -o "$tmp/base.json"
cp "$tmp/c.db" "$tmp/c0.db"

# ---- 1. 100,000 levels of nesting, to every JSON reader ----------------------
python3 "$gen" deep 100000 >"$tmp/deep.json"
deep_cases=(
    "import atlas|import atlas $tmp/deep.json"
    "import glue|import glue $tmp/deep.json"
    "import lf-tags|import lf-tags $tmp/deep.json"
    "import model|import model $tmp/deep.json"
    "import --map|import atlas $tmp/deep.json --map $tmp/deep.json"
    "import --input|import glue $tmp/deep.json --input $tmp/deep.json"
    "rule pack|--rules $tmp/deep.json check"
    "theme|--theme $tmp/deep.json export dot"
)
for c in "${deep_cases[@]}"; do
    name=${c%%|*}; args=${c#*|}
    # shellcheck disable=SC2086
    measure "deep: $name" 65536 -- --catalog "$tmp/c.db" $args || continue
    if { [ $rc -eq 2 ] || [ $rc -eq 0 ]; } && { [ $rc -eq 0 ] || clear_msg "$msg"; }; then ok
    else bad "deep: $name: rc $rc, want a one-line message" "$msg"; fi
done
# nothing of it reached the catalog
"$bin" --catalog "$tmp/c.db" export model-json -o "$tmp/after.json"
if cmp -s "$tmp/base.json" "$tmp/after.json"; then ok; else bad "deep: the catalog changed"; fi
rm -f "$tmp/deep.json"

# ---- 2. a $mb MB file: one huge string in an otherwise valid Atlas file,
# then the same bytes as a model and a rule pack (the mapping file is read
# like an import file) -----------------------------------------------------------
python3 "$gen" bigstring "$mb" >"$tmp/big.json"
max=$(( mb * 1024 * 4 + 131072 ))     # 4x the file, plus 128 MB
for c in "import atlas|import atlas $tmp/big.json --region eu-west-1" \
         "import model|import model $tmp/big.json" \
         "rule pack|--rules $tmp/big.json check"; do
    name=${c%%|*}; args=${c#*|}
    t0=$(date +%s)
    # shellcheck disable=SC2086
    measure "$mb MB: $name" "$max" -- --catalog "$tmp/c.db" $args || continue
    echo "limits: $mb MB file, $name: exit $rc, peak RSS $((kb / 1024)) MB, $(( $(date +%s) - t0 )) s: $(head -c 120 <<<"$msg")"
    if [ $rc -eq 0 ] || { [ $rc -eq 2 ] && clear_msg "$msg"; }; then ok
    else bad "$mb MB: $name: rc $rc" "$msg"; fi
done
rm -f "$tmp/big.json"
# and a file of that size that is not JSON at all
head -c $((mb * 1024 * 1024)) /dev/zero | tr '\0' '[' >"$tmp/junk.json"
measure "$mb MB of [: import atlas" "$max" -- --catalog "$tmp/c.db" import atlas "$tmp/junk.json" &&
    { [ $rc -eq 2 ] && clear_msg "$msg" && ok || bad "$mb MB of [: rc $rc" "$msg"; }
rm -f "$tmp/junk.json"

# ---- 3. a flow graph that is one cycle of $ncycle datasets --------------------
python3 "$gen" cycle "$ncycle" "$tmp/base.json" >"$tmp/cycle.json"
cp "$tmp/c0.db" "$tmp/cy.db"
if measure "cycle: import" "" -- --catalog "$tmp/cy.db" import model "$tmp/cycle.json" && [ $rc -eq 0 ]; then ok
else bad "cycle: import model rc ${rc:-?}" "$msg"; fi
rm -f "$tmp/cycle.json"
# 256 KB of stack: recursion along the cycle would overflow it
(ulimit -s "$stack"; measure "cycle: check" "" -- --catalog "$tmp/cy.db" check --format json; echo "$rc $kb" >"$tmp/cyrc")
read -r rc kb <"$tmp/cyrc"
n=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(f['rule']=='LIN001' for f in d['findings']))" "$tmp/stdout" 2>/dev/null)
# d0 is restricted with EU subjects; the cycle carries it into every other one
if [ "$rc" = 1 ] && [ "$n" = $((ncycle - 1)) ]; then ok
else bad "cycle: check rc $rc, $n LIN001 findings, want $((ncycle - 1))" "$(cat "$tmp/stderr")"; fi
echo "limits: $ncycle-dataset cycle: check under a $stack KB stack: exit $rc, $n findings, peak RSS $((kb / 1024)) MB"
(ulimit -s "$stack"; measure "cycle: svg" "" -- --catalog "$tmp/cy.db" export svg -o "$tmp/cy.svg"; echo "$rc" >"$tmp/cyrc")
read -r rc <"$tmp/cyrc"
if [ "$rc" = 0 ] || { [ "$rc" = 2 ] && clear_msg "$(cat "$tmp/stderr")"; }; then ok
else bad "cycle: export svg rc $rc" "$(cat "$tmp/stderr")"; fi
(ulimit -s "$stack"; measure "cycle: lineage-csv" "" -- --catalog "$tmp/cy.db" export lineage-csv -o "$tmp/cy.csv"; echo "$rc" >"$tmp/cyrc")
read -r rc <"$tmp/cyrc"
if [ "$rc" = 0 ] && [ "$(wc -l <"$tmp/cy.csv")" -gt "$ncycle" ]; then ok; else bad "cycle: lineage-csv rc $rc"; fi
rm -f "$tmp/cy.db"* "$tmp/cy.svg" "$tmp/cy.csv"

# ---- 4. 100,000 user regions ---------------------------------------------------
python3 "$gen" regions 100000 "$tmp/base.json" >"$tmp/regions.json"
cp "$tmp/c0.db" "$tmp/r.db"
if measure "regions: import" "" -- --catalog "$tmp/r.db" import model "$tmp/regions.json" && [ $rc -eq 0 ]; then ok
else bad "regions: import model rc ${rc:-?}" "$msg"; fi
if measure "regions: list" "" -- --catalog "$tmp/r.db" region list && [ $rc -eq 0 ] &&
   [ "$(grep -c 'onprem:site-' "$tmp/stdout")" = 100000 ]; then ok
else bad "regions: region list rc $rc, $(grep -c 'onprem:site-' "$tmp/stdout") sites"; fi
if measure "regions: check" "" -- --catalog "$tmp/r.db" check && [ $rc -eq 0 ]; then ok
else bad "regions: check rc $rc (far is in DE, inside the EEA)" "$msg$(head -5 "$tmp/stdout")"; fi
if measure "regions: add one more" "" -- --catalog "$tmp/r.db" region add onprem:site-x --country FR &&
   [ $rc -eq 0 ]; then ok; else bad "regions: region add rc $rc" "$msg"; fi
if measure "regions: map" "" -- --catalog "$tmp/r.db" export map-csv -o "$tmp/r.csv" && [ $rc -eq 0 ]; then ok
else bad "regions: export map-csv rc $rc" "$msg"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
