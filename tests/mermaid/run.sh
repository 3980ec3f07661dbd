#!/usr/bin/env bash
# Mermaid exports (doc/exports.md): every view of the demo, a scenario's
# changes and hostile names, parsed by Mermaid's own parser (the npm package,
# installed once into build/mermaid-node when Node and npm are here), or
# else checked against the flowchart subset sovmap writes (grammar.py).
# Usage: tests/mermaid/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-mermaid-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && echo "$2" | head -10 | sed 's/^/    /'; }
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
sm() { "$bin" --catalog "$@"; }

sm "$tmp/demo.db" demo >/dev/null || { bad "demo"; echo "$passed passed, $failed failed"; exit 1; }
files=()
for v in full regions systems; do
    sm "$tmp/demo.db" export mermaid --view "$v" -o "$tmp/$v.mmd" && files+=("$tmp/$v.mmd") || bad "export mermaid --view $v"
done
sm "$tmp/demo.db" export mermaid --view focus --focus loyalty_members_eu -o "$tmp/focus.mmd" &&
    files+=("$tmp/focus.mmd") || bad "export mermaid --view focus"
sm "$tmp/demo.db" export mermaid --scenario dpf-struck-down --changed-only -o "$tmp/changes.mmd" &&
    files+=("$tmp/changes.mmd") || bad "export mermaid --changed-only"
# hostile names: quotes, brackets, pipes, #, <script>, backticks, line breaks
h="$tmp/hostile.db"
sm "$h" init >/dev/null
sm "$h" dataset add 'a"b]|c#d<script>`x`' --tier restricted --subjects EU >/dev/null
sm "$h" place 'a"b]|c#d<script>`x`' aws:eu-west-1 --encrypted >/dev/null
# a name with a line break: sovmap refuses it in a new name (QA #21), so it goes
# in by SQL, as an older sovmap or another tool left it
printf 'two\nlines & more' > "$tmp/name2"
python3 "$root/tests/hostile/sqlname.py" "$h" "$tmp/name2" || bad "sqlname.py"
sm "$h" place $'two\nlines & more' aws:us-east-1 >/dev/null
sm "$h" flow add 'a"b]|c#d<script>`x`' $'two\nlines & more' --kind etl --name 'f"|>x' >/dev/null
for v in full regions systems; do
    sm "$h" export mermaid --view "$v" -o "$tmp/hostile-$v.mmd" && files+=("$tmp/hostile-$v.mmd") || bad "hostile export --view $v"
done
# red is kept: the demo's violations are styled
grep -q '^  classDef bad ' "$tmp/full.mmd" && grep -q '^  linkStyle [0-9]* stroke:#d00000' "$tmp/full.mmd" && ok ||
    bad "no red styling in the full view"
grep -q '<script>' "$tmp"/hostile-*.mmd && bad "raw <script> in a label" || ok

checker=""
if command -v node >/dev/null && command -v npm >/dev/null; then
    nm="$root/build/mermaid-node"     # shared by every build directory
    if [ ! -d "$nm/node_modules/mermaid" ]; then
        mkdir -p "$nm"
        timeout 300 npm install --prefix "$nm" --no-audit --no-fund --silent mermaid@12 jsdom@26 >/dev/null 2>&1 ||
            rm -rf "$nm/node_modules"
    fi
    [ -d "$nm/node_modules/mermaid" ] && checker=node
fi
if [ "$checker" = node ]; then
    cp "$root/tests/mermaid/parse.mjs" "$nm/parse.mjs"
    out=$(cd "$nm" && timeout 300 node parse.mjs "${files[@]}" 2>&1)
    echo "mermaid: parsed by mermaid $(cd "$nm" && node -p 'require("mermaid/package.json").version' 2>/dev/null)"
else
    out=$(python3 "$root/tests/mermaid/grammar.py" "${files[@]}" 2>&1)
    echo "mermaid: no Node/npm here; checked against the flowchart subset (grammar.py)"
fi
while IFS= read -r line; do
    case "$line" in
        ok\ *) ok ;;
        FAIL*) bad "$line" ;;
    esac
done <<<"$out"
[ "$(grep -c '^ok ' <<<"$out")" -eq "${#files[@]}" ] || bad "not every file was checked" "$out"
echo "$passed passed, $failed failed"
