#!/bin/sh
# Run every test: cmocka unit binaries, CLI cases, TUI tests.
# Usage: tests/run.sh BUILD_DIR. VALGRIND=1 runs binaries under valgrind.
# Prints "N passed, N failed" last; exits 1 if anything failed.
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
export SOVMAP_DATA="$root/data" SOVMAP_BIN="$root/$build/sovmap" TZ=UTC LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=stdout
vg=""
if [ "${VALGRIND:-0}" = 1 ]; then
    vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$root/tests/valgrind-graphviz.supp"
    export SOVMAP_WRAP="$vg"
fi
passed=0; failed=0; failures=""
log=$(mktemp); trap 'rm -f "$log"' EXIT
for t in "$root/$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    (cd "$root" && $vg "$t") >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        failures="$failures $name"
        cat "$log"
    fi
    echo "$name: $p passed, $f failed"
done
for runner in "$root"/tests/cli/run.sh "$root"/tests/tui/run.sh "$root"/tests/crash/run.sh "$root"/tests/hostile/run.sh "$root"/tests/limits/run.sh "$root"/tests/term/run.sh "$root"/tests/writers/run.sh "$root"/tests/mermaid/run.sh "$root"/tests/views/run.sh "$root"/tests/sarif/multitool.sh; do
    [ -f "$runner" ] || continue
    out=$(bash "$runner" "$build" 2>&1)
    echo "$out" | grep -v '^[0-9]* passed, [0-9]* failed$'
    line=$(echo "$out" | grep '^[0-9]* passed, [0-9]* failed$' | tail -n 1)
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    [ -n "$line" ] || { p=0; f=1; }
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" -ne 0 ] && failures="$failures $(basename "$(dirname "$runner")")"
done
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
