# sovmap where: the regions a dataset's copies may live in, from the
# checker's own tests (issue 22). On the demo, loyalty_members_eu
# (restricted, EU subjects) may keep its primary and replicas in the EEA and
# not in aws:us-east-1; --why-not names RES001 and the facts.
$ sovmap --catalog d.db demo
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu
~ ^tier      restricted$
~ ^subjects  EU, personal data$
~ ^primary: [1-9][0-9]* allowed, 0 with a mechanism, [1-9][0-9]* forbidden$
~ ^replica: [1-9][0-9]* allowed
~ ^  DE      aws-eusc:eusc-de-east-1 +inside the EEA$
~ ^          aws:eu-central-1 +inside the EEA$
~ ^          gcp:europe-west3 +inside the EEA$
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu | grep -c 'us-east-1'
> 0
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu --why-not aws:us-east-1
~ ^why not aws:us-east-1$
~ ^  replica: forbidden$
~ ^    RES001 loyalty_members_eu replica in aws:us-east-1 is outside the bloc scope of tier restricted$
~ ^      - US is outside the EEA$
~ ^    XFR002 .*relies on EU adequacy for US that does not hold$
~ ^      - EU adequacy for US needs dpf
~ ^    ENC002 the key for loyalty_members_eu
# an allowed region says why it is allowed
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu --why-not aws:eu-central-1 --role replica
~ ^  replica: allowed, inside the EEA$
# a dataset not yet modelled: the same regions as the modelled one
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu | sed 1,4d > a.txt; SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where --tier restricted --subjects EU | sed 1,4d > b.txt; cmp a.txt b.txt && echo same
> same
# confidential with EU and BR subjects: the US only with a mechanism both accept
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where --tier confidential --subjects EU,BR --provider aws --role replica
~ ^  US      aws:us-east-1 +only with scc declared: no GDPR adequacy covers US$
~ ^  DE      aws:eu-central-1 +adequacy BR->DE$
# lineage: the effective tier and where it comes from
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_churn_scores --role key --provider gcp
~ ^tier      restricted \(declared public\), inherited from loyalty_members_eu through flow churn-build$
# --all lists the forbidden regions with their rules
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu --all --provider aws --role backup
~ ^  US      aws:us-east-1 +forbidden: RES002, XFR002$
# JSON is stable
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu --provider aws --role replica --format json
> {
>   "dataset":"loyalty_members_eu","tier":"restricted","declared_tier":"restricted","inherited_from":null,"via_flow":null,"subjects":"EU","personal":true,"public_sector":false,"home":"aws:eu-west-1",
>   "roles":{
>   "replica":[
>     {"region":"aws:eu-central-1","jurisdiction":"DE","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]},
>     {"region":"aws:eu-south-2","jurisdiction":"ES","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]},
>     {"region":"aws:eu-west-3","jurisdiction":"FR","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]},
>     {"region":"aws:eu-west-1","jurisdiction":"IE","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]},
>     {"region":"aws:eu-south-1","jurisdiction":"IT","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]},
>     {"region":"aws:eu-north-1","jurisdiction":"SE","status":"allowed","basis":"inside","mechanism":null,"detail":"inside the EEA","rules":[]}
>   ]
>   }
> }
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where loyalty_members_eu --why-not aws:us-east-1 --format json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["why_not"], d["roles"]["replica"]["status"], [f["rule"] for f in d["roles"]["replica"]["findings"]])'
> aws:us-east-1 forbidden ['RES001', 'XFR002']
# subjects with no regime restrict nothing, and where says so
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog d.db where --tier restricted --subjects MX --provider aws --role primary
! subjects MX have no regime in rule pack default (SUB001): they restrict nothing
~ ^  MX      aws:mx-central-1 +within the tier's scope; no regime applies$
# errors
$ sovmap --catalog d.db where nosuch
! unknown dataset nosuch
? 2
$ sovmap --catalog d.db where loyalty_members_eu --tier restricted
! name a dataset or give --tier and --subjects, not both
? 2
$ sovmap --catalog d.db where
! name a dataset, or give --tier and --subjects
? 2
$ sovmap --catalog d.db where loyalty_members_eu --role owner
! bad --role owner
? 2
$ sovmap --catalog d.db where loyalty_members_eu --why-not aws:nowhere
! unknown region aws:nowhere
? 2
$ sovmap --catalog d.db where loyalty_members_eu --provider nocloud
! no region of provider nocloud
? 2
$ sovmap --catalog d.db where --tier nosuch --subjects EU
! unknown tier nosuch
? 2
# hostile names are escaped
$ sqlite3 d.db "INSERT INTO dataset(name, tier, subjects) VALUES ('evil' || char(27) || '[31m', 'restricted', 'EU')"
$ sovmap --catalog d.db where "$(printf 'evil\033[31m')" --provider aws --role primary | head -1
> dataset   evil\x1b[31m
