# sovmap explain RULE: the rule's text from doc/rules.md, shipped in
# data/rules/explain/ (issue 22)
$ sovmap explain XFR002
~ ^XFR002 — partial or revoked adequacy \[error\]$
~ ^- fires: an EU replica in `aws:us-east-1` with no mechanism
~ ^- does not: 
~ ^- law: GDPR Art. 45
$ sovmap explain xfr002 | head -1
> XFR002 — partial or revoked adequacy [error]
$ sovmap help RES001 | head -1
> RES001 — placement outside its tier's scope [error]
# an unknown id suggests the nearest
$ sovmap explain RES01
! unknown rule RES01; did you mean RES001?
? 2
$ sovmap help XFR009
! unknown rule XFR009; did you mean XFR001?
? 2
$ sovmap explain NOTARULE
! unknown rule NOTARULE; `sovmap explain` lists them
? 2
$ sovmap explain ../../etc/passwd
! unknown rule ../../etc/passwd
? 2
# every rule of the list has its text, with what fires and the law
$ for r in $(sovmap explain | awk '{print $1}'); do sovmap explain $r | grep -q '^- law: ' || echo "no law for $r"; sovmap explain $r | grep -q 'fires' || echo "no example for $r"; done; echo checked
> checked
$ sovmap explain | wc -l | awk '$1 >= 14 { print "all rules" }'
> all rules
$ sovmap explain ENC002 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["id"], d["severity"], d["text"].splitlines()[0][:40])'
> ENC002 error Fires when an encrypted copy's key regio
# the shipped texts are doc/rules.md's sections (tools/gen-explain.sh makes them)
$ sh "$SOVMAP_DATA/../tools/gen-explain.sh" "$SOVMAP_DATA/../doc/rules.md" out && diff -r out "$SOVMAP_DATA/rules/explain" && echo in sync
> in sync
# they are data: a copy of data/ alone (as after make install) is enough
$ cp -R "$SOVMAP_DATA" inst && SOVMAP_DATA="$PWD/inst" sovmap explain RES003 | head -1
> RES003 — hard localization, no primary in-country [error]
