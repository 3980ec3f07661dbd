# QA round: option spellings and messages (qa-report #11, #12, #13, #22)
$ sovmap demo
~ demo
# #11: --ref and --encrypted work on flow edit as on flow add
$ sovmap flow edit audience-export --mechanism scc --ref TIA-1 --encrypted false
> changed flow audience-export
$ sovmap flow show audience-export | grep -E '^(mechanism-ref|transit-encrypted) '
> mechanism-ref        TIA-1
> transit-encrypted    false
$ sovmap flow edit audience-export --mref x
? 2
! did you mean --ref?
# #12: a boolean attribute takes true|false as its own argument
$ sovmap dataset edit loyalty_offers_catalog --public-sector true
> changed dataset loyalty_offers_catalog
$ sovmap dataset show loyalty_offers_catalog | grep '^public-sector'
> public-sector        true
$ sovmap dataset edit loyalty_offers_catalog --public-sector false && sovmap dataset show loyalty_offers_catalog | grep '^public-sector'
> changed dataset loyalty_offers_catalog
> public-sector        false
$ sovmap place loyalty_offers_catalog aws:eu-north-1 --encrypted true && sovmap place show loyalty_offers_catalog@aws:eu-north-1 | grep '^encrypted'
~ encrypted +true
# #13: log --verbose adds before/after, not the global "loading" note
$ sovmap log --limit 1 --verbose 2>&1 | grep -c 'loading' || true
> 0
$ sovmap log --limit 1 --verbose | grep -c 'after:'
> 1
# #22: an impossible date, a negative number, the check usage lines, --help
$ sovmap waive RES001 loyalty_offers_catalog --owner a --reason r --expires 2027-02-30
? 2
! bad --expires 2027-02-30: no such day in the calendar
$ sovmap dataset add x --tier public --retention -5
? 2
! bad retention -5: a negative number
$ sovmap check --width 5
? 2
! [--color auto|always|never] [--width N]
! sovmap check --terraform-plan PLAN.json [--map FILE]
$ sovmap --help | grep '^  import'
~ Terraform
# #9: a waiver on a dataset for a copy-level rule could never match: refused
$ sovmap waive RES001 loyalty_members_eu --owner a --reason b --expires 2099-01-01
? 2
! RES001 applies to copies, not to datasets: did you mean loyalty_members_eu@aws:us-east-1?
$ sovmap waive LIN001 loyalty_members_eu@aws:us-east-1 --owner a --reason b --expires 2099-01-01
? 2
! LIN001 applies to datasets, not to copies: did you mean loyalty_members_eu?
$ sovmap waive ENC003 loyalty_members_eu --owner a --reason b --expires 2099-01-01
? 2
! ENC003 applies to flows, not to datasets
$ sovmap waive RES001 loyalty_members_eu@aws:us-east-1 --owner a --reason b --expires 2099-01-01
> added waiver RES001:loyalty_members_eu@aws:us-east-1
# #10: a misspelled field in --transforms is refused on flow add and flow edit
$ sovmap dataset add src --tier restricted --subjects EU && sovmap field add src email && sovmap field add src name && sovmap place src aws:eu-west-1 --encrypted
~ added
$ sovmap dataset add dst --tier restricted --subjects EU && sovmap place dst aws:eu-west-1 --encrypted
~ added
$ sovmap flow add src dst --kind etl --transforms "mask emial; drop nmae" --encrypted
? 2
! unknown field emial on src (fields: email, name); did you mean email?
$ sovmap flow add src dst --kind etl --transforms "mask email; drop name" --encrypted --name f1
> added flow f1
$ sovmap flow edit f1 --transforms "drop nmae"
? 2
! unknown field nmae on src (fields: email, name); did you mean name?
# a source with no fields modelled yet: a warning, not a refusal
$ sovmap flow add dst src --kind etl --transforms "mask email" --name f2
> added flow f2
! warning: dst has no fields modelled yet
