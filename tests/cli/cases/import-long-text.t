# 10 KB names, descriptions and tag values (ASCII, CJK, emoji) through every
# importer, the --diff output, the audit log and check: all whole, byte for
# byte (no fixed-size buffer cuts them, no character is cut in half).
$ printf 'a%.0s' $(seq 10240) > a.txt && printf '数%.0s' $(seq 3414) > c.txt && printf '🌍%.0s' $(seq 2560) > e.txt && wc -c < a.txt && wc -c < c.txt && wc -c < e.txt
> 10240
> 10242
> 10240
$ sovmap --catalog c.db init -q
# Glue get-tables: the name, the description and a column whole in the diff.
$ A=$(cat a.txt) C=$(cat c.txt) E=$(cat e.txt); printf '{"TableList":[{"Name":"%s","DatabaseName":"db","Description":"%s","Owner":"%s","StorageDescriptor":{"Location":"s3://b/x","Columns":[{"Name":"%s","Type":"string"}]}}]}' "$A" "$C" "$E" "$E" > t1.json; printf '{"TableList":[{"Name":"%s","DatabaseName":"db","Description":"%s","Owner":"%s","StorageDescriptor":{"Location":"s3://b/x","Columns":[{"Name":"%s","Type":"string"}]}}]}' "$A" "$E" "$E" "$E" > t2.json
$ sovmap --catalog c.db import glue --region eu-west-1 --diff t1.json > out && grep -cxF "+ dataset db.$(cat a.txt)" out
> 1
# A description over 511 bytes is unchanged when it is the same ...
$ sovmap --catalog c.db import glue --region eu-west-1 t1.json
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
# ... and shown whole when it changes, in the diff and in the audit log.
$ sovmap --catalog c.db import glue --region eu-west-1 --diff t2.json > out && grep -cxF "  ~ description \"$(cat c.txt)\" -> \"$(cat e.txt)\"" out
> 1
$ sovmap --catalog c.db log --format json --limit 1 | grep -cF "~ description \\\"$(cat c.txt)\\\" -> \\\"$(cat e.txt)\\\""
> 1
$ sovmap --catalog c.db dataset show "db.$(cat a.txt)" | grep -cF "$(cat e.txt)"
~ ^[1-9]
# Glue get-tags: a mapped tag value of 10 KB (it used to be dropped over 159 bytes).
$ printf '{"rules":[{"from":"glue","name":"note","value":"*","tags":["note=${value}"]},{"from":"lf","name":"note","value":"*","tags":["lfnote=${value}"]}]}' > m.json && printf '{"Tags":{"note":"%s"}}' "$(cat c.txt)" > tags.json
$ sovmap --catalog c.db import glue --map m.json --diff --resource-arn "arn:aws:glue:eu-west-1:210987654321:table/db/$(cat a.txt)" tags.json > out && grep -cxF "  + tag note=$(cat c.txt)  [arn:aws:glue:eu-west-1:210987654321:table/db/$(cat a.txt)]" out
> 1
$ sovmap --catalog c.db log --format json --limit 1 | grep -cF "+ tag note=$(cat c.txt)  [arn:aws:glue:eu-west-1:210987654321:table/db/$(cat a.txt)]"
> 1
# Lake Formation: a 10 KB tag value, a personal emoji column, tier3.
$ A=$(cat a.txt) E=$(cat e.txt); printf '{"LFTagOnDatabase":[],"LFTagsOnTable":[{"CatalogId":"1","TagKey":"note","TagValues":["%s"]},{"CatalogId":"1","TagKey":"tier","TagValues":["tier3"]}],"LFTagsOnColumns":[{"Name":"%s","LFTags":[{"CatalogId":"1","TagKey":"sensitivity","TagValues":["pii"]}]}]}' "$E" "$E" > lf.json
$ sovmap --catalog c.db import lf-tags --map m.json --diff --resource-arn "arn:aws:glue:eu-west-1:210987654321:table/db/$(cat a.txt)" lf.json > out && grep -cF "  + tag lfnote=$(cat e.txt)  [" out
> 1
$ sovmap --catalog c.db import lf-tags --map m.json --resource-arn "arn:aws:glue:eu-west-1:210987654321:table/db/$(cat a.txt)" lf.json
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
# Atlas: the qualified name, and a classification attribute mapped into a tag.
$ A=$(cat a.txt) C=$(cat c.txt) E=$(cat e.txt); printf '{"entities":[{"typeName":"hive_table","guid":"g1","attributes":{"qualifiedName":"db2.%s@cl","name":"%s","description":"%s","owner":"%s"},"classifications":[{"typeName":"PII","attributes":{"type":"%s"}}]}]}' "$A" "$A" "$C" "$E" "$E" > bulk.json
$ sovmap --catalog c.db import atlas --region eu-west-1 --diff bulk.json > out && grep -cxF "+ dataset db2.$(cat a.txt)" out && grep -cxF "  + tag pii.$(cat e.txt)  [g1]" out
> 1
> 1
$ sovmap --catalog c.db import atlas --region eu-west-1 bulk.json
> datasets: 0 new, 0 changed, 1 unchanged
> fields: 0 new; tags: 0 added, 0 removed; flows: 0 new, 0 not imported
# check: the dataset and field names whole in the message (it was cut at 511 bytes).
$ sovmap --catalog c.db check --format json --fail-on never | grep -cF "\"message\": \"db.$(cat a.txt) has personal fields ($(cat e.txt)) but tier public is not for personal data\""
> 1
$ sovmap --catalog c.db check --format json --fail-on never | grep -cF "\"message\": \"dataset db2.$(cat a.txt) has no tier\""
> 1
# an expired classification on a 10 KB CJK column: CLS003's message whole
$ C=$(cat c.txt); printf '{"entities":[{"typeName":"hive_table","guid":"g3","attributes":{"qualifiedName":"db3.t@cl","name":"t"}},{"typeName":"hive_column","guid":"g4","attributes":{"qualifiedName":"db3.t.c@cl","name":"%s"},"relationshipAttributes":{"table":{"guid":"g3"}},"classifications":[{"typeName":"PCI","validityPeriods":[{"endTime":"2025/06/30 23:59:59"}]}]}]}' "$C" > exp.json && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db -q import atlas --region eu-west-1 exp.json 2>/dev/null; sovmap --catalog c.db check --format json --fail-on never | grep -cF "\"message\": \"db3.t field $(cat c.txt): tag financial.pci rests on a classification that expired on 2025-06-30 (from exp.json)\""
> 1
# a 10 KB region id in check's reasons, whole (region labels were cut at 199 bytes)
$ sovmap --catalog c.db region add "onprem:$(cat e.txt)" --country US -q && sovmap --catalog c.db dataset add d1 --tier restricted -q && sovmap --catalog c.db place d1 "onprem:$(cat e.txt)" -q
$ sovmap --catalog c.db check --format json --fail-on never | grep -cF "\"primary in onprem:$(cat e.txt) (US)"
> 1
# Terraform: a 10 KB CJK dataset name from the resource's sovmap-dataset tag, whole
# in the diff, in the audit log and in check's JSON report.
$ C=$(cat c.txt); printf '{"format_version":"1.0","terraform_version":"1.6.0","values":{"root_module":{"resources":[{"address":"aws_s3_bucket.x","mode":"managed","type":"aws_s3_bucket","name":"x","provider_name":"registry.terraform.io/hashicorp/aws","values":{"bucket":"b1","region":"eu-west-1","tags":{"sovmap-dataset":"%s"}}}]}}}' "$C" > tf.json && sovmap --catalog c.db import terraform --diff tf.json > out && grep -cxF "+ dataset $(cat c.txt)" out
> 1
$ sovmap --catalog c.db log --format json --limit 1 | grep -cF "+ dataset $(cat c.txt)"
> 1
$ sovmap --catalog c.db check --format json --fail-on never | grep -cF "\"$(cat c.txt)\""
~ ^[1-9]
# classify: a 10 KB emoji field name ending in _email, suggested and tagged whole
$ sovmap --catalog c.db field add d1 "$(cat e.txt)_email" -q && sovmap --catalog c.db classify --format tsv d1 | grep -cxF "d1	$(cat e.txt)_email	pii.email	email"
> 1
$ sovmap --catalog c.db classify --apply -q d1 && sovmap --catalog c.db dataset show d1 | grep -cxF "  $(cat e.txt)_email"
> 1
