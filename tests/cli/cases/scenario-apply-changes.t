# scenario apply writes only what the scenario changed: the catalog becomes
# exactly the scenario's model (export model-json --scenario before = export
# after, scenarios aside), a scenario built on it keeps its meaning, and rows
# the ops did not touch are not written (triggers in the catalog log every
# write to datasets, copies and flows)
$ export USER=root; C="--catalog c.db"; sovmap $C -q init && for d in a b c d e u1 u2 u3; do sovmap $C -q dataset add $d --tier restricted --subjects EU --system s || exit 1; done && sovmap $C -q field add a email phone --tag pii.email && sovmap $C -q field add u1 email --tag pii.email && for d in a b c d u1 u2 u3; do sovmap $C -q place $d aws:eu-west-1 --role primary --encrypted --key-region aws:eu-west-1 || exit 1; done
$ C="--catalog c.db"; sovmap $C -q place c aws:eu-north-1 --role replica --encrypted --key-region aws:eu-north-1 && sovmap $C -q place u1 aws:eu-north-1 --role replica --encrypted --key-region aws:eu-north-1 && sovmap $C -q place e aws:eu-west-1 --role replica --encrypted --key-region aws:eu-west-1 && sovmap $C -q place e aws:eu-central-1 --role replica --encrypted --key-region aws:eu-central-1 && sovmap $C -q place e aws:eu-north-1 --role primary --encrypted --key-region aws:eu-north-1
$ C="--catalog c.db"; sovmap $C -q flow add a@aws:eu-west-1 b@aws:eu-west-1 --kind etl --name f1 && sovmap $C -q flow add b@aws:eu-west-1 c@aws:eu-west-1 --kind etl --name f2 && sovmap $C -q flow add c@aws:eu-west-1 d@aws:eu-west-1 --kind etl --name f3 && sovmap $C -q flow add e@aws:eu-west-1 u3@aws:eu-west-1 --kind stream --name f4 && sovmap $C -q flow add u1@aws:eu-west-1 u2@aws:eu-west-1 --kind etl --name f5
# big builds on first; child builds on big
$ C="--catalog c.db"; sovmap $C -q scenario new first && sovmap $C -q scenario add first set-tier d confidential && sovmap $C -q scenario new big --base first
$ C="--catalog c.db"; S() { sovmap $C -q scenario add big "$@" || exit 1; }; S move a aws:eu-west-1 aws:eu-central-1; S add-placement b aws:eu-north-1 backup; S remove-placement c@aws:eu-west-1; S set-subjects b EU,BR; S set placement a@aws:eu-central-1 encrypted false; S add-flow a@aws:eu-central-1 b@aws:eu-north-1/backup etl f6; S remove-flow f1; S add-transform f6 "mask email"; S set-mechanism f6 scc TIA-1; S add-region onprem:fra-dc9 DE; S add-placement d onprem:fra-dc9
# two replicas of e trade regions (through a third); d's primary goes and comes back
$ C="--catalog c.db"; S() { sovmap $C -q scenario add big "$@" || exit 1; }; S move e aws:eu-west-1/replica aws:eu-south-1; S move e aws:eu-central-1/replica aws:eu-west-1; S move e aws:eu-south-1/replica aws:eu-central-1; S set dataset b owner someone; S set flow f5 kind stream; S set-tier u3 confidential; S set-tier u3 restricted; S remove-placement d@aws:eu-west-1; S add-placement d aws:eu-west-1 primary
$ C="--catalog c.db"; sovmap $C -q scenario new child --base big && sovmap $C -q scenario add child set-tier u3 public
$ sovmap --catalog c.db export model-json --scenario big -o want.json && sovmap --catalog c.db export model-json --scenario child -o child-want.json && sqlite3 c.db "select id || ' ' || name from dataset order by id" > ds-before.txt && sqlite3 c.db "select id, dataset, region, role from placement where dataset in (select id from dataset where name in ('u1', 'u2', 'u3', 'c'))" > pl-before.txt
$ for t in dataset placement flow; do for w in INSERT UPDATE DELETE; do r=new; [ $w = DELETE ] && r=old; k=name; [ $t = placement ] && k="$r.id || ' ' || $r.region || '/' || $r.role" || k="$r.name"; echo "CREATE TRIGGER IF NOT EXISTS log_${t}_$w AFTER $w ON $t BEGIN INSERT INTO writes VALUES('$w $t ' || $k); END;"; done; done > triggers.sql && (echo "CREATE TABLE writes(what TEXT);"; cat triggers.sql) | sqlite3 c.db
$ sovmap --catalog c.db scenario apply big
> applied scenario big (21 ops) to the catalog
# what was written: flows and copies gone, copies that change keys step aside
# (role ~ROWID) then take their new place, the datasets and flows changed, the new ones
$ sqlite3 c.db "select what from writes order by rowid"
> DELETE flow f1
> DELETE flow f2
> DELETE flow f3
> DELETE placement 3 aws:eu-west-1/primary
> DELETE placement 4 aws:eu-west-1/primary
> UPDATE placement 1 aws:eu-west-1/~1
> UPDATE placement 10 aws:eu-west-1/~10
> UPDATE placement 11 aws:eu-central-1/~11
> UPDATE dataset b
> UPDATE dataset d
> UPDATE placement 1 aws:eu-central-1/primary
> UPDATE placement 10 aws:eu-central-1/replica
> UPDATE placement 11 aws:eu-west-1/replica
> INSERT placement 13 aws:eu-north-1/backup
> INSERT placement 14 onprem:fra-dc9/replica
> INSERT placement 15 aws:eu-west-1/primary
> UPDATE flow f5
> INSERT flow f6
# the catalog is the scenario's model; its scenarios: big gone, child on the catalog
$ sovmap --catalog c.db export model-json -o got.json && python3 -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); print([k for k in a if k != "scenarios" and a[k] != b[k]], [(s["name"], s["base"]) for s in b["scenarios"]])' want.json got.json
> [] [('child', None), ('first', None)]
$ sovmap --catalog c.db export model-json --scenario child -o child-got.json && python3 -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); print([k for k in a if k != "scenarios" and a[k] != b[k]])' child-want.json child-got.json
> []
# untouched rows kept their rowids (datasets: all of them; copies of u1, u2, u3 and c's replica)
$ sqlite3 c.db "select id || ' ' || name from dataset order by id" | diff ds-before.txt - && sqlite3 c.db "select id, dataset, region, role from placement where dataset in (select id from dataset where name in ('u1', 'u2', 'u3', 'c'))" | diff <(grep -v '|3|aws:eu-west-1|primary' pl-before.txt) - && echo same
> same
$ sovmap --catalog c.db log --limit 1
~ scenario apply big
