# sovmap classify: untagged fields whose names look personal get the tag the
# mapping file's "suggest" patterns give; --apply tags them in one audited
# transaction with the provenance "suggested"; a --map file's patterns first.
$ SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db dataset add kunden --system crm > /dev/null && sovmap --catalog c.db field add kunden Geburtsdatum telefonNummer Straße E_Mail phonetic kunden_id IBAN passport_no > /dev/null && SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db field add kunden email --tag pii.contact > /dev/null && echo ok
> ok
$ sovmap --catalog c.db classify
> DATASET  FIELD          TAG              PATTERN
> kunden   E_Mail         pii.email        e_mail
> kunden   Geburtsdatum   pii.dob          geburtsdatum
> kunden   IBAN           pii.financial    iban
> kunden   Straße         pii.location     straße
> kunden   passport_no    pii.national_id  passport
> kunden   telefonNummer  pii.phone        telefon
> 6 untagged fields look personal; sovmap classify --apply tags them
# --suggest writes nothing
$ sovmap --catalog c.db classify --suggest --format json kunden | head -2 && sovmap --catalog c.db log --format json --limit 0 | grep -c '"id":'
> [
>   {"dataset":"kunden","field":"E_Mail","tag":"pii.email","pattern":"e_mail"},
> 4
$ SOVMAP_TODAY=2026-11-27 sovmap --catalog c.db classify --apply | tail -1
> tagged 6 fields (provenance: suggested)
$ sovmap --catalog c.db log --limit 1
~ ^5 +2026-11-27T00:00:00Z +.* classify --apply \(6 fields\)$
$ sovmap --catalog c.db dataset show kunden | grep -A1 '^  Geburtsdatum$'
>   Geburtsdatum
>     pii.dob  from suggested  entity name matches geburtsdatum  at 2026-11-27T00:00:00Z
# the field already tagged kept its tag; names that only hold a pattern inside a word stay untagged
$ sovmap --catalog c.db dataset show kunden | grep -A1 -E '^  (email|phonetic|kunden_id)$' | grep -v -e -- -e '^  IBAN$'
>   phonetic
>   kunden_id
>   email
>     pii.contact  typed  at 2026-11-26T00:00:00Z
# a second run suggests nothing and writes nothing
$ sovmap --catalog c.db classify && sovmap --catalog c.db classify --apply && sovmap --catalog c.db log --format json --limit 0 | grep -c '"id":'
> no untagged field looks personal
> tagged 0 fields (provenance: suggested)
> 5
# one revert undoes the whole --apply
$ sovmap --catalog c.db revert 5 > /dev/null && sovmap --catalog c.db classify | tail -1
> 6 untagged fields look personal; sovmap classify --apply tags them
# a --map file's patterns are tried first
$ printf '%s\n' '{"suggest": {"fields": [{"names": ["kunden*", "phonetic"], "tag": "pii.id"}]}}' > m.json && sovmap --catalog c.db classify --map m.json --format tsv | grep -E 'kunden_id|phonetic'
> kunden	kunden_id	pii.id	kunden*
> kunden	phonetic	pii.id	phonetic
$ sovmap --catalog c.db classify --suggest --apply
! classify: --suggest or --apply, not both
? 2
$ printf '%s\n' '{"suggest": {"fields": [{"names": ["a*b"], "tag": "pii"}]}}' > bad.json && sovmap --catalog c.db classify --map bad.json
! bad.json: suggest.fields[0].names[0]: a name, with '*' only at either end
? 2
$ sovmap --catalog c.db classify nosuch
! unknown dataset nosuch
? 2
