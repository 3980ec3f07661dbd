# export review-html: one self-contained file with the diagram, findings,
# map, allowed regions, the tier-to-region mapping and the transfer register
# (tests/review/check.py)
$ sovmap demo >/dev/null
$ SOVMAP_TODAY=2026-11-26 sovmap export review-html -o review.html && echo written
> written
$ SOVMAP_TODAY=2026-11-26 sovmap check --format json > check.json; python3 "$SOVMAP_DATA/../tests/review/check.py" review.html check.json
~ ^ok [1-9][0-9]* findings, [1-9][0-9]* links$
# the tier-to-region mapping: a table per tier and subjects, as tiers-csv has them
$ SOVMAP_TODAY=2026-11-26 sovmap export tiers-csv -o tiers.csv && python3 "$SOVMAP_DATA/../tests/review/check.py" review.html check.json tiers.csv
~ ^ok [1-9][0-9]* findings, [1-9][0-9]* links, 9 tier tables$
# rows where copies are and none may be: restricted EU data in BR (a backup) and the US (a replica)
$ sed -n '/<h2 id="tiers"/,/<h2 id="transfers"/p' review.html | grep -o '<tr class="forbidden"><td>[A-Z]*'
> <tr class="forbidden"><td>BR
> <tr class="forbidden"><td>US
# a waived finding is listed apart, still in the pack
$ SOVMAP_TODAY=2026-11-26 sovmap waive RES001 loyalty_members_eu@aws:us-east-1 --owner dpo --reason "moving in Q1" --expires 2027-03-31 >/dev/null
$ SOVMAP_TODAY=2026-11-26 sovmap export review-html -o review2.html && SOVMAP_TODAY=2026-11-26 sovmap check --format json > check2.json; python3 "$SOVMAP_DATA/../tests/review/check.py" review2.html check2.json
~ ^ok [1-9][0-9]* findings
$ grep -c '<h3>Waived</h3>' review2.html
> 1
# deterministic
$ SOVMAP_TODAY=2026-11-26 sovmap export review-html -o review3.html && cmp review2.html review3.html && echo same
> same
