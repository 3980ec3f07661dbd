#!/bin/sh
# Install the Debian packages sovmap needs to build and test, if missing.
# Used by `make run`, `make check` and `make bench`. Quiet when all are there.
set -e
pkgs="build-essential pkg-config libncurses-dev libsqlite3-dev sqlite3 libjansson-dev
libgraphviz-dev graphviz libcmocka-dev tmux python3-jsonschema time valgrind"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "missing packages:$missing (run as root or install sudo)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
