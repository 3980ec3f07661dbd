#!/usr/bin/env bash
# SARIF for GitHub code scanning: Microsoft's SARIF multitool (the npm
# package @microsoft/sarif-multitool, installed once into build/sarif-node)
# validates sovmap's SARIF with its SARIF and GitHub rule sets ("Sarif;Gh"):
# no error may be reported, for a catalog (the demo, a waiver, a custom rule)
# and for a model-json file. Where Node or the npm registry is missing the
# OASIS schema check of tests/cli (check-*.t) still runs; this one says so.
# Usage: tests/sarif/multitool.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-sarif-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && echo "$2" | head -10 | sed 's/^/    /'; }
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }

nm="$root/build/sarif-node"
tool=""
if command -v npm >/dev/null; then
    if [ ! -x "$nm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
        mkdir -p "$nm"
        timeout 300 npm install --prefix "$nm" --no-audit --no-fund --silent \
            @microsoft/sarif-multitool >/dev/null 2>&1 || rm -rf "$nm/node_modules"
    fi
    t="$nm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
    [ -x "$t" ] && tool=$t
fi
if [ -z "$tool" ]; then
    echo "sarif: the SARIF multitool cannot be installed here (no npm or registry); the OASIS schema checks in tests/cli still ran"
    echo "0 passed, 0 failed"
    exit 0
fi

cd "$tmp" || exit 1
"$bin" --catalog demo.db demo >/dev/null
"$bin" --catalog demo.db check --format sarif -o demo.sarif
"$bin" --catalog demo.db waive RES001 loyalty_members_eu@aws:us-east-1 --owner dpo \
    --reason "moving in Q1" --expires 2027-03-31 >/dev/null
"$bin" --catalog demo.db check --format sarif -o waived.sarif
"$bin" --catalog demo.db export model-json -o model.json
"$bin" check model.json --format sarif -o model.sarif
for f in demo waived model; do
    [ -s "$f.sarif" ] || { bad "$f.sarif was not written"; continue; }
    # exit code aside, an "error" line is a failed rule (warnings are advice)
    out=$(DOTNET_CLI_TELEMETRY_OPTOUT=1 timeout 300 "$tool" validate --rule-kind "Sarif;Gh" \
          "$f.sarif" -o "$f.out.sarif" --log ForceOverwrite 2>&1)
    errs=$(grep -E ': error [A-Z]+[0-9]+' <<<"$out")
    if [ -n "$errs" ]; then bad "$f.sarif: multitool errors" "$errs"
    elif ! grep -q "Analysis completed successfully" <<<"$out"; then bad "$f.sarif: multitool did not finish" "$out"
    else ok; fi
done
echo "sarif: validated by $("$tool" --version 2>&1 | head -1)"
echo "$passed passed, $failed failed"
