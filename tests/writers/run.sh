#!/usr/bin/env bash
# Many writers (doc/catalog.md): two CLI writers change one catalog at the
# same time for SOVMAP_WRITERS_SECONDS (30 by default): fields and tags of
# one shared dataset, its owner (writer a) and description (writer b),
# datasets, copies and flows of their own. Every command that exited 0
# must be in the final catalog, the shared attributes must hold the last
# value each writer set, and the audit log must hold exactly one entry per
# successful command and none for a failed one.
# A reader checks the catalog all the while, and every command runs with the
# load snapshot on for any size (doc/catalog.md): after a load from the
# tables the reader's checks write the snapshot while the writers go on,
# and a writer loads from it whenever it is good (inside its write lock);
# a stale one would lose updates, which the checks below count. At the end
# a load from the snapshot must give the model the tables give.
# Usage: tests/writers/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_ACTOR=writers
export SOVMAP_SNAPSHOT_MIN=1
seconds=${SOVMAP_WRITERS_SECONDS:-30}
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-writers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && echo "$2" | head -10 | sed 's/^/    /'; }
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
command -v sqlite3 >/dev/null || { echo "writers: needs the sqlite3 shell"; echo "0 passed, 1 failed"; exit 1; }
cat="$tmp/c.db"
sm() { "$bin" --catalog "$cat" "$@"; }
q()  { sqlite3 -cmd '.timeout 10000' "$cat" "$1"; }

sm init >/dev/null && sm dataset add shared --tier confidential --subjects EU >/dev/null &&
    sm place shared aws:eu-west-1 --encrypted >/dev/null || { bad "set-up"; echo "$passed passed, $failed failed"; exit 1; }
base=$(q 'SELECT count(*) FROM audit')

# writer W: one round of five commands after another until the time is up;
# each command's line and exit status go to W.log
writer() {
    local w=$1 attr=$2 end=$(( $(date +%s) + seconds )) i=0 rc
    while [ "$(date +%s)" -lt "$end" ]; do
        i=$((i + 1))
        run() { "$@" >/dev/null 2>>"$tmp/$w.err"; rc=$?; echo "$rc $w $i $*" >>"$tmp/$w.log"; }
        run sm field add shared "f$w$i"
        run sm tag add "shared.f$w$i" "pii.$w$i"
        run sm dataset edit shared "--$attr" "$w$i"
        run sm dataset add "d$w$i" --tier confidential --subjects EU
        run sm place "d$w$i" aws:eu-central-1 --encrypted
        run sm flow add shared "d$w$i" --kind etl --encrypted --name "fl$w$i"
    done
}
# reader: read-only checks until the time is up, each writing the load
# snapshot after a load from the tables
reader() {
    local end=$(( $(date +%s) + seconds )) n=0 rc
    while [ "$(date +%s)" -lt "$end" ]; do
        sm check >/dev/null 2>>"$tmp/reader.out"; rc=$?
        [ $rc -le 1 ] || echo "check exited $rc" >>"$tmp/reader.out"
        n=$((n + 1))
    done
    echo "$n" >"$tmp/reader.n"
}
writer a owner & writer b description & reader & wait

for w in a b; do
    n=$(wc -l <"$tmp/$w.log"); nok=$(grep -c '^0 ' "$tmp/$w.log")
    echo "writers: $w ran $n commands, $nok exited 0"
    [ "$nok" -ge 20 ] && ok || bad "writer $w made too few changes ($nok)" "$(tail -5 "$tmp/$w.err")"
done
# a failure may only be the lock timing out, never a lost or refused change
grep -v 'locked by another\|database is locked' "$tmp"/*.err >"$tmp/other.err"
[ -s "$tmp/other.err" ] && bad "unexpected errors" "$(head -5 "$tmp/other.err")" || ok

# every successful command is in the catalog
q "SELECT name FROM field WHERE dataset=(SELECT id FROM dataset WHERE name='shared')" | sort >"$tmp/fields"
q "SELECT tag FROM tag WHERE dataset=(SELECT id FROM dataset WHERE name='shared')" | sort >"$tmp/tags"
q "SELECT name FROM dataset" | sort >"$tmp/datasets"
q "SELECT d.name FROM placement p JOIN dataset d ON d.id=p.dataset WHERE p.region='aws:eu-central-1'" | sort >"$tmp/copies"
q "SELECT name FROM flow" | sort >"$tmp/flows"
missing=0; lost=""
check() {   # check FILE VALUE
    grep -qxF -- "$2" "$tmp/$1" || { missing=$((missing + 1)); lost="$lost $1:$2"; }
}
cat "$tmp/a.log" "$tmp/b.log" | while read -r rc w i _ verb rest; do
    [ "$rc" = 0 ] || continue
    case "$verb $rest" in
        "field add"*) check fields "f$w$i" ;;
        "tag add"*) check tags "pii.$w$i" ;;
        "dataset add"*) check datasets "d$w$i" ;;
        "place "*) check copies "d$w$i" ;;
        "flow add"*) check flows "fl$w$i" ;;
    esac
    [ "$missing" -gt 0 ] && { echo "$lost" >"$tmp/lost"; }
done
[ -s "$tmp/lost" ] && bad "lost updates" "$(tr ' ' '\n' <"$tmp/lost" | head)" || ok

# the shared attributes hold the last value each writer set
last_a=$(grep '^0 a .* dataset edit' "$tmp/a.log" | tail -1 | awk '{print "a" $3}')
last_b=$(grep '^0 b .* dataset edit' "$tmp/b.log" | tail -1 | awk '{print "b" $3}')
got=$(q "SELECT owner || ' ' || description FROM dataset WHERE name='shared'")
[ "$got" = "$last_a $last_b" ] && ok || bad "owner/description: want '$last_a $last_b', got '$got'"

# one audit entry per successful command, none for a failed one
nok=$(cat "$tmp/a.log" "$tmp/b.log" | grep -c '^0 ')
naudit=$(( $(q 'SELECT count(*) FROM audit') - base ))
[ "$naudit" -eq "$nok" ] && ok || bad "audit entries: $naudit for $nok successful commands"
# and what the log says was added is what the catalog holds
q "SELECT substr(op, 18) FROM audit WHERE op LIKE 'field add shared %'" | sort >"$tmp/audit-fields"
cmp -s "$tmp/audit-fields" "$tmp/fields" && ok || bad "audit's field adds differ from the catalog's fields" "$(diff "$tmp/audit-fields" "$tmp/fields" | head)"
[ "$(q 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check"

# the reader's checks all ran; the snapshot it leaves (or one written now)
# and the one read after it give the model the tables give
echo "writers: the reader ran $(cat "$tmp/reader.n") checks beside them"
[ -s "$tmp/reader.out" ] && bad "reader errors" "$(head -5 "$tmp/reader.out")" || ok
sm export model-json -o "$tmp/snap1.json" &&
    sm export model-json -o "$tmp/snap2.json" &&
    SOVMAP_SNAPSHOT=off sm export model-json -o "$tmp/tables.json"
if cmp -s "$tmp/snap1.json" "$tmp/tables.json" && cmp -s "$tmp/snap2.json" "$tmp/tables.json" &&
   [ -s "$cat-snapshot" ] && [ ! -e "$cat-snapshot-new" ] &&
   [ "$(q "SELECT count(*) FROM meta WHERE key = 'snapshot'")" = 1 ]; then ok
else bad "the load snapshot after the writers" "$(ls -la "$tmp" | grep c.db)"; fi
echo "$passed passed, $failed failed"
