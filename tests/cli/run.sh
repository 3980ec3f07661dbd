#!/usr/bin/env bash
# End-to-end CLI cases: tests/cli/cases/*.t, each a list of commands with
# their expected output and exit code:
#   # comment
#   $ command            run by bash in a fresh temp dir ($T), sovmap on PATH
#   > line               stdout must be exactly the '>' lines, in order
#   ~ regex              some stdout line must match (grep -E)
#   ! text               stderr must contain text
#   ? N                  exit code (default 0)
# Usage: tests/cli/run.sh BUILD_DIR [CASE.t...] (default: every case).
# Prints one line per failing case and "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build"
passed=0; failed=0
shopt -s nullglob
run_block() {  # uses: cmd exp_out has_out greps errs code
    local out err rc
    out=$(cd "$T" && PATH="$bin/tests/wrap:$bin:$PATH" bash -c "$cmd" 2>"$T/.stderr"; echo "rc=$?")
    rc=${out##*rc=}; out=${out%rc=*}; out=${out%$'\n'}
    err=$(cat "$T/.stderr")
    if [ "$rc" != "$code" ]; then echo "  \$ $cmd: exit $rc, want $code"; echo "$err" | head -5 | sed 's/^/    /'; return 1; fi
    if [ "$has_out" = 1 ] && [ "$out" != "$exp_out" ]; then
        echo "  \$ $cmd: stdout differs"; diff <(echo "$exp_out") <(echo "$out") | head -20 | sed 's/^/    /'; return 1; fi
    local g
    for g in "${greps[@]}"; do
        if ! grep -Eq -- "$g" <<<"$out"; then echo "  \$ $cmd: no stdout line matches /$g/"; echo "$out" | head -10 | sed 's/^/    /'; return 1; fi
    done
    for g in "${errs[@]}"; do
        if ! grep -Fq -- "$g" <<<"$err"; then echo "  \$ $cmd: stderr lacks '$g'"; echo "$err" | head -5 | sed 's/^/    /'; return 1; fi
    done
    return 0
}
if [ -n "${SOVMAP_WRAP:-}" ]; then
    mkdir -p "$bin/tests/wrap"
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$SOVMAP_WRAP" "$bin/sovmap" > "$bin/tests/wrap/sovmap"
    chmod +x "$bin/tests/wrap/sovmap"
else
    rm -rf "$bin/tests/wrap"
fi
cases=("$root"/tests/cli/cases/*.t)
[ $# -gt 1 ] && cases=("${@:2}")   # tests/cli/run.sh BUILD_DIR [CASE.t...]: only those
for case in "${cases[@]}"; do
    T=$(mktemp -d); export T HOME="$T" XDG_DATA_HOME="$T/xdg-data" XDG_CONFIG_HOME="$T/xdg-config"
    ok=1; cmd=""; exp_out=""; has_out=0; greps=(); errs=(); code=0; msgs=""
    flush() {
        [ -z "$cmd" ] && return 0
        if ! m=$(run_block); then ok=0; msgs="$msgs$m"$'\n'; fi
        cmd=""; exp_out=""; has_out=0; greps=(); errs=(); code=0
    }
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            '$ '*) flush; cmd=${line#\$ } ;;
            '>'*) l=${line#>}; l=${l# }; if [ "$has_out" = 1 ]; then exp_out+=$'\n'"$l"; else exp_out="$l"; has_out=1; fi ;;
            '~ '*) greps+=("${line#\~ }") ;;
            '! '*) errs+=("${line#! }") ;;
            '? '*) code=${line#\? } ;;
            *) ;;
        esac
    done < "$case"
    flush
    if [ "$ok" = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL cli/$(basename "$case")"; printf '%s' "$msgs"; fi
    rm -rf "$T"
done
echo "$passed passed, $failed failed"
