#!/bin/sh
# Run the libFuzzer targets built by `make fuzz` (build-fuzz/), each for
# SECONDS seconds (default 300), seeded from tests/fixtures; new corpus
# entries go to build-fuzz/corpus/TARGET. Prints each target's exec count.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
secs=${1:-300}; [ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/${FUZZ_BUILD:-build-fuzz}"
fix="$root/tests/fixtures"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}"
targets=${*:-"atlas glue lf terraform model_json rulepack importmap theme config"}
status=0
for t in $targets; do
    corpus="$bin/corpus/$t"; mkdir -p "$corpus"
    case $t in
        atlas) cp "$fix"/atlas/*.json "$corpus"/ ;;
        glue) cp "$fix"/glue/*.json "$corpus"/ ;;
        lf) cp "$fix"/lakeformation/*.json "$corpus"/ ;;
        terraform) cp "$root"/tests/fixtures/terraform/*.json "$corpus"/ ;;
        model_json) [ -f "$root/data/demo/demo.json" ] && cp "$root/data/demo/demo.json" "$corpus"/
                    cp "$root"/tests/fixtures/hand-edited/*.json "$corpus"/ ;;
        rulepack) cp "$root"/data/rules/*.json "$corpus"/ ;;
        importmap) cp "$root/data/import-map.json" "$corpus"/ ;;
        theme) cp "$root"/themes/*.theme "$corpus"/ ;;
        config) printf 'theme mono\nbind list J move-down\nbind global C-x quit # c\n' >"$corpus/config" ;;
    esac
    log="$bin/fuzz_$t.log"
    dict="$root/tests/fuzz/import.dict"
    [ -f "$root/tests/fuzz/$t.dict" ] && dict="$root/tests/fuzz/$t.dict"
    "$bin/fuzz_$t" -max_total_time="$secs" -dict="$dict" \
        -artifact_prefix="$bin/crash-$t-" -max_len=262144 -rss_limit_mb=4096 "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    [ -z "$execs" ] && execs=$(grep -Eo '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    echo "fuzz_$t: exit $rc, ${execs:-?} execs in ${secs}s (log $log)"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
