# The README's tour runs as written (up to the imports, which need files):
# every command succeeds but the first two checks, which find what the text says.
$ grep -E '^    sovmap' "$SOVMAP_DATA/../README.md" | sed 's/  *#.*//' | sed '/ import /,$d' > tour.sh && wc -l < tour.sh
> 16

$ while read -r l; do eval "$l" >out.txt 2>&1; rc=$?; [ $rc = 0 ] || echo "$rc ${l#*shop.db }"; done < tour.sh
> 1 check
> 1 check --format sarif

$ sovmap --catalog shop.db check --format json | python3 -c 'import json,sys; print(sorted((f["rule"], f["waived"]) for f in json.load(sys.stdin)["findings"]))'
> [('LIN001', True)]

$ test -s shop.svg && test -s residency.md && echo exported
> exported
