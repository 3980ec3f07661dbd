#!/usr/bin/env bash
# Source rules a compiler does not check (doc/hacking.md, "Texts"):
#  - every fixed-size char array in src/ and include/ says why its contents are bounded,
#    with a comment beginning "bounded:" on its line or the line before; a
#    name, description, tag, path or message never goes in one (they are
#    heap texts: sm_text, tui_text, the allocating formatters in sm.h).
# One test per source file that declares char arrays.
# Usage: tests/source/run.sh [BUILD_DIR] (the build is not used). Prints
# "N passed, N failed" last.
root=$(cd "$(dirname "$0")/../.." && pwd)
passed=0; failed=0
while IFS= read -r f; do
    out=$(awk '
        { if ($0 ~ /(^|[^A-Za-z_])char[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*\[[^]]+\]/ &&
              $0 !~ /bounded:/ && prev !~ /bounded:/)
              printf "    %s:%d: %s\n", FILENAME, FNR, $0
          prev = $0 }' "$f")
    grep -qE '(^|[^A-Za-z_])char[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]*\[[^]]+\]' "$f" || continue
    if [ -z "$out" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL ${f#$root/}: a fixed-size char array without a \"bounded:\" reason"
        printf '%s\n' "$out" | sed "s|$root/||"
    fi
done < <(find "$root/src" "$root/include" -name '*.[ch]' | sort)
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
