#!/bin/sh
# gen-explain.sh - cut doc/rules.md's rule sections ("### RES001 — title
# [severity]" up to the next heading) into one file per rule, OUTDIR/ID.txt,
# which `sovmap explain ID` and the TUI's finding pane print. The files are
# shipped in data/rules/explain/ so they work after `make install`;
# tests/cli/cases/explain.t checks that they match doc/rules.md.
#
# usage: tools/gen-explain.sh [doc/rules.md] [data/rules/explain]
set -eu
src=${1:-doc/rules.md}
out=${2:-data/rules/explain}
mkdir -p "$out"
rm -f "$out"/*.txt
awk -v out="$out" '
function flush() {
    if (file == "") return
    while (n > 0 && lines[n] == "") n--
    for (i = 1; i <= n; i++) print lines[i] > file
    close(file)
    file = ""; n = 0
}
/^#/ {
    flush()
    if ($0 ~ /^### [A-Z][A-Z][A-Z][0-9][0-9][0-9] /) {
        file = out "/" $2 ".txt"
        lines[++n] = substr($0, 5)
    }
    next
}
file != "" { gsub(/§/, "doc/rules.md §"); lines[++n] = $0 }
END { flush() }
' "$src"
