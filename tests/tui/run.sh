#!/usr/bin/env bash
# End-to-end TUI tests: the real binary in a detached tmux server (its own
# socket), driven with send-keys and read with capture-pane, on the demo
# catalog (or, while data/demo is missing, a small catalog built with the
# CLI). Waits poll the screen; nothing sleeps a fixed time.
# Usage: tests/tui/run.sh BUILD_DIR. Prints "N passed, N failed" last.
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/$build/sovmap"
export SOVMAP_DATA="${SOVMAP_DATA:-$root/data}" TZ=UTC LC_ALL=C.UTF-8 SOVMAP_TODAY=2026-11-26
passed=0; failed=0
tmp=$(mktemp -d /tmp/sovmap-tui-XXXXXX)
export XDG_STATE_HOME="$tmp/state"     # the `:` history, never the user's
sock="sovmap-tui-$$"
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); echo "FAIL $1"; [ -n "$2" ] && echo "$2" | sed 's/^/    /' | head -45; }
screen() { T capture-pane -p -t tui 2>/dev/null; }
# wait_for REGEX: poll the screen (up to 10 s) until a line matches.
wait_for() {
    local i
    for i in $(seq 1 200); do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.05
    done
    return 1
}
check() {  # check NAME REGEX
    if wait_for "$2"; then ok; else bad "$1: no line matches /$2/" "$(screen)"; fi
}
errors() { screen | grep -Eo '^ [0-9]+ errors?' | grep -Eo '[0-9]+'; }
keys() { T send-keys -t tui "$@"; }

[ -x "$bin" ] || { echo "no $bin"; echo "0 passed, 1 failed"; exit 1; }
cat="$tmp/demo.db"
if ! "$bin" --catalog "$cat" demo >/dev/null 2>"$tmp/demo.err"; then
    rm -f "$cat"*
    "$bin" --catalog "$cat" init >/dev/null &&
    "$bin" --catalog "$cat" dataset add loyalty_members --tier restricted --subjects EU \
        --system loyalty >/dev/null &&
    "$bin" --catalog "$cat" place loyalty_members aws:eu-central-1 --role primary \
        --encrypted >/dev/null &&
    "$bin" --catalog "$cat" dataset add fleet_positions --tier confidential --subjects EU,BR \
        --system fleet >/dev/null &&
    "$bin" --catalog "$cat" place fleet_positions aws:eu-west-1 --role primary \
        --encrypted >/dev/null &&
    "$bin" --catalog "$cat" place fleet_positions aws:sa-east-1 --role backup >/dev/null ||
    { echo "cannot build a catalog: $(cat "$tmp/demo.err")"; echo "0 passed, 1 failed"; exit 1; }
fi

# One idle session keeps the tmux server up between the sessions below.
T new-session -d -s keep "sleep 3600"

# No terminal, or a dumb one: a clear message and exit 2.
out=$("$bin" --catalog "$cat" tui </dev/null 2>&1 >/dev/null); rc=$?
if [ $rc -eq 2 ] && grep -q "needs a terminal" <<<"$out"; then ok; else bad "no tty: rc=$rc" "$out"; fi

T new-session -d -s tui -x 120 -y 40 \
    "env TERM=dumb '$bin' --catalog '$cat' tui; echo \"rc=\$?\"; read x"
check "TERM=dumb message" "TERM is dumb"
check "TERM=dumb exit 2" "^rc=2"
T kill-session -t tui

# A broken theme: file:line: message, and the UI still opens.
printf 'list.selected black cyan\ntitle purple blue\n' >"$tmp/bad.theme"
T new-session -d -s tui -x 120 -y 40 "env TERM=xterm-256color '$bin' --catalog '$cat' --theme '$tmp/bad.theme'"
check "broken theme reported" "bad.theme:2: unknown colour purple"
keys q
T kill-session -t tui 2>/dev/null

# The config file: a theme and key bindings; a bad line is reported.
mkdir -p "$tmp/config/sovmap"
printf 'theme mono\nbind list J move-down\nbind list K move-upp\n' >"$tmp/config/sovmap/config"
T new-session -d -s tui -x 120 -y 40 \
    "env TERM=xterm-256color XDG_CONFIG_HOME='$tmp/config' '$bin' --catalog '$cat'"
check "config error reported" "config:3: unknown action move-upp; did you mean move-up\?"
keys J
check "config binding works" "Datasets 2/[0-9]+"
keys q
T kill-session -t tui 2>/dev/null

# NO_COLOR: no colour escapes reach the terminal.
T new-session -d -s tui -x 120 -y 40 "env TERM=xterm-256color NO_COLOR=1 '$bin' --catalog '$cat'"
wait_for "1 Datasets"
if T capture-pane -e -p -t tui | grep -Eq $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5|48;5)[;m]'; then
    bad "NO_COLOR: colour escapes found"; else ok; fi
# The Map's cells say their state by a mark too: ! error (no colour needed).
keys 6
check "map state marks under NO_COLOR" "^[a-z_]+ +.*[PRBDCAE]+!"
keys q
T kill-session -t tui 2>/dev/null

# Horizontal scroll, zoom, hiding the pane, at 80x24.
T new-session -d -s tui -x 80 -y 24 "env TERM=xterm-256color '$bin' --catalog '$cat'"
wait_for "1 Datasets"
keys 4
check "tiers: columns hidden on the right" "^Tier .*>$"
keys l
check "l scrolls the columns, the name stays" "^Tier +<"
if screen | grep -q "^Tier .*Rank"; then bad "Rank still shown after l" "$(screen)"; else ok; fi
keys h
check "h scrolls back" "^Tier +Rank"
keys 6
check "map: more regions to the right" "^Dataset. .*>$"
first=$(screen | sed -n 2p)
keys l l l l l l
check "map: l scrolls the regions, < on the left" "^Dataset. +<"
if [ "$(screen | sed -n 2p)" != "$first" ]; then ok; else bad "map: the cursor's region did not change" "$(screen)"; fi
keys 1 z
check "z zooms the list" "list zoomed"
if screen | grep -Eq "^dataset [^ ]+ ─"; then bad "detail pane still shown when zoomed" "$(screen)"; else ok; fi
keys z
check "z again: both panes" "^dataset [^ ]+ ─"
keys Enter z
check "z in the pane zooms the pane" "detail pane zoomed"
if screen | grep -q "^Dataset▲"; then bad "list still shown with the pane zoomed" "$(screen)"; else ok; fi
keys z Escape "|"
check "| hides the pane" "detail pane hidden"
if screen | grep -Eq "^dataset [^ ]+ ─"; then bad "pane shown after |" "$(screen)"; else ok; fi
keys q
T kill-session -t tui 2>/dev/null

# An empty what-if for the scenario mode below.
"$bin" --catalog "$cat" scenario new tuiscen >/dev/null 2>&1 || bad "scenario new tuiscen"

T new-session -d -s tui -x 120 -y 40 "env TERM=xterm-256color '$bin' --catalog '$cat'; echo TUI-EXITED; read x"
check "opens on Datasets" "1 Datasets.*7 Transfers"
check "status counts" "^ [0-9]+ errors?, [0-9]+ warnings?, [0-9]+ waived"
if T capture-pane -e -p -t tui | grep -Eq $'\e\\[[0-9;]*(3[0-7]|38;5)'; then ok
else bad "colours expected without NO_COLOR"; fi

# Navigate: findings grouped by severity, the detail pane with the why chain.
keys 5
check "findings view" "^Errors \([0-9]+\)"
keys Enter
check "why chain in the detail pane" "│Why"
keys Escape 3
check "regions grouped by country" "^[A-Z][A-Z] \([0-9]+ regions?\)"
keys 6
check "map view" "^Dataset"
keys Tab
check "Tab to transfers" "Transfers [0-9]+/[0-9]+"

# Filter the datasets down to the first one.
keys 1
wait_for "^Dataset"
name=$(screen | sed -n 3p | awk '{print $1}')
keys / "$name" Enter
check "filter" "filter \"$name\""

# Add a replica in us-east-1: a new error appears, named in the status line.
before=$(errors)
keys c
check "add-copy form" "Add placement"
keys "aws:us-east-1" Enter
check "copy added" "added placement $name@aws:us-east-1"
after=$(errors)
if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]; then ok
else bad "errors did not grow: $before -> $after" "$(screen)"; fi
check "what changed" "\+[0-9]+ errors?"

# Undo it: the count is back.
keys u
check "undone" "undone: placement add"
now=$(errors)
if [ "$now" = "$before" ]; then ok; else bad "undo: errors $now, want $before" "$(screen)"; fi

# Export the diagram of the whole model as SVG.
keys x
check "export menu" "Export \(Enter chooses"
keys Enter C-u "$tmp/diagram.svg" Enter
check "exported" "exported svg to $tmp/diagram.svg"
if grep -q "<svg" "$tmp/diagram.svg" 2>/dev/null; then ok; else bad "no SVG written"; fi

# Scenario mode: the copy goes into the scenario (stored, audited), the
# catalog keeps its findings; W leaves.
keys 8 / tuiscen Enter s
check "scenario mode" "^ scenario tuiscen  \+0 errors"
keys 1 c
check "add-copy form in the mode" "Add placement"
keys "aws:us-east-1" Enter
check "op into the scenario" "scenario tuiscen: \+ add-placement $name aws:us-east-1"
check "banner delta" "^ scenario tuiscen  \+[1-9][0-9]* errors?"
if "$bin" --catalog "$cat" scenario show tuiscen 2>&1 | grep -q "add-placement $name aws:us-east-1"; then ok
else bad "scenario op not stored" "$("$bin" --catalog "$cat" scenario show tuiscen 2>&1)"; fi
keys d
check "diff pane" "resolved \(base, [0-9]+\) +new \(tuiscen, [1-9]"
keys q W
check "left the mode" "left scenario tuiscen"
now=$(errors)
if [ "$now" = "$before" ]; then ok; else bad "base changed: errors $now, want $before" "$(screen)"; fi

# Another writer (doc/catalog.md): a dataset removed from the CLI is gone
# from the TUI at the next key (the status line says what changed); an
# edit form open on a dataset another writer removes is refused on save,
# and nothing is recreated; undo cannot bring back another writer's change.
gone=$("$bin" --catalog "$cat" dataset list --format tsv 2>/dev/null | sed -n 2p | cut -f1)
form=$("$bin" --catalog "$cat" dataset list --format tsv 2>/dev/null | sed -n 3p | cut -f1)
keys Escape 1
"$bin" --catalog "$cat" dataset rm "$gone" --yes >/dev/null 2>&1
keys j
seen=no
for i in $(seq 1 100); do screen | grep -q "catalog changed on disk: -1 dataset" && { seen=yes; break; }; sleep 0.05; done
[ "$seen" = yes ] && ok || bad "other writer's removal not shown within 5 s of a key" "$(screen)"
keys u
check "undo cannot undo another writer" "nothing to undo"
keys / "$form" Enter e
check "edit form open" "Edit dataset $form"
"$bin" --catalog "$cat" dataset rm "$form" --yes >/dev/null 2>&1
keys Down Down Down Down C-u "x@example.org" Enter
check "edit of a removed dataset refused" "dataset $form was removed by another writer; nothing was changed"
keys Escape y Escape     # the changed form asks before it is dropped
if "$bin" --catalog "$cat" dataset show "$form" >/dev/null 2>&1; then bad "$form was recreated"
elif "$bin" --catalog "$cat" log 2>/dev/null | grep -q "dataset add $form"; then bad "audit says $form was added"
else ok; fi
keys R
check "R reloads" "catalog reloaded"

# Resize below 80x24 and back.
T resize-window -t tui -x 60 -y 20
check "too small" "terminal too small: 60x20"
T resize-window -t tui -x 100 -y 30
check "back from too small" "1 Datasets"

# A `:` command with --scenario looks at the scenario only: the TUI goes on
# with the catalog's model and law (the demo's dpf-struck-down has more
# errors than the catalog), and so does the next edit's check.
before=$(errors)
keys ":" "check --scenario dpf-struck-down --format text" Enter
check "scenario command in the pager" "w unwraps  / search  q closes"
keys q
check "the catalog's errors after --scenario" "^ $before errors?,"
keys ":" "export dot --scenario bring-members-home -o $tmp/scen.dot" Enter
check "scenario export ran" "exit 0"
keys R
check "the catalog's errors after a reload" "^ $before errors?,"

# The : pager: check's output wraps; / searches, n goes on; G and End
# reach the end, g the top.
keys ":" "check --format text" Enter
check "check output in the pager" "w unwraps  / search  q closes"
keys / "adequacy" Enter
check "pager search" "\"adequacy\": [0-9]+ rows? match"
keys n
check "pager search next" "\"adequacy\": [0-9]+ rows? match"
keys G
check "pager G" "[0-9]+-[0-9]+/[0-9]+ \(end\)"
keys g w
check "pager w cuts lines" "col 1, h/l  w wraps"
keys q
# : remembers: Up brings back the last command
keys ":" Up
check "history Up" "^:check --format text *$"
keys Escape

# The tier x region matrix (M): a grid of cells, Enter lists a cell's
# copies and why, Esc back to the grid, Esc closes it.
keys M
check "matrix" "Tier x region matrix: a new primary copy"
check "matrix cells" "(ok|mech|no) [0-9]+"
keys Enter
check "matrix cell" ": copies and why"
check "matrix cell says" "A new primary copy: "
keys Escape
check "matrix back" "row 1/[0-9]+, column 1/[0-9]+"
keys Escape
gone=no
for i in $(seq 1 200); do
    screen | grep -q "Tier x region matrix" || { gone=yes; break; }
    sleep 0.05
done
if [ $gone = yes ]; then ok; else bad "matrix did not close" "$(screen)"; fi

# Help, then quit: the terminal is given back.
keys "?"
check "help" "Help \(generated from the key tables"
keys End
check "help End" "[0-9]+-[0-9]+/[0-9]+ \(end\)"
keys Home
check "help Home" " 1-[0-9]+/[0-9]+ "
keys q q
check "quit" "^TUI-EXITED"
T kill-session -t tui 2>/dev/null

# A catalog that cannot be written opens for browsing, with a banner.
cp "$cat" "$tmp/ro.db"
if [ "$(id -u)" = 0 ]; then chattr +i "$tmp/ro.db" 2>/dev/null && ro=yes || ro=no
else chmod 444 "$tmp/ro.db"; ro=yes; fi
if [ "$ro" = yes ]; then
    T new-session -d -s tui -x 100 -y 30 "env TERM=xterm-256color '$bin' --catalog '$tmp/ro.db'"
    check "read-only banner" "^ read-only catalog: browsing"
    keys a
    check "read-only refuses edits" "is read-only: browsing only"
    keys 5
    check "read-only browses" "Findings [0-9]+/[0-9]+"
    keys q
    T kill-session -t tui 2>/dev/null
    [ "$(id -u)" = 0 ] && chattr -i "$tmp/ro.db"
fi

# The history is kept for the next session (under $XDG_STATE_HOME).
if grep -qx "check --format text" "$XDG_STATE_HOME/sovmap/history" 2>/dev/null; then ok
else bad "history not saved in $XDG_STATE_HOME/sovmap/history"; fi
T new-session -d -s tui -x 100 -y 30 "env TERM=xterm-256color '$bin' --catalog '$cat'"
wait_for "1 Datasets"
keys ":" Up
check "history after a restart" "^:check --format text *$"
keys Escape q
T kill-session -t tui 2>/dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
