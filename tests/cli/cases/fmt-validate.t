# sovmap fmt and validate on model-json files.
# Every model-json file of the repository is canonical; the hand-edited
# fixtures (tests/fixtures/hand-edited/) exist to be otherwise.
$ python3 "$SOVMAP_DATA/../tests/fixtures/find-models.py" "$SOVMAP_DATA/.." > all.txt && grep -v '^tests/fixtures/hand-edited/' all.txt > canon.txt && grep -c . canon.txt >/dev/null && grep -qx data/demo/demo.json canon.txt && echo found
> found
$ cd "$SOVMAP_DATA/.." && sovmap fmt --check $(cat "$T/canon.txt") && echo canonical
> canonical
$ cd "$SOVMAP_DATA/.." && sovmap fmt --check $(grep '^tests/fixtures/hand-edited/' "$T/all.txt")
~ ^tests/fixtures/hand-edited/model.json$
? 1
# fmt rewrites in place, keeps the mode, prints the name; then --check passes
$ cp "$SOVMAP_DATA/../tests/fixtures/hand-edited/model.json" h.json && chmod 640 h.json && cp h.json orig.json
$ sovmap fmt --check h.json
> h.json
? 1
$ cmp h.json orig.json && echo untouched
> untouched
$ sovmap fmt h.json
> h.json
$ stat -c %a h.json
> 640
$ sovmap fmt --check h.json && sovmap fmt h.json && echo nothing to do
> nothing to do
# the canonical form is the model's own export
$ sovmap import model orig.json >/dev/null && sovmap export model-json | cmp - h.json && echo same
> same
# - : standard input to standard output
$ sovmap fmt - < orig.json | cmp - h.json && echo same
> same
$ sovmap fmt --check - < h.json && echo canonical
> canonical
$ sovmap fmt - - < h.json
! goes alone
? 2
# an invalid file is reported and left alone
$ printf '{"sovmap": 1,\n "datasets": [{"name": "a", "tier": "restrictd"}]}\n' > bad.json && cp bad.json bad.orig
$ sovmap fmt bad.json
! bad.json:2:37: datasets[0].tier: unknown tier restrictd
? 2
$ cmp bad.json bad.orig && echo untouched
> untouched
$ sovmap fmt
! fmt needs a model-json file
? 2
# validate: file:line:col for schema and reference errors
$ sovmap validate h.json
> h.json: valid: 2 datasets, 4 copies, 1 flows
$ sovmap validate bad.json h.json
! bad.json:2:37: datasets[0].tier: unknown tier restrictd
> h.json: valid: 2 datasets, 4 copies, 1 flows
? 1
$ printf '{"sovmap": 1,\n "datasets": [{"name": "a", "placements": [\n   {"region": "aws:eu-west-1"}]}],\n "flows": [{"from": "a@aws:eu-west-1",\n            "to": "b@aws:eu-west-1"}]}\n' > ref.json && sovmap validate ref.json
! ref.json:5:19: flows[0].to: unknown dataset b
? 1
$ printf '{"sovmap": 1,\n "datasets": [{"name": "a", "placements": [\n   {"region": "aws:eu-west-1"},\n   {"region": "aws:eu-wset-2"}]}]}\n' > reg.json && sovmap validate reg.json
! reg.json:4:15: datasets[0].placements[1].region: unknown region aws:eu-wset-2; did you mean aws:eu-west-2?
? 1
$ printf '{"sovmap": 1,\n "datasets": [{"name": "a",\n  "colour": "red"}]}\n' > key.json && sovmap validate key.json
! key.json:3:3: datasets[0]: unknown key "colour"
? 1
$ printf '{"sovmap": 1, "datasets": [\n' > syn.json && sovmap validate syn.json
! syn.json:2:
? 1
$ sovmap validate missing.json
! missing.json: cannot read
? 2
$ sovmap validate
! validate needs a model-json file
? 2
