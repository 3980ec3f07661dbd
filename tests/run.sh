#!/usr/bin/env bash
# Run every test: cmocka unit binaries, CLI cases, TUI tests, and the other
# suites under tests/*/run.sh.
# Usage: tests/run.sh BUILD_DIR. VALGRIND=1 runs binaries under valgrind.
# TEST_TIMES=1 lists the slowest suites. JOBS=N runs N suites at once (default: the number of CPUs). Each suite writes
# to its own log; the logs are printed in a fixed order afterwards, so the
# output does not depend on JOBS. Every suite already works in its own temporary
# directory and tmux socket, which is what makes running them together safe.
# Prints "N passed, N failed" last; exits 1 if anything failed.
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
export SOVMAP_DATA="$root/data" SOVMAP_BIN="$root/$build/sovmap" TZ=UTC LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=stdout
export root build
vg=""
if [ "${VALGRIND:-0}" = 1 ]; then
    vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$root/tests/valgrind-graphviz.supp"
    export SOVMAP_WRAP="$vg"
fi
export vg
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
logs=$(mktemp -d "${TMPDIR:-/tmp}/sovmap-tests-XXXXXX")
trap 'rm -rf "$logs"' EXIT
export logs

# One suite: "unit:PATH" (a cmocka binary) or "suite:PATH" (a run.sh). Writes
# $logs/N.log and $logs/N.rc, N being the suite's place in the list.
run_one() {
    n=$1 spec=$2 t0=$(date +%s)
    case $spec in
    unit:*) (cd "$root" && $vg "${spec#unit:}") >"$logs/$n.log" 2>&1 ;;
    suite:*) bash "${spec#suite:}" "$build" >"$logs/$n.log" 2>&1 ;;
    esac
    rc=$?
    s=${spec#*:}; case $spec in suite:*) s=$(basename "$(dirname "$s")") ;; *) s=$(basename "$s") ;; esac
    echo "$(( $(date +%s) - t0 ))s $s" >"$logs/$n.time"
    echo $rc >"$logs/$n.rc"
}
export -f run_one

specs=()
# the longest suites first, so that two CPUs finish together
for runner in cli tui writers hostile limits crash term memcheck mermaid views source; do
    [ -f "$root/tests/$runner/run.sh" ] && specs+=("suite:$root/tests/$runner/run.sh")
done
[ -f "$root/tests/sarif/multitool.sh" ] && specs+=("suite:$root/tests/sarif/multitool.sh")
for t in "$root/$build"/tests/test_*; do
    [ -x "$t" ] && specs+=("unit:$t")
done
for i in "${!specs[@]}"; do printf '%s\t%s\n' "$i" "${specs[$i]}"; done |
    xargs -d '\n' -P "$jobs" -n 1 bash -c 'IFS=$(printf "\t") read -r n spec <<<"$1"; run_one "$n" "$spec"' _

passed=0; failed=0; failures=""
# unit binaries first (as the runner always printed them), then the suites
order=()
for i in "${!specs[@]}"; do case ${specs[$i]} in unit:*) order+=("$i") ;; esac; done
for i in "${!specs[@]}"; do case ${specs[$i]} in suite:*) order+=("$i") ;; esac; done
for i in "${order[@]}"; do
    spec=${specs[$i]} log="$logs/$i.log"
    rc=$(cat "$logs/$i.rc" 2>/dev/null || echo 1)
    case $spec in
    unit:*)
        name=$(basename "${spec#unit:}")
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        [ "$f" -ne 0 ] && { failures="$failures $name"; cat "$log"; }
        echo "$name: $p passed, $f failed"
        ;;
    suite:*)
        runner=${spec#suite:}
        grep -v '^[0-9]* passed, [0-9]* failed$' "$log"
        line=$(grep '^[0-9]* passed, [0-9]* failed$' "$log" | tail -n 1)
        p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
        [ -n "$line" ] || { p=0; f=1; }
        [ "$f" -ne 0 ] && failures="$failures $(basename "$(dirname "$runner")")"
        ;;
    esac
    passed=$((passed + p)); failed=$((failed + f))
done
[ "${TEST_TIMES:-0}" = 1 ] && sort -rn "$logs"/*.time | head -n 12
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
