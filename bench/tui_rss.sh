#!/bin/sh
# bench/tui_rss.sh SOVMAP CATALOG OUT - the real TUI's peak RSS (issue #21).
#
# Runs `SOVMAP --catalog CATALOG tui` in a 120x40 pane of a private tmux
# server under /usr/bin/time and plays the first minutes of use: the first
# frame and the first check, every view (1-9), moves, a sort both ways, a
# filter, the detail pane, a `:` command that edits the catalog (the TUI
# then checks it all again while the previous result is kept for the
# message's diff), and quit. Writes "WALL RSS_KiB" of the process to OUT
# (the format of bench/run.sh's `timed`); exit 0 when the TUI quit by
# itself, 1 otherwise (a step not seen on the screen in time).
# The catalog is written to (one dataset's tier): give it a copy.
# BENCH_TUI_WAIT: seconds allowed to each step (default 300).
# BENCH_TUI_COMMAND=0: no `:` edit (open, views, quit).
set -u

SOVMAP=$1
CAT=$2
OUT=$3
WAIT=${BENCH_TUI_WAIT:-300}
command -v tmux >/dev/null 2>&1 || { echo "tui_rss: tmux is missing" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/sovmap-tuirss.XXXXXX") || exit 2
sock=sovmap-tuirss-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

# the name of one dataset, for the `:` edit (the catalog's first by id)
name=$(sqlite3 -readonly "$CAT" 'SELECT name FROM dataset ORDER BY id LIMIT 1') || exit 2
[ -n "$name" ] || { echo "tui_rss: no dataset in $CAT" >&2; exit 2; }

screen() { T capture-pane -p -t tui 2>/dev/null; }
# wait_for REGEX: poll the screen until a line matches (WAIT s at most)
wait_for() {
    i=0
    while [ "$i" -lt $((WAIT * 10)) ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    echo "tui_rss: no line matches /$1/ in $WAIT s; the screen:" >&2
    screen >&2
    return 1
}
keys() { T send-keys -t tui "$@" 2>/dev/null; sleep 0.2; }

T new-session -d -s keep "sleep 3600"
T new-session -d -s tui -x 120 -y 40 \
    "env TERM=xterm-256color LC_ALL=C.UTF-8 XDG_STATE_HOME='$dir/state' XDG_CONFIG_HOME='$dir/config' \
     /usr/bin/time -f '%e %M' -o '$dir/time' '$SOVMAP' --catalog '$CAT' tui 2>'$dir/err'; \
     echo rc=\$? >'$dir/rc'"
ok=0
# the first check is done when the status bar counts the findings
wait_for '[0-9]+ errors?' || ok=1
if [ $ok -eq 0 ]; then
    for v in 2 3 4 5 6 7 8 9 1; do
        keys "$v"
        keys j j j G g
    done
    keys s; keys S; keys s
    keys / t 0 0 0 1 Enter
    keys Enter; keys Escape; keys Escape
    if [ "${BENCH_TUI_COMMAND:-1}" != 0 ]; then
        keys : "dataset edit $name --tier confidential" Enter
        wait_for 'exit 0' || ok=1
        keys q
    fi
fi
# quit (a pager or prompt takes q first: keep pressing)
i=0
while [ ! -s "$dir/rc" ] && [ "$i" -lt $((WAIT * 2)) ]; do
    keys q
    i=$((i + 1))
done
[ -s "$dir/rc" ] || { echo "tui_rss: the TUI did not quit" >&2; exit 1; }
cat "$dir/err" >&2
tail -n 1 "$dir/time" >"$OUT"
grep -q '^rc=0' "$dir/rc" || ok=1
exit $ok
