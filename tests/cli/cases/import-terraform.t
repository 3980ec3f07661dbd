# sovmap import terraform: a `terraform show -json` state of modules, AWS,
# Azure and GCP resources (tests/fixtures/terraform/state.json) and a saved
# plan; copies, regions, roles and keys; idempotent; one transaction.
$ SOVMAP_TODAY=2026-11-26 sovmap -q --catalog c.db init
# a dry run shows the review diff and writes nothing
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/state.json" --dry-run
~ ^  \+ replica azure:southcentralus  \[azurerm_storage_account.customs_br via secondary_location\]$
~ ^  \+ backup aws:us-west-2  \[aws_backup_plan.nightly via copy_action\]$
~ ^dry run: nothing written$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/state.json"
> datasets: 11 new, 0 changed, 0 unchanged
> fields: 0 new; tags: 1 added, 0 removed; flows: 0 new, 0 not imported
> copies: 24 found, 24 new, 0 changed
> skipped 1 entity:
>   1 aws_s3_bucket (no sovmap-dataset tag)
> warning: multi-Region key mrk-5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0: its material is also in aws:us-east-1 (aws_kms_replica_key.tracking_us)
> warning: multi-Region key mrk-5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0: its material is also in aws:eu-west-1 (aws_kms_key.tracking)
> warning: module.fleet.aws_s3_bucket_replication_configuration.telemetry: destination arn:aws:s3:::someone-elses-bucket is not in the input; the replica's region is unknown, not guessed
> warning: 1 data source ignored (never a placement)
> warning: scans: a second primary copy in gcp:europe-west4 (google_storage_bucket.scans); recorded as a replica of the one in gcp:europe-west1
# Brazil South pairs with South Central US: a copy in the United States
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --dataset customs_br --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> customs_br	azure:brazilsouth	primary	BR	yes		
> customs_br	azure:southcentralus	replica	US	yes		
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --dataset invoices --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> invoices	aws:eu-west-3	primary	FR	yes	aws:eu-west-3	
> invoices	aws:eu-south-1	replica	IT	yes	aws:eu-south-1	
> invoices	aws:eu-west-3	backup	FR	yes	aws:eu-west-3	
> invoices	aws:us-west-2	backup	US	yes		
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --dataset documents --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> documents	gcp:eur4	primary	multi	yes	gcp:europe-north1	
# resource tags through the mapping file: data-tier=tier1 classifies; Name,
# managed-by are infrastructure labels and are not kept
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show invoices
~ ^tier +restricted$
~ ^  data-tier=tier1  from .*state.json  entity aws_db_instance.invoices  at 
# an Azure SQL database in its server's region, replicated by a failover group
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db place list --dataset ledger --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> ledger	azure:westeurope	primary	NL	yes		
> ledger	azure:switzerlandnorth	replica	CH	yes		
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset show telemetry
~ ^source +terraform:module.fleet.aws_s3_bucket.telemetry$
~ aws:ap-southeast-2 \(AU\)  replica
# the second run writes nothing: no audit entry
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/state.json"
~ ^datasets: 0 new, 0 changed, 11 unchanged$
~ ^copies: 24 found, 0 new, 0 changed$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db log | wc -l
> 2
# a saved plan: its after view; unknown values are reported, not guessed
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/plan-replication.json" --diff
> ~ dataset shipments
>   + replica aws:us-east-1 key aws:us-east-1  [aws_s3_bucket.manifests_dr via aws_s3_bucket_replication_configuration.manifests]
> + dataset customs_archive
>   + primary azure:brazilsouth  [azurerm_storage_account.customs_archive]
>   + replica azure:southcentralus  [azurerm_storage_account.customs_archive via the region pair]
> + dataset cold_archive
> datasets: 2 new, 1 changed, 0 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
> copies: 4 found, 3 new, 0 changed
> 1 value known only after apply (not guessed)
> 1 dataset without a region
> warning: module.archive.aws_s3_bucket.cold (cold_archive): region known only after apply and not set by its provider configuration; not guessed
> warning: cold_archive: no region (the resources naming it have no known region); imported without a copy
# a bad file changes nothing: file:line:col, exit 2
$ printf '{"format_version": "1.0",\n "values": [}\n' > bad.json; SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform "$SOVMAP_DATA/../tests/fixtures/terraform/state.json" bad.json
! bad.json:2:
? 2
$ printf '{"format_version": "2.0", "values": {}}' > v2.json; SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db import terraform v2.json
! v2.json: format_version 2.0 is not 1.x
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db log | wc -l
> 3
$ sovmap import terraform --help
~ terraform FILE\.\.\.  terraform show -json output
