#!/usr/bin/env bash
# Terminal faults the TUI tests (tests/tui/run.sh) do not cover: a resize
# storm, a 10x5 terminal from the start, Ctrl-C and Ctrl-Z (suspend, fg) in
# the middle of a form, SIGTERM and SIGHUP with a form open, SIGKILL in the
# middle of a save. After each: the catalog is intact (integrity_check, the
# model byte-equal to before unless a save was confirmed) and the terminal
# is given back (tmux: not in the alternate screen, cursor shown, no mouse
# reporting). Real binary in a private tmux server; waits poll the screen.
# Usage: tests/term/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
export SOVMAP_NOW=2026-11-26T00:00:00Z
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-term-XXXXXX)
sock="sovmap-term-$$"
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && printf '%s\n' "$2" | head -30 | sed 's/^/    /'; }
screen() { T capture-pane -p -t tui 2>/dev/null; }
wait_for() {  # wait_for REGEX [TRIES]: poll the screen, 50 ms apart
    local i
    for i in $(seq 1 "${2:-200}"); do screen | grep -Eq -- "$1" && return 0; sleep 0.05; done
    return 1
}
check() { if wait_for "$2"; then ok; else bad "$1: no line matches /$2/" "$(screen)"; fi; }
keys() { T send-keys -t tui "$@"; }
flag() { T display-message -p -t tui "#{$1}"; }
# restored NAME: the pane is back on the normal screen, cursor on, no mouse
restored() {
    local a c m
    a=$(flag alternate_on); c=$(flag cursor_flag); m=$(flag mouse_any_flag)$(flag mouse_standard_flag)
    if [ "$a" = 0 ] && [ "$c" = 1 ] && [ "$m" = 00 ]; then ok
    else bad "$1: terminal not restored (alternate $a, cursor $c, mouse $m)"; fi
}
sovpid() { pgrep -f -n -- "--catalog $cat" 2>/dev/null; }
dump() { "$bin" --catalog "$cat" export model-json -o "$1" 2>&1; }
intact() {  # intact NAME [EXPECTED.json]
    local want=${2:-$tmp/before.json}
    if [ "$(sqlite3 "$cat" 'PRAGMA integrity_check' 2>&1)" = ok ] && dump "$tmp/now.json" >/dev/null &&
       cmp -s "$tmp/now.json" "$want"; then ok
    else bad "$1: catalog changed or damaged" "$(diff "$want" "$tmp/now.json" | head -10)"; fi
}
[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
command -v tmux >/dev/null || { echo "term: needs tmux"; echo "0 passed, 1 failed"; exit 1; }
cat="$tmp/term.db"
"$bin" --catalog "$cat" demo >/dev/null 2>&1 || {
    "$bin" --catalog "$cat" init >/dev/null
    "$bin" --catalog "$cat" dataset add orders --tier restricted --subjects EU >/dev/null
    "$bin" --catalog "$cat" place orders aws:eu-west-1 --encrypted >/dev/null; }
dump "$tmp/before.json" >/dev/null
T new-session -d -s keep "sleep 3600"
# Each run is an interactive shell in the pane, so that Ctrl-Z has a job
# control shell to stop to, and the pane outlives sovmap.
start() {  # start W H
    T kill-session -t tui 2>/dev/null
    T new-session -d -s tui -x "$1" -y "$2" "env PS1='SHELL\$ ' TERM=xterm-256color bash --norc --noprofile -i"
    wait_for 'SHELL\$' || bad "no shell in the pane" "$(screen)"
    keys "'$bin' --catalog '$cat'; echo \"EXIT=\$?\"" Enter
}
# open_form: the add-dataset form on the datasets view, a name half typed
open_form() {
    wait_for "1 Datasets" || { bad "the UI did not open" "$(screen)"; return 1; }
    keys 1 a
    wait_for "Add dataset" || { bad "no add form" "$(screen)"; return 1; }
    keys "half_typed_name"
    wait_for "half_typed_name"
}

# ---- 1. a resize storm: 60 sizes in a burst, tiny to huge, then 100x30 --------
start 100 30
wait_for "1 Datasets"
sizes=(10x5 1x1 300x100 80x24 20x3 2x40 200x10 79x23 81x25 5x5)
for i in $(seq 0 59); do s=${sizes[$((i % 10))]}; T resize-window -t tui -x "${s%x*}" -y "${s#*x}"; done
T resize-window -t tui -x 100 -y 30
check "resize storm: the UI redraws at 100x30" "1 Datasets"
if [ -n "$(sovpid)" ]; then ok; else bad "resize storm: sovmap is gone" "$(screen)"; fi
keys q
check "resize storm: quits" "^EXIT=0"
restored "resize storm"

# ---- 2. a 10x5 terminal from the start: a message, not a crash; then grow ------
start 10 5
sleep 0.5
if [ -n "$(sovpid)" ]; then ok; else bad "10x5: sovmap died" "$(screen)"; fi
T resize-window -t tui -x 90 -y 28
check "10x5 grown to 90x28" "1 Datasets"
keys q
check "10x5: quits" "^EXIT=0"
restored "10x5"
intact "10x5"

# ---- 3. Ctrl-C in a half-typed form cancels it; a second one leaves --------------
start 100 30
if open_form; then
    keys C-c
    if wait_for "1 Datasets" && ! screen | grep -q "Add dataset"; then ok
    else bad "Ctrl-C: the form is still open" "$(screen)"; fi
    keys C-c
    check "Ctrl-C twice: sovmap leaves" "^EXIT=[0-9]+"
    restored "Ctrl-C"
    intact "Ctrl-C in a form"
fi

# ---- 4. Ctrl-Z in a form: the shell gets the terminal back; fg resumes the form --
start 100 30
if open_form; then
    keys C-z
    if wait_for "Stopped" 100; then
        ok
        restored "Ctrl-Z (while stopped)"
        keys "fg" Enter
        check "fg: the form is back, text kept" "half_typed_name"
    else
        bad "Ctrl-Z in a form: not suspended" "$(screen)"
    fi
    keys Escape y      # a changed form asks before it is dropped
    wait_for "1 Datasets"
    keys q
    # the shell already printed EXIT=148 for the stop: ask it for fg's status
    for i in $(seq 1 100); do [ -z "$(sovpid)" ] && break; sleep 0.05; done
    keys 'echo "FG=$?"' Enter
    if wait_for "^FG=0" 100; then ok; else bad "Ctrl-Z: quit after fg" "$(screen)"; fi
    restored "Ctrl-Z then fg and quit"
    intact "Ctrl-Z in a form"
fi

# ---- 5. SIGTERM and SIGHUP with a form open: restore and leave, nothing saved ----
for sig in TERM HUP; do
    start 100 30
    open_form || continue
    p=$(sovpid)
    kill -s "$sig" "$p" 2>/dev/null
    for i in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$p" 2>/dev/null; then
        bad "SIG$sig: sovmap still running 3 s later (the signal waits for a key)"
        keys Escape; sleep 0.3
        kill -0 "$p" 2>/dev/null && kill -KILL "$p"
    else ok; fi
    wait_for "^EXIT=" 100
    restored "SIG$sig"
    intact "SIG$sig in a form"
done

# ---- 6. SIGKILL around a save: the edit is whole or absent --------------------
start 100 30
if open_form; then
    keys C-u "killed_mid_save" Enter
    kill -KILL "$(sovpid)" 2>/dev/null
    wait_for "^EXIT=" 100
    keys "reset" Enter     # SIGKILL leaves no chance to restore: reset does
    if [ "$(sqlite3 "$cat" 'PRAGMA integrity_check')" = ok ]; then ok; else bad "SIGKILL: integrity"; fi
    dump "$tmp/now.json" >/dev/null
    n=$(sqlite3 "$cat" "SELECT count(*) FROM audit WHERE object = 'killed_mid_save' OR op LIKE '%killed_mid_save%'")
    if cmp -s "$tmp/now.json" "$tmp/before.json" && [ "$n" = 0 ]; then ok; echo "term: SIGKILL at save: before"
    elif ! cmp -s "$tmp/now.json" "$tmp/before.json" && [ "$n" = 1 ] &&
         "$bin" --catalog "$cat" dataset show killed_mid_save >/dev/null 2>&1; then ok; echo "term: SIGKILL at save: after"
    else bad "SIGKILL at save: model and audit disagree (audit entries $n)" "$(diff "$tmp/before.json" "$tmp/now.json" | head)"; fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
