# rule packs: --rules picks one by name or path; a bad pack gets
# file:line:column; an advisory pack reports everything as info; a catalog
# can name its own pack (model-json "rule_pack")
$ sovmap demo
$ printf '{\n  "tiers": [\n    {"name": "x", "scope": "blok"}\n  ]\n}\n' > bad.json; SOVMAP_TODAY=2026-11-26 sovmap check --rules bad.json
! bad.json:3:19: tiers[0].scope: unknown scope blok (use region, country, bloc, adequate, approved or global)
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules no-such-pack
! unknown rule pack no-such-pack
? 2
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules default
? 1
~ ^6 errors, 0 warnings in 29 datasets$
$ python3 -c 'import json, os; d = json.load(open(os.environ["SOVMAP_DATA"] + "/rules/default.json")); d["name"] = "advisory"; d["policy"]["advisory"] = True; json.dump(d, open("adv.json", "w"))'
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules adv.json
? 0
~ ^0 errors, 0 warnings
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules adv.json --fail-on info
? 1
# a pack that revokes EU->US adequacy: the DPF-based CRM sync fails too
$ python3 -c 'import json, os; d = json.load(open(os.environ["SOVMAP_DATA"] + "/rules/default.json")); d["name"] = "nodpf"; d["regimes"]["revoke"] = [["EU", "US"]]; json.dump(d, open("nodpf.json", "w"))'
$ SOVMAP_TODAY=2026-11-26 sovmap check --rules "$PWD/nodpf.json" --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["summary"]["errors"], sorted(f["object"]["selector"] for f in d["findings"] if f["rule"] == "XFR002"))'
> 9 ['crm-sync', 'loyalty_members_eu@aws:us-east-1']
# a pack's "jurisdictions" is a file name in the data directory, not a path;
# special and oversized files are refused without reading them
$ printf '{"jurisdictions": "../../../../etc/passwd"}' > up.json; sovmap check --rules up.json
! up.json:1:2: jurisdictions must be a file name ending in .json in the data directory (no '/' or '..')
? 2
$ printf '{"jurisdictions": "/dev/zero"}' > zero.json; sovmap check --rules zero.json
! zero.json:1:2: jurisdictions must be a file name ending in .json in the data directory
? 2
$ sovmap check --rules /dev/zero
! /dev/zero: not a regular file
? 2
# unknown top-level keys are errors: an Atlas export does not load as an empty pack
$ printf '{\n  "entities": [],\n  "referredEntities": {}\n}\n' > atlas.json; sovmap check --rules atlas.json
! atlas.json:2:3: unknown key "entities" (a rule pack has name, description, jurisdictions, personal_tags, tiers, policy, rules, regimes and custom)
? 2
