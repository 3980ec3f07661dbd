# model-json round trip: export, import into a fresh catalog, export again:
# byte-identical, and so are the diagram and the map made from either
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --system shop
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap dataset add 'odd "name" <b>' --tier public
$ sovmap place 'odd "name" <b>' aws:eu-central-1
$ sovmap flow add orders@aws:eu-west-1 'odd "name" <b>@aws:eu-central-1' --kind etl --transforms anonymize --name f1
$ sovmap export model-json -o m1.json
$ sovmap --catalog two.db init && sovmap --catalog two.db import model m1.json
~ ^imported 2 datasets, 3 copies, 1 flows
$ sovmap --catalog two.db export model-json -o m2.json && cmp m1.json m2.json && echo same
> same
$ SOVMAP_TODAY=2026-11-26 sovmap export svg -o a.svg && SOVMAP_TODAY=2026-11-26 sovmap --catalog two.db export svg -o b.svg && cmp a.svg b.svg && echo same
> same
$ SOVMAP_TODAY=2026-11-26 sovmap export map-html -o a.html && SOVMAP_TODAY=2026-11-26 sovmap --catalog two.db export map-html -o b.html && cmp a.html b.html && echo same
> same
$ sovmap export model-json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted(x["name"] for x in d["datasets"]))'
> ['odd "name" <b>', 'orders']
