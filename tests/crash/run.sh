#!/usr/bin/env bash
# Crash safety: SIGKILL sovmap at many points of a large import (Atlas and
# model-json), a scenario apply and a burst of edits; fill the disk under an
# import, an edit and an export; hold the write lock from another process.
# After each: PRAGMA integrity_check is ok, the model (export model-json)
# is byte-equal to the state before or after the killed transaction (the
# burst: after some whole number of edits), and the audit log holds exactly
# one entry per committed change. Kills are timed (timeout -s KILL) at
# delays spread over the measured run time; no hook in the product.
# Usage: tests/crash/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8
export SOVMAP_NOW=2026-11-26T00:00:00Z SOVMAP_TODAY=2026-11-26 SOVMAP_ACTOR=crash
passed=0; failed=0; points=0
tmp=$(mktemp -d /tmp/sovmap-crash-XXXXXX)
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && echo "$2" | head -10 | sed 's/^/    /'; }
sm()  { "$bin" --catalog "$@"; }
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
command -v sqlite3 >/dev/null || { echo "crash: needs the sqlite3 shell"; echo "0 passed, 1 failed"; exit 1; }

integrity() { sqlite3 -cmd '.timeout 5000' "$1" 'PRAGMA integrity_check' 2>&1; }
audits()    { sqlite3 -cmd '.timeout 5000' "$1" 'SELECT count(*) FROM audit' 2>&1; }
dump()      { sm "$1" export model-json -o "$2" 2>&1; }
# settle CAT: checkpoint the WAL into the file so a plain cp copies everything
settle()    { sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; rm -f "$1-wal" "$1-shm"; }
now_ms()    { echo $(( $(date +%s%N) / 1000000 )); }

# ---- the inputs ---------------------------------------------------------------
sm "$tmp/empty.db" init >/dev/null || { bad "init"; echo "$passed passed, $failed failed"; exit 1; }
settle "$tmp/empty.db"
dump "$tmp/empty.db" "$tmp/empty.json" >/dev/null
python3 "$root/tests/crash/gen.py" atlas 1000 >"$tmp/atlas.json"
python3 "$root/tests/crash/gen.py" model 3000 400 "$tmp/empty.json" >"$tmp/model.json"

# reference STATE BASE.db -- ARGS: run the command to completion on a copy of
# BASE; sets ref_ms (its wall time) and writes STATE.json.
reference() {
    local state=$1 base=$2; shift 3
    cp "$tmp/$base.db" "$tmp/ref.db"
    local t0; t0=$(now_ms)
    if ! out=$(sm "$tmp/ref.db" "$@" 2>&1 >/dev/null); then bad "reference run $state: $*" "$out"; return 1; fi
    ref_ms=$(( $(now_ms) - t0 ))
    dump "$tmp/ref.db" "$tmp/$state.json" >/dev/null
    settle "$tmp/ref.db"; cp "$tmp/ref.db" "$tmp/$state.db"
    rm -f "$tmp/ref.db"*
}

# killpoints NAME BEFORE AFTER N -- ARGS: N timed SIGKILLs of `sovmap ARGS` on
# a copy of BEFORE.db; each outcome must be BEFORE.json or AFTER.json whole.
killpoints() {
    local name=$1 before=$2 after=$3 n=$4; shift 5
    local nb=0 na=0 nc=0 k d rc ab aa a fails=0
    ab=$(audits "$tmp/$before.db"); aa=$(audits "$tmp/$after.db")
    for k in $(seq 1 "$n"); do
        # spread over 1.3x the reference time, a little jitter per point
        d=$(awk -v k="$k" -v n="$n" -v t="$ref_ms" -v r="$RANDOM" \
            'BEGIN { printf "%.3f", (k - 0.5) * t * 1.3 / n / 1000 + r % 7 / 1000 }')
        cp "$tmp/$before.db" "$tmp/work.db"; rm -f "$tmp/work.db-wal" "$tmp/work.db-shm"
        { timeout -s KILL "$d" "$bin" --catalog "$tmp/work.db" "$@" >/dev/null 2>&1; } 2>/dev/null
        rc=$?
        points=$((points + 1))
        [ $rc -eq 137 ] || nc=$((nc + 1))
        ic=$(integrity "$tmp/work.db")
        if [ "$ic" != ok ]; then
            bad "$name: kill at ${d}s (rc $rc): integrity" "$ic"; fails=1; rm -f "$tmp/work.db"*; continue; fi
        dump "$tmp/work.db" "$tmp/work.json" >/dev/null
        a=$(audits "$tmp/work.db")
        if cmp -s "$tmp/work.json" "$tmp/$before.json" && [ "$a" = "$ab" ]; then nb=$((nb + 1))
        elif cmp -s "$tmp/work.json" "$tmp/$after.json" && [ "$a" = "$aa" ]; then na=$((na + 1))
        else
            bad "$name: kill at ${d}s (rc $rc): the model is neither before nor after (audit $a, want $ab or $aa)" \
                "$(diff "$tmp/$before.json" "$tmp/work.json" | head -8)"
            fails=1
        fi
        rm -f "$tmp/work.db"*
    done
    [ $fails -eq 0 ] && ok
    echo "crash: $name: $n kill points: $nb before, $na after ($nc ran to the end before the kill)"
}

# 1. An Atlas import of 1000 tables into a new catalog.
reference atlas-after empty -- import atlas "$tmp/atlas.json" --region eu-west-1 &&
    killpoints "import atlas" empty atlas-after 12 -- import atlas "$tmp/atlas.json" --region eu-west-1

# 2. import model: 3000 datasets, 6000 copies, 2000 flows replace the model.
reference model-after empty -- import model "$tmp/model.json" &&
    killpoints "import model" empty model-after 10 -- import model "$tmp/model.json"

# 3. scenario apply: 400 ops on the 3000-dataset catalog, one transaction.
reference applied model-after -- scenario apply big &&
    killpoints "scenario apply" model-after applied 10 -- scenario apply big

# 4. A burst of 24 edits, one process each: after a kill the catalog holds the
# first k edits exactly, for some k, and k audit entries more.
cat >"$tmp/burst.sh" <<'SH'
#!/usr/bin/env bash
# burst.sh SOVMAP CATALOG [DUMPDIR]: 24 edits; with DUMPDIR, the model after each
s=$1; c=$2; d=${3:-}
i=0
step() { "$s" --catalog "$c" "$@" >/dev/null 2>&1 || { echo "edit failed: $*" >&2; exit 1; }
         i=$((i + 1)); [ -n "$d" ] && "$s" --catalog "$c" export model-json -o "$d/$i.json"; return 0; }
for k in 0 1 2 3; do
    step dataset add burst$k --tier restricted --subjects EU --system crash
    step place burst$k aws:eu-west-1 --encrypted
    step field add burst$k email --tag pii.email
    step place burst$k aws:us-east-1 --role replica
    step dataset edit ds0000$k --owner burst$k   # a real change: a no-op logs nothing
    step place rm burst$k@aws:us-east-1
done
SH
burst_states=0
mkdir -p "$tmp/burst"
cp "$tmp/model-after.db" "$tmp/b.db"
t0=$(now_ms)
if out=$(bash "$tmp/burst.sh" "$bin" "$tmp/b.db" "$tmp/burst" 2>&1); then
    ref_ms=$(( $(now_ms) - t0 )); ref_ms=$((ref_ms / 2))   # half of it was dumping
    cp "$tmp/model-after.json" "$tmp/burst/0.json"
    burst_states=$(ls "$tmp/burst" | wc -l)
else
    bad "burst reference run" "$out"
fi
rm -f "$tmp/b.db"*
if [ "$burst_states" -eq 25 ]; then
    ab=$(audits "$tmp/model-after.db"); fails=0; n=12; hist=""
    for k in $(seq 1 $n); do
        d=$(awk -v k="$k" -v n="$n" -v t="$ref_ms" -v r="$RANDOM" \
            'BEGIN { printf "%.3f", (k - 0.5) * t / n / 1000 + r % 13 / 1000 }')
        cp "$tmp/model-after.db" "$tmp/work.db"
        { timeout -s KILL "$d" bash "$tmp/burst.sh" "$bin" "$tmp/work.db" >/dev/null 2>&1; } 2>/dev/null
        points=$((points + 1))
        if [ "$(integrity "$tmp/work.db")" != ok ]; then bad "burst: kill at ${d}s: integrity"; fails=1; rm -f "$tmp/work.db"*; continue; fi
        dump "$tmp/work.db" "$tmp/work.json" >/dev/null
        # (a removal can bring back an earlier state: match the audit count too)
        a=$(audits "$tmp/work.db"); found=""; any=""
        for s in $(seq 0 24); do
            cmp -s "$tmp/work.json" "$tmp/burst/$s.json" || continue
            any="$any $s"; [ "$a" = $((ab + s)) ] && { found=$s; break; }
        done
        if [ -z "$any" ]; then bad "burst: kill at ${d}s: the model matches no whole number of edits"; fails=1
        elif [ -z "$found" ]; then bad "burst: kill at ${d}s: the model of edits$any but $((a - ab)) audit entries"; fails=1
        else hist="$hist $found"; fi
        rm -f "$tmp/work.db"*
    done
    [ $fails -eq 0 ] && ok
    echo "crash: burst of 24 edits: $n kill points, edits kept:$hist"
elif [ "$burst_states" -ne 0 ]; then
    bad "burst: $burst_states states, want 25"
fi

# ---- 5. the disk fills up --------------------------------------------------------
mnt="$tmp/full"; mkdir -p "$mnt"
if mount -t tmpfs -o size=8m tmpfs "$mnt" 2>/dev/null; then
    cp "$tmp/empty.db" "$mnt/c.db"
    sm "$mnt/c.db" export model-json -o "$mnt/old.json" >/dev/null
    # leave about 300 KB free
    dd if=/dev/zero of="$mnt/filler" bs=1k count=$(( $(df -k --output=avail "$mnt" | tail -1) - 300 )) 2>/dev/null
    out=$(sm "$mnt/c.db" import atlas "$tmp/atlas.json" --region eu-west-1 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 2 ] && grep -Fq "$mnt/c.db: disk full; nothing was written" <<<"$out"; then ok
    else bad "disk full: import: rc $rc, want a clear message" "$out"; fi
    echo "crash: disk full: import said: $(head -1 <<<"$out")"
    [ "$(integrity "$mnt/c.db")" = ok ] && ok || bad "disk full: integrity" "$(integrity "$mnt/c.db")"
    dump "$mnt/c.db" "$tmp/full.json" >/dev/null 2>&1 || true
    if cmp -s "$tmp/full.json" "$tmp/empty.json" && [ "$(audits "$mnt/c.db")" = "$(audits "$tmp/empty.db")" ]; then ok
    else bad "disk full: the model changed after a failed import"; fi
    # An export to the full disk fails clearly and leaves the old file whole.
    dd if=/dev/zero of="$mnt/filler2" bs=1k count=$(( $(df -k --output=avail "$mnt" | tail -1) )) 2>/dev/null
    cp "$tmp/model-after.db" "$tmp/big.db"
    out=$(sm "$tmp/big.db" export model-json -o "$mnt/old.json" 2>&1); rc=$?
    if [ $rc -ne 0 ] && [ -n "$out" ] && cmp -s "$mnt/old.json" "$tmp/empty.json" &&
       [ -z "$(ls "$mnt" | grep -v -e '^c.db' -e '^old.json$' -e '^filler')" ]; then ok
    else bad "disk full: export: rc $rc, old file kept and no temp file left" "$out; $(ls "$mnt")"; fi
    # An edit on the full disk: refused with "PATH: disk full; nothing was
    # written", or done; never half done (counted once space is back: the sqlite3 shell cannot open it now).
    out=$(sm "$mnt/c.db" dataset add full1 --tier public 2>&1); erc=$?
    echo "crash: disk full: an edit said: $(head -1 <<<"$out")"
    # Space again: the catalog works and nothing was lost.
    rm -f "$mnt/filler" "$mnt/filler2"
    a=$(audits "$mnt/c.db"); b=$(audits "$tmp/empty.db")
    if [ $erc -eq 0 ] && [ "$a" = $((b + 1)) ] && sm "$mnt/c.db" dataset show full1 >/dev/null 2>&1; then ok
    elif [ $erc -eq 2 ] && grep -Fq "$mnt/c.db: disk full; nothing was written" <<<"$out" && [ "$a" = "$b" ] &&
         ! sm "$mnt/c.db" dataset show full1 >/dev/null 2>&1; then ok
    else bad "disk full: edit: rc $erc, audit $a (was $b)" "$out"; fi
    if sm "$mnt/c.db" dataset add full2 --tier public >/dev/null 2>&1 &&
       sm "$mnt/c.db" import atlas "$tmp/atlas.json" --region eu-west-1 >/dev/null 2>&1 &&
       [ "$(integrity "$mnt/c.db")" = ok ] && sm "$mnt/c.db" dataset show full2 >/dev/null 2>&1; then ok
    else bad "disk full: the catalog does not work once space is back"; fi
    # The load snapshot (doc/catalog.md, a file beside the catalog) on a full
    # disk: the command answers as without one and leaves no file behind;
    # with room again the next load writes it and the one after reads it.
    rm -f "$mnt/c.db"* "$mnt/old.json"
    cp "$tmp/model-after.db" "$mnt/s.db"
    want=$(SOVMAP_SNAPSHOT=off sm "$mnt/s.db" check 2>&1)
    dd if=/dev/zero of="$mnt/filler" bs=1k count=$(( $(df -k --output=avail "$mnt" | tail -1) - 200 )) 2>/dev/null
    got=$(SOVMAP_SNAPSHOT_MIN=1 sm "$mnt/s.db" check 2>&1)
    if [ "$got" = "$want" ] && [ ! -e "$mnt/s.db-snapshot" ] && [ ! -e "$mnt/s.db-snapshot-new" ] &&
       [ "$(sqlite3 "$mnt/s.db" "SELECT count(*) FROM meta WHERE key = 'snapshot'")" = 0 ]; then ok
    else bad "disk full: a load that cannot write its snapshot" "$(ls "$mnt"; diff <(echo "$want") <(echo "$got") | head -5)"; fi
    rm -f "$mnt/filler"
    got=$(SOVMAP_SNAPSHOT_MIN=1 sm "$mnt/s.db" check 2>&1)
    snap=$(sqlite3 "$mnt/s.db" "SELECT value FROM meta WHERE key = 'snapshot'")
    got2=$(SOVMAP_SNAPSHOT_MIN=1 sm "$mnt/s.db" check 2>&1)
    if [ "$got" = "$want" ] && [ "$got2" = "$want" ] && [ -s "$mnt/s.db-snapshot" ] && [ -n "$snap" ] &&
       [ ! -e "$mnt/s.db-snapshot-new" ]; then ok
    else bad "disk full: the snapshot once there is room" "$(ls -la "$mnt")"; fi
    echo "crash: disk full: a snapshot that does not fit is not written; $(du -k "$mnt/s.db-snapshot" | cut -f1) KB once it does"
    umount "$mnt" && mnt=""
else
    echo "crash: disk full: SKIPPED (mount -t tmpfs refused; run as root to test it)"
fi

# ---- 6. another process holds the write lock ------------------------------------
cp "$tmp/empty.db" "$tmp/lock.db"
python3 - "$tmp/lock.db" "$tmp/locked" <<'PY' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO meta(key, value) VALUES ('crash-test', 'x')")
open(sys.argv[2], "w").close()
# hold the lock until the test says so (not for a fixed time: a loaded
# machine must not let the lock go before the commands that need it held)
for _ in range(1200):
    if os.path.exists(sys.argv[2] + ".release"):
        break
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
holder=$!
for i in $(seq 1 100); do [ -f "$tmp/locked" ] && break; sleep 0.05; done
out=$(SOVMAP_BUSY_TIMEOUT_MS=300 sm "$tmp/lock.db" dataset add locked1 --tier public 2>&1); rc=$?
if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "locked by another sovmap" <<<"$out"; then ok
else bad "lock: rc $rc, want 'locked by another sovmap'" "$out"; fi
echo "crash: write lock held: $(head -1 <<<"$out")"
out=$(SOVMAP_BUSY_TIMEOUT_MS=300 sm "$tmp/lock.db" import atlas "$tmp/atlas.json" --region eu-west-1 2>&1); rc=$?
if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "locked" <<<"$out"; then ok
else bad "lock: import: rc $rc" "$out"; fi
# a reader is never blocked by the writer
if sm "$tmp/lock.db" export model-json -o "$tmp/lock.json" >/dev/null 2>&1 && cmp -s "$tmp/lock.json" "$tmp/empty.json"; then ok
else bad "lock: a reader was blocked or saw the writer's uncommitted rows"; fi
# with the default timeout (5 s) the edit waits for the lock, then succeeds
(sleep 1; touch "$tmp/locked.release") &
if sm "$tmp/lock.db" dataset add locked2 --tier public >/dev/null 2>&1 &&
   ! sm "$tmp/lock.db" dataset show locked1 >/dev/null 2>&1 &&
   [ "$(audits "$tmp/lock.db")" = $(( $(audits "$tmp/empty.db") + 1 )) ]; then ok
else bad "lock: after the lock went, the edit did not apply exactly once"; fi
wait $holder
# Two sovmaps at once: a long import and edits during it; both land, whole.
cp "$tmp/empty.db" "$tmp/two.db"
sm "$tmp/two.db" import atlas "$tmp/atlas.json" --region eu-west-1 >/dev/null 2>"$tmp/two.err" &
imp=$!
e_ok=0
# (a long wait allowed: this is about nothing lost, not about timing)
for k in 1 2 3 4 5; do
    SOVMAP_BUSY_TIMEOUT_MS=60000 sm "$tmp/two.db" dataset add two$k --tier public >/dev/null 2>>"$tmp/two.err" &&
        e_ok=$((e_ok + 1))
done
wait $imp; irc=$?
n=$(sm "$tmp/two.db" dataset list 2>/dev/null | grep -c '^two[0-5]')
want=$(( $(audits "$tmp/empty.db") + 6 ))
if [ $irc -eq 0 ] && [ $e_ok -eq 5 ] && [ "$n" -eq 5 ] && [ "$(audits "$tmp/two.db")" = "$want" ] &&
   [ "$(integrity "$tmp/two.db")" = ok ]; then ok
else bad "two writers: import rc $irc, $e_ok/5 edits, $n listed, audit $(audits "$tmp/two.db") want $want" "$(cat "$tmp/two.err")"; fi

echo "crash: $points kill points tried"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
