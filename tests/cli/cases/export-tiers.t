# export tiers-md|tiers-csv: the tier-to-region mapping to sign off (issue 22):
# per tier and subjects, regions per role by jurisdiction, basis, law, datasets
$ sovmap --catalog d.db demo
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md -o tiers.md
$ grep -c '^## ' tiers.md
> 3
$ grep -E '^(## |### )' tiers.md | head -3
> ## restricted
> ### EU subjects (4 datasets)
> ### US subjects (2 datasets)
$ grep -A1 '^### EU subjects (4 datasets)' tiers.md | tail -1; grep -m1 '^Datasets: backup' tiers.md
> 
> Datasets: backup\_snapshots\_eu, fleet\_drivers\_eu, loyalty\_churn\_scores, loyalty\_members\_eu.
# restricted EU data: the EEA for every role, the US for none (RES001 names why)
$ sed -n '/^### EU subjects (4/,/^###/p' tiers.md
~ ^\| EEA — EU GDPR \| all [0-9]+ \| all [0-9]+ \| all [0-9]+ \| all [0-9]+ \| [1-9][0-9]* \| inside the EEA \| GDPR: free flow within the EEA \|$
~ ^\| US — .* \| — \| — \| — \| — \| 1! \| forbidden: RES001, RES002, XFR002 \|  \|$
# confidential EU data: the US only with dpf, and the decision behind it
$ sed -n '/^## confidential/,/^## public/p' tiers.md | sed -n '/^### EU subjects/,/^###/p'
~ ^\| US — .* \| with dpf: [0-9]+ \| .* \| only with dpf declared: EU adequacy for US needs a DPF-certified recipient \| GDPR: Implementing Decision \(EU\) 2023/1795 \|$
~ ^\| CH — .* \| all [0-9]+ \| .* \| adequacy EU-&gt;CH \| GDPR: Decision 2000/518/EC \|$
# the CSV says what `sovmap where --tier T --subjects S` says, region for region
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-csv -o tiers.csv && head -1 tiers.csv
> tier,subjects,public_sector,role,jurisdiction,region,status,basis,mechanism,detail,law,datasets,copies_now
# the copy the demo keeps where it may not: loyalty_members_eu's replica in aws:us-east-1
$ python3 -c 'import csv; r = [x for x in csv.DictReader(open("tiers.csv")) if x["tier"] == "restricted" and x["subjects"] == "EU" and x["role"] == "replica" and x["region"] == "aws:us-east-1"]; print(len(r), r[0]["status"], r[0]["detail"], r[0]["copies_now"], r[0]["datasets"])'
> 1 forbidden RES001, XFR002 1 4
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where --tier confidential --subjects EU --all --format json > w.json; python3 -c 'import csv, json; w = json.load(open("w.json"))["roles"]; idx = {(role, c["region"]): (c["status"], c["detail"]) for role in w for c in w[role]}; rows = [r for r in csv.DictReader(open("tiers.csv")) if r["tier"] == "confidential" and r["subjects"] == "EU"]; bad = [r["region"] for r in rows if idx.get((r["role"], r["region"])) != (r["status"], r["detail"])]; print("agree" if len(rows) > 400 and not bad else ("differ", len(rows), bad[:3]))'
> agree
# --tier: one tier's sections
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md --tier confidential | grep '^## '
> ## confidential
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md --tier nosuch
! unknown tier nosuch
? 2
# deterministic
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md | cmp - tiers.md && echo same
> same
# names are escaped for the format
$ sovmap --catalog d.db dataset add 'a|b<script>' --tier restricted --subjects EU
$ sovmap --catalog d.db place 'a|b<script>' aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md | grep -c 'a\\|b&lt;script&gt;'
> 1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db export tiers-md | grep -c '<script>'
> 0
? 1
