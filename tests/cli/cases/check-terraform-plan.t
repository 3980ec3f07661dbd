# sovmap check --terraform-plan: a saved plan's changes to copies as a
# scenario over the catalog; only the findings the plan introduces, in
# every format; exit 1 on new findings at or above --fail-on.
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog c.db init
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/state.json"
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog c.db dataset edit shipments --tier restricted --subjects EU
# the plan adds an S3 replication from the EU-restricted bucket to us-east-1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["scenario"].split("/")[-1], d["summary"]["failed"], sorted((f["rule"], f["object"]["selector"]) for f in d["findings"]))'
> plan-replication.json True [('ENC002', 'shipments@aws:us-east-1'), ('RES001', 'shipments@aws:us-east-1'), ('XFR002', 'shipments@aws:us-east-1')]
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json"
? 1
~ ^placement shipments@aws:us-east-1$
~ ^  RES001  shipments replica in aws:us-east-1 is outside the bloc scope of tier$
! sovmap: terraform plan: add-placement shipments aws:us-east-1 replica
! sovmap: terraform plan: 3 findings new, 0 resolved
! sovmap: terraform plan: 1 value known only after apply (not guessed)
! module.archive.aws_s3_bucket.cold (cold_archive): region known only after apply
! dataset customs_archive is not in the catalog (import the state first)
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --format sarif | python3 "$SOVMAP_DATA/../tests/sarif/validate.py" "$SOVMAP_DATA/../tests/sarif/sarif-schema-2.1.0.json" - | sed 's/: [0-9]* results$/: N results/'
> ok: N results
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --format sarif 2>/dev/null | grep -c '"ruleId": "RES001"'
> 1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --format junit 2>/dev/null | grep -c '<failure'
> 3
? 0
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --fail-on never -q
? 0
# the same plan without the replication introduces nothing
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-no-replication.json"
~ ^no findings in 11 datasets \(scenario terraform plan .*/plan-no-replication.json\)$
! sovmap: terraform plan: no change to the catalog's copies
! sovmap: terraform plan: 0 findings new, 0 resolved
? 0
# a replacement that moves the bucket to us-east-2, and a deleted read replica
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/plan-move.json" --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted((f["rule"], f["object"]["selector"]) for f in d["findings"]))'
> [('RES001', 'shipments@aws:us-east-2'), ('XFR002', 'shipments@aws:us-east-2')]
! sovmap: terraform plan: remove-placement shipments@aws:eu-central-1
! sovmap: terraform plan: remove-placement invoices@aws:eu-south-1
! sovmap: terraform plan: add-placement shipments aws:us-east-2 primary
# the catalog is unchanged by any of them
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --dataset shipments --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> shipments	aws:eu-central-1	primary	DE	yes	aws:eu-central-1	
# errors
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan "$SOVMAP_DATA/../tests/fixtures/terraform/state.json"
! state.json: a state, not a saved plan (terraform show -json PLANFILE)
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan nosuch.json
! nosuch.json: cannot read
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --terraform-plan p.json --scenario x
! --terraform-plan and --scenario cannot be combined
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --map m.json
! --map goes with --terraform-plan
? 2
