# Convergence (doc/import.md "Merge rules"): every fixture set in tests/fixtures
# (Tidewater at the top, Halcyon in halcyon/) imported as a nightly pipeline of
# eight commands (tests/fixtures/nightly.sh) in three orders:
#   A  1 2 3 4 5 6 7 8   Atlas bulk, search, lineage, Glue, Lake Formation
#   B  8 7 6 5 4 2 1 3   the reverse, lineage last
#   C  3 7 1 8 5 2 6 4   lineage first, the rest shuffled
# A and B give the same model-json on the first night, byte for byte (tag order
# included: the writer sorts tags; field order included: an import keeps a
# dataset's fields in name order) and write nothing on the second (every command
# "0 new, 0 changed", no audit entry, the same bytes). A lineage response adds
# flows only between datasets another file defined, so C's first night has no
# flows yet: its second night adds just those, and from then on C is A, byte for
# byte, and writes nothing.
$ F="$SOVMAP_DATA/../tests/fixtures" && mkdir tw && cp -r "$F/atlas" "$F/glue" "$F/lakeformation" "$F/buckets.map.json" tw/ && cp -r "$F/halcyon" "$F/nightly.sh" . && for s in tw halcyon; do for o in A B C; do SOVMAP_TODAY=2026-11-26 sovmap --catalog $s-$o.db init -q; done; done && echo ok
> ok
$ printf '%s\n' 'A="1 2 3 4 5 6 7 8" B="8 7 6 5 4 2 1 3" C="3 7 1 8 5 2 6 4"' 'night() { for o in $2; do SOVMAP_TODAY=$3 bash nightly.sh $1 $1-$o.db ${!o} > $1-$o.$3.out || exit 1; done; }' 'entries() { sovmap --catalog $1.db log --format json --limit 0 | grep -c "\"id\":"; }' 'canon() { sovmap --catalog $1.db export model-json; }' > lib.sh && echo ok
> ok
$ . ./lib.sh && for s in tw halcyon; do night $s "A B C" 2026-11-26; done; cat *.2026-11-26.out | grep -c '^datasets: '
> 48
# something was imported: tagged fields, placements and flows in every set
$ for s in tw halcyon; do sovmap --catalog $s-A.db export model-json -o $s-A.json && grep -c '"tag": "pii' $s-A.json > /dev/null && grep -c '"from": ' $s-A.json; done
~ ^[1-9][0-9]*$
$ . ./lib.sh && for s in tw halcyon; do canon $s-A > $s-A.canon && canon $s-B | cmp - $s-A.canon && echo "$s A = B"; done
> tw A = B
> halcyon A = B
# C on its first night: the same but for the flows lineage names
$ . ./lib.sh && for s in tw halcyon; do canon $s-C | diff - $s-A.canon | grep '^>' | grep -c '"name": .*->' ; done
~ ^[1-9]$
$ . ./lib.sh && for x in tw-A tw-B tw-C halcyon-A halcyon-B halcyon-C; do entries $x > $x.entries && sovmap --catalog $x.db export model-json -o $x.json; done && echo ok
> ok
# the second night: A and B write nothing; C adds its flows and nothing else
$ . ./lib.sh && for s in tw halcyon; do night $s "A B C" 2026-11-27; done; cat *-[AB].2026-11-27.out | grep -c '^datasets: 0 new, 0 changed, '; cat *-[AB].2026-11-27.out | grep -c '^fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, '; cat *-C.2026-11-27.out | grep -c '^datasets: 0 new, 0 changed, '; cat *-C.2026-11-27.out | grep '^fields: 0 new; tags: 0 added, 0 removed; flows: [1-9]' | wc -l
> 32
> 32
> 16
> 2
$ . ./lib.sh && for x in tw-A tw-B halcyon-A halcyon-B; do test "$(entries $x)" = "$(cat $x.entries)" || echo "$x wrote"; done; for x in tw-A tw-B halcyon-A halcyon-B; do sovmap --catalog $x.db export model-json | cmp - $x.json || echo "$x moved"; done; for s in tw halcyon; do canon $s-C | cmp - $s-A.canon || echo "$s-C differs"; done; echo done
> done
# the third night: C too writes nothing
$ . ./lib.sh && for x in tw-C halcyon-C; do entries $x > $x.entries && sovmap --catalog $x.db export model-json -o $x.json; done; for s in tw halcyon; do night $s C 2026-11-28; done; cat *-C.2026-11-28.out | grep -c '^fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, '; for x in tw-C halcyon-C; do test "$(entries $x)" = "$(cat $x.entries)" || echo "$x wrote"; done; for x in tw-C halcyon-C; do sovmap --catalog $x.db export model-json | cmp - $x.json || echo "$x moved"; done
> 16
