# The README's tour runs as written, every command but the last (it opens the
# terminal UI), in two parts: up to the imports, where every command succeeds
# but the first two checks, which find what the text says; then the imports
# (their example files ship in data/examples/; data is the source tree's
# data/, as in a clone), the model export, the log, the model file checked and
# diffed without a catalog, and the demo.
$ ln -s "$SOVMAP_DATA" data && grep -E '^    sovmap' "$SOVMAP_DATA/../README.md" | sed 's/^ *//; s/  *#.*//' > all.sh && tail -n 1 all.sh && sed '$d' all.sh > tour.sh && sed '/ import /,$d' tour.sh > part1.sh && sed -n '/ import /,$p' tour.sh > part2.sh && wc -l < part1.sh && wc -l < part2.sh
> sovmap --catalog demo.db
> 16
> 10

$ while read -r l; do eval "$l" >out.txt 2>&1; rc=$?; [ $rc = 0 ] || echo "$rc ${l#*shop.db }"; done < part1.sh
> 1 check
> 1 check --format sarif

$ sovmap --catalog shop.db check --format json | python3 -c 'import json,sys; print(sorted((f["rule"], f["waived"]) for f in json.load(sys.stdin)["findings"]))'
> [('LIN001', True)]

$ test -s shop.svg && test -s residency.md && echo exported
> exported

$ while read -r l; do eval "$l" >out.txt 2>&1; rc=$?; [ $rc = 0 ] || echo "$rc ${l#*shop.db }"; done < part2.sh; echo done
> done

# the Glue tables are in the catalog, the Atlas dry run wrote nothing, the
# model export and the audit log say so
$ sovmap --catalog shop.db dataset list | awk '{print $1}'
> NAME
> orders
> orders_bi
> shop.customers
> shop.carts
$ sovmap --catalog shop.db dataset show shop.customers | grep -c -e tier=tier1 -e pii.email
> 0
? 1
$ python3 -c 'import json; d = json.load(open("model.json")); print(sorted(x["name"] for x in d["datasets"]))'
> ['orders', 'orders_bi', 'shop.carts', 'shop.customers']
$ sovmap --catalog shop.db log --limit 5 | grep -c 'import glue data/examples/glue-get-tables.json'
> 1
$ sovmap --catalog demo.db dataset list >/dev/null && echo demo
> demo
