# scenario apply refuses a scenario that leaves copies, or keys of copies,
# in regions it retires; the catalog is left as it was
$ export USER=root; sovmap -q --catalog c.db init && sovmap -q --catalog c.db dataset add orders --tier restricted --subjects EU && sovmap -q --catalog c.db place orders aws:eu-west-1 --encrypted --key-region aws:eu-north-1 && sovmap -q --catalog c.db place orders aws:eu-central-1 --role backup --encrypted --key-region aws:eu-central-1
$ sovmap -q --catalog c.db scenario new keys && sovmap -q --catalog c.db scenario add keys retire-region aws:eu-north-1 && sovmap --catalog c.db export model-json -o before.json
$ sovmap --catalog c.db scenario apply keys
! sovmap: scenario keys leaves 1 key in retired regions (first: the key of orders@aws:eu-west-1); move them in the scenario first (sovmap plan --scenario keys proposes moves)
? 2
$ sovmap -q --catalog c.db scenario new both --base keys && sovmap -q --catalog c.db scenario add both retire-region aws:eu-central-1
$ sovmap --catalog c.db scenario apply both
! sovmap: scenario both leaves 1 copy in retired regions (first: orders@aws:eu-central-1); move them in the scenario first
? 2
# moving the key out makes it apply; the retired region itself is not kept
$ sovmap -q --catalog c.db scenario add keys set placement orders@aws:eu-west-1 key-region aws:eu-west-1 && sovmap --catalog c.db scenario apply keys
> applied scenario keys (2 ops) to the catalog
! note: 1 op of keys describe the law or the org policy
$ sovmap --catalog c.db place show orders@aws:eu-west-1 --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["key-region"])'
> aws:eu-west-1
