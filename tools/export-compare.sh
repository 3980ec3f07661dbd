#!/usr/bin/env bash
# export-compare.sh OLD NEW [CATALOG...]: the diagram exports of two sovmap
# binaries, compared byte for byte (doc/performance.md, "DOT export of 10,000
# flows"). The demo catalog (with a planned scenario "fix" and a hand-made one
# "moves") is made in a temporary directory; each CATALOG given (a bench/gen
# catalog: read, never written; copy shared ones first) adds its full, regions
# and systems views in dot and mermaid, svg of regions and systems, and a
# filtered full view. Prints the files that differ; exit 1 if any does.
# Needs SOVMAP_DATA (the data directory) in the environment.
set -u
old=$1 new=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C.UTF-8
demo=$tmp/demo.db
"$new" --catalog "$demo" init >/dev/null && "$new" --catalog "$demo" demo >/dev/null &&
    "$new" --catalog "$demo" plan --name fix >/dev/null &&
    "$new" --catalog "$demo" scenario new moves >/dev/null &&
    "$new" --catalog "$demo" scenario add moves move backup_access_log aws:eu-west-1 aws:us-east-1 >/dev/null &&
    "$new" --catalog "$demo" scenario add moves move backup_job_log aws:us-east-1 aws:eu-west-1 >/dev/null ||
    { echo "export-compare: could not make the demo catalog" >&2; exit 2; }
jobs_=()
add() { jobs_+=("$*"); }
for fmt in dot mermaid svg; do
    for v in full regions systems; do
        add "demo-$v.$fmt --catalog $demo export $fmt --view $v"
        add "demo-$v-eea.$fmt --catalog $demo export $fmt --view $v --jurisdiction EEA"
        add "demo-$v-us.$fmt --catalog $demo export $fmt --view $v --jurisdiction US"
        add "demo-$v-conf.$fmt --catalog $demo export $fmt --view $v --tier confidential"
        add "demo-$v-backup.$fmt --catalog $demo export $fmt --view $v --system backup"
    done
    add "demo-focus.$fmt --catalog $demo export $fmt --view focus --focus backup_access_log"
    add "demo-focus3.$fmt --catalog $demo export $fmt --view focus --focus backup_job_log --hops 3"
    add "demo-scen.$fmt --catalog $demo export $fmt --scenario fix --changed-only"
    add "demo-scenfull.$fmt --catalog $demo export $fmt --scenario fix --view full"
    add "demo-moves.$fmt --catalog $demo export $fmt --scenario moves --changed-only"
done
add "demo-review.html --catalog $demo export review-html"
k=0
for c in "$@"; do
    k=$((k + 1))
    for fmt in dot mermaid; do
        for v in full regions systems; do
            add "c$k-$v.$fmt --catalog $c export $fmt --view $v"
        done
        add "c$k-full-eea.$fmt --catalog $c export $fmt --view full --jurisdiction EEA --tier restricted"
    done
    add "c$k-regions.svg --catalog $c export svg --view regions"
    add "c$k-systems.svg --catalog $c export svg --view systems"
done
mkdir -p "$tmp/old" "$tmp/new"
ndiff=0
for j in "${jobs_[@]}"; do
    set -- $j
    name=$1; shift
    "$old" "$@" -o "$tmp/old/$name" >/dev/null 2>&1; rc_old=$?
    "$new" "$@" -o "$tmp/new/$name" >/dev/null 2>&1; rc_new=$?
    if [ $rc_old -ne $rc_new ] || ! cmp -s "$tmp/old/$name" "$tmp/new/$name"; then
        echo "differs: $name (exit $rc_old, $rc_new): sovmap $*"
        ndiff=$((ndiff + 1))
    fi
done
echo "${#jobs_[@]} exports, $ndiff differ"
[ $ndiff -eq 0 ]
