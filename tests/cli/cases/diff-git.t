# sovmap diff on two revisions of the demo model in a git repository, with
# the commands of doc/ci.md: the demo exported as model-json and committed;
# a pull request moves one replica into the EU and adds one flow; the
# markdown for the pull-request comment is a snapshot, and the gate's exit
# code says a new error came in.
$ git init -q repo && cd repo && git config user.email ci@example.com && git config user.name ci && sovmap --catalog demo.db demo >/dev/null && sovmap --catalog demo.db export model-json -o model.json && git add model.json && git commit -qm base && echo ok
> ok
$ cd repo && python3 "$SOVMAP_DATA/../tests/fixtures/demo-pr.py" model.json && sovmap fmt model.json && sovmap fmt --check model.json && git commit -qam pr && echo ok
> model.json
> ok
# check on every push: SARIF for code scanning; the gate is the diff
$ cd repo && sovmap check model.json --format sarif --fail-on never -o sovmap.sarif && python3 -c 'import json; r = json.load(open("sovmap.sarif"))["runs"][0]["results"]; print(len(r) > 0, {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in r})'
> True {'model.json'}
# the pull request: base and head through git, markdown for the comment
$ cd repo && SOVMAP_TODAY=2026-11-26 sovmap diff git:HEAD~1:model.json git:HEAD:model.json --format markdown --exit-code > "$T/comment.md"
? 1
$ diff -u "$SOVMAP_DATA/../tests/cli/expected/diff-demo.md" comment.md && echo same
> same
# text: the moved copy, the added flow, and the findings
$ cd repo && SOVMAP_TODAY=2026-11-26 sovmap diff git:HEAD~1:model.json git:HEAD:model.json
~ ^  ~ copy loyalty_members_eu@aws:us-east-1: region aws:us-east-1 -> aws:eu-west-3$
~ ^  \+ flow members-to-us-analytics \(export, loyalty_members_eu@aws:eu-west-1 -> aws:us-east-1\)$
~ ^  new +error +XFR002 +members-to-us-analytics: 
~ ^  fixed +error +RES001 +loyalty_members_eu@aws:us-east-1: 
# --all lists the findings still there (the snapshot counts 4)
$ cd repo && SOVMAP_TODAY=2026-11-26 sovmap diff git:HEAD~1:model.json git:HEAD:model.json --all | grep -c '^  still there '
> 4
# without --exit-code the diff only reports; warnings are below the gate
$ cd repo && sovmap diff git:HEAD~1:model.json git:HEAD:model.json >/dev/null && echo reported
> reported
$ cd repo && sovmap diff git:HEAD~1:model.json git:HEAD:model.json --exit-code --fail-on never >/dev/null && echo passes
> passes
# the same revision on both sides: nothing changed, nothing new
$ cd repo && sovmap diff git:HEAD:model.json model.json --exit-code
~ ^model: no change$
# a catalog on one side (read-only), the file on the other: the base
$ cd repo && sovmap diff demo.db git:HEAD~1:model.json --exit-code --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["changes"], d["fails"], d["counts"]["error"]["new"])'
> [] False 0
# a fix: the flow removed again; the gate passes, its error is fixed
$ cd repo && python3 -c 'import json; d = json.load(open("model.json")); d["flows"] = [f for f in d["flows"] if f["name"] != "members-to-us-analytics"]; json.dump(d, open("model.json", "w"))' && sovmap fmt model.json >/dev/null && git commit -qam fix && sovmap diff git:HEAD~1:model.json git:HEAD:model.json --exit-code --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([(c["change"], c["selector"]) for c in d["changes"]], [(f["status"], f["rule"]) for f in d["findings"] if f["status"] != "still"])'
> [('removed', 'members-to-us-analytics')] [('fixed', 'XFR002')]
# errors
$ cd repo && sovmap diff git:NOPE:model.json model.json
! git:NOPE:model.json: git show failed
? 2
$ cd repo && sovmap diff git:model.json model.json
! use git:REV:PATH
? 2
$ sovmap diff only-one.json
! diff needs OLD and NEW
? 2
$ cd repo && sovmap diff model.json model.json --format xml
! bad --format xml
? 2
$ cd repo && sovmap diff model.json missing.json
! missing.json: cannot read
? 2
