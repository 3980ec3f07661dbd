# Regions (shipped and the catalog's own) and tiers.
$ sovmap region list --provider aws --country ie
> ID             KIND   COUNTRY  CITY    OPERATOR  SOURCE
> aws:eu-west-1  cloud  IE       Dublin  US        shipped

$ sovmap region show aws:eu-west-1 --format json
> {"id":"aws:eu-west-1","name":"Europe (Ireland)","kind":"cloud","country":"IE","city":"Dublin","operator":"US","members":"","provider":"aws"}

$ test -f xdg-data/sovmap/catalog.db && sovmap region show aws:eu-west-9
! sovmap: unknown region aws:eu-west-9; did you mean aws:eu-west-1?
? 2

$ sovmap --catalog a.db region add onprem:fra-dc1 --country DE --city Frankfurt
> added region onprem:fra-dc1

$ sovmap --catalog a.db region add acme:eu --kind multi-region --members DE,FR,NL
> added region acme:eu

$ sovmap --catalog a.db region add acme:x --country Germany
! bad country Germany
? 2

$ sovmap --catalog a.db region list --user
> ID              KIND          COUNTRY   CITY       OPERATOR  SOURCE
> onprem:fra-dc1  on-prem       DE        Frankfurt  DE        catalog
> acme:eu         multi-region  DE,FR,NL                       catalog

$ sovmap --catalog a.db region list --user --country NL --format tsv | cut -f1
> ID
> acme:eu

$ sovmap --catalog a.db region edit onprem:fra-dc1 --kind sovereign-cloud --operator EU
> changed region onprem:fra-dc1

$ sovmap --catalog a.db region edit aws:eu-west-1 --city Cork
! sovmap: region aws:eu-west-1 is shipped with sovmap and cannot be changed
? 2

$ sovmap --catalog a.db --quiet dataset add logs && sovmap --catalog a.db --quiet place logs onprem:fra-dc1 && sovmap --catalog a.db region rm onprem:fra-dc1
! sovmap: region onprem:fra-dc1 is used by 1 copies
? 2

$ sovmap --catalog a.db region rm acme:eu
> removed region acme:eu

$ sovmap --catalog a.db region rm aws:eu-west-1
! sovmap: region aws:eu-west-1 is shipped with sovmap; retire it in a scenario instead
? 2

$ sovmap --catalog a.db tier list
> NAME          RANK  PERSONAL  SCOPE     BACKUP-SCOPE  KEY-SCOPE  ENCRYPTED  DATASETS
> restricted    3     yes       bloc      bloc          bloc       yes        0
> confidential  2     yes       adequate  adequate      adequate   yes        0
> public        1     no        global    global        global     no         0

$ sovmap --catalog a.db tier add secret --rank 4 --personal --scope approved --approved aws:eu-central-1,onprem:fra-dc1 --encryption-at-rest --sovereign
> added tier secret

$ sovmap --catalog a.db tier add bogus --scope planet
! bad scope planet
? 2

$ sovmap --catalog a.db tier add bogus2 --approved aws:eu-west-9
! unknown region aws:eu-west-9; did you mean aws:eu-west-1?
? 2

$ sovmap --catalog a.db tier show secret
> tier                 secret
> rank                 4
> personal             true
> scope                approved
> backup-scope         global
> approved             aws:eu-central-1,onprem:fra-dc1
> encryption-at-rest   true
> key-scope            global
> transit-encryption   false
> sovereign            true
> retention-min
> retention-max
> description

$ sovmap --catalog a.db tier edit secret --no-sovereign --retention-max 90
> changed tier secret

$ sovmap --catalog a.db dataset edit logs --tier secret && sovmap --catalog a.db tier rm secret
! tier secret is used by 1 datasets
? 2

$ sovmap --catalog a.db tier list --format json | python3 -c 'import json,sys; print([(t["name"], t["datasets"], t["sovereign"], t["retention-max"]) for t in json.load(sys.stdin)][-1])'
> ('secret', 1, False, 90)
