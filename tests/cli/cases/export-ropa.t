# export ropa-csv|ropa-md: the Art. 30 record of processing (issue 18); a
# dataset's purpose and legal basis (catalog schema 3, CLI, model-json)
$ sovmap --catalog d.db demo
# purpose and legal basis are dataset attributes: add, edit, show
$ sovmap --catalog d.db dataset add ledger --purpose 'bookkeeping, "tax" audits' --legal-basis legal_obligation --subjects EU --tier restricted && sovmap --catalog d.db dataset show ledger | grep -E '^(purpose|legal-basis) '
> added dataset ledger
> purpose              bookkeeping, "tax" audits
> legal-basis          legal_obligation
$ sovmap --catalog d.db dataset edit ledger --legal-basis because
! bad legal-basis because: consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests
? 2
$ sovmap --catalog d.db dataset edit loyalty_members_eu --purpose '	=HYPERLINK("http://x")' --legal-basis consent
> changed dataset loyalty_members_eu
$ sovmap --catalog d.db dataset show loyalty_members_eu --format json | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["legal-basis"], repr(d["purpose"]))'
> consent '\t=HYPERLINK("http://x")'
# the audit entry names both, before and after
$ sovmap --catalog d.db log | head -1 | cut -c 30-
> root      dataset set loyalty_members_eu purpose="\t=HYPERLINK(\"http://x\")" legal-basis=consent
$ sovmap --catalog d.db log show $(sovmap --catalog d.db log | head -1 | cut -d' ' -f1) | grep -E '^ *(purpose|legal-basis)='
>       purpose=\t=HYPERLINK("http://x")
>       legal-basis=consent
# the CSV: one row per dataset holding personal data, by system then name; the formula is text
$ sovmap --catalog d.db export ropa-csv -o ropa.csv && head -1 ropa.csv
> system,dataset,purpose,legal_basis,owner,tier,data_subjects,personal_data_categories,retention,locations,recipients,third_countries,transfer_safeguards
$ python3 -c 'import csv; r = list(csv.DictReader(open("ropa.csv"))); print(len(r), [x["dataset"] for x in r][:2]); m = [x for x in r if x["dataset"] == "loyalty_members_eu"][0]; print(repr(m["purpose"]), m["legal_basis"], m["data_subjects"], m["personal_data_categories"]); print(m["third_countries"]); print(m["transfer_safeguards"]); l = [x for x in r if x["dataset"] == "ledger"][0]; print(l["system"] == "", l["purpose"], l["legal_basis"])'
> 23 ['ledger', 'backup_access_log']
> '\'\t=HYPERLINK("http://x")' consent EU pii.dob; pii.email; pii.name; pii.phone
> SG; US
> SG via audience-export: none (violation); US via loyalty_members_eu@aws:us-east-1: none (violation)
> True bookkeeping, "tax" audits legal_obligation
# a transfer relying on a mechanism names its reference
$ grep -c 'US via crm-sync: dpf DPF list entry, checked 2026-10-01 (ok)' ropa.csv
> 1
# datasets without personal data and without a declared purpose are not processing entries
$ grep -c '^campaign,\|,loyalty_campaign_stats,' ropa.csv
> 0
? 1
# Markdown: a table per system, then every third-country transfer with its safeguard
$ sovmap --catalog d.db export ropa-md -o ropa.md && grep -E '^(# |## )' ropa.md
> # Record of processing activities (GDPR Art. 30)
> ## System (none)
> ## System backup
> ## System fleet
> ## System loyalty
> ## Third-country transfers and their safeguards (Art. 30(1)(e), Art. 44-49)
$ grep '| loyalty | loyalty_members_eu\|^| loyalty\\_members\\_eu ' ropa.md | cut -d'|' -f2-4
>  loyalty\_members\_eu |  =HYPERLINK("http://x") | consent 
$ grep -c '| \*\*none\*\* |  | violation |' ropa.md
> 2
# --system narrows it
$ sovmap --catalog d.db export ropa-csv --system fleet | cut -d, -f1 | sort | uniq -c | sed 's/^ *//'
> 5 fleet
> 1 system
# model-json carries both and reads them back; the catalog round trip is exact
$ sovmap --catalog d.db export model-json -o m.json && grep -c '"legal_basis"' m.json && sovmap --catalog e.db import model m.json -q && sovmap --catalog e.db export model-json | cmp - m.json && echo same
> 2
> same
$ sed 's/"legal_obligation"/"because"/' m.json > bad.json && sovmap --catalog f.db import model bad.json
! legal_basis: unknown legal_basis because: use consent, contract
? 2
# a schema 2 catalog gets the two columns (and, schema 4, the prop table) on its first open; its datasets declare nothing
$ sovmap --catalog v2.db init -q && sovmap --catalog v2.db -q dataset add orders && sqlite3 v2.db "ALTER TABLE dataset DROP COLUMN purpose; ALTER TABLE dataset DROP COLUMN legal_basis; DROP TABLE prop; ALTER TABLE field DROP COLUMN type; ALTER TABLE field DROP COLUMN comment; ALTER TABLE tag DROP COLUMN expired; DROP TABLE attr_source; PRAGMA user_version=2" && sovmap --catalog v2.db dataset show orders | grep -c '^purpose' ; sqlite3 v2.db "PRAGMA user_version; SELECT legal_basis = '' FROM dataset"
> 1
> 6
> 1
# importers leave purpose and legal basis empty, and a re-import keeps what was typed
$ cp -r "$SOVMAP_DATA/../tests/fixtures/glue" . && sovmap --catalog g.db init -q && sovmap --catalog g.db -q import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-databases.json glue/get-tables.json glue/get-table.json 2>/dev/null; sovmap --catalog g.db export model-json | grep -c '"purpose"\|"legal_basis"'
> 0
? 1
$ sovmap --catalog g.db -q dataset edit rewards_eu.store_locations --purpose "store finder" --legal-basis legitimate_interests && sovmap --catalog g.db -q import glue --map "$SOVMAP_DATA/../tests/fixtures/buckets.map.json" --region eu-west-1 glue/get-databases.json glue/get-tables.json glue/get-table.json 2>/dev/null; sovmap --catalog g.db dataset show rewards_eu.store_locations | grep -E '^(purpose|legal-basis) '
> purpose              store finder
> legal-basis          legitimate_interests
