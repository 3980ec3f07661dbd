# Datasets, fields and tags from a script: add, list, show, edit, rm; precise errors.
$ sovmap --catalog a.db init
> created a.db: 3 tiers, 0 datasets

$ sovmap --catalog a.db init
> catalog a.db: 3 tiers, 0 datasets

$ sovmap --catalog a.db dataset add orders --tier restricted --subjects EU,BR --system loyalty --owner "Ana Lima" --retention 365
> added dataset orders

$ sovmap --catalog a.db --quiet dataset add visits --tier public --system web
>

$ sovmap --catalog a.db dataset add orders
! dataset orders
? 2

$ sovmap --catalog a.db dataset add bi --tier confidentail
! unknown tier confidentail; did you mean confidential?
? 2

$ sovmap --catalog a.db dataset add bi --subjects EU,XYZ
! bad jurisdiction XYZ
? 2

$ sovmap --catalog a.db dataset list
> NAME    TIER        SUBJECTS  SYSTEM   OWNER     COPIES
> orders  restricted  EU,BR     loyalty  Ana Lima  0
> visits  public                web                0

$ sovmap --catalog a.db dataset list --tier public --format tsv
> NAME	TIER	SUBJECTS	SYSTEM	OWNER	COPIES
> visits	public		web		0

$ sovmap --catalog a.db dataset list --system loyalty --format json
> [
>   {"name":"orders","tier":"restricted","subjects":"EU,BR","system":"loyalty","owner":"Ana Lima","retention":365,"public-sector":false,"source":"","description":"","purpose":"","legal-basis":"","copies":0}
> ]

$ sovmap --catalog a.db dataset list --tier restricte
! unknown tier restricte; did you mean restricted?
? 2

$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db field add orders email phone --tag pii --tag pii.email
> added field orders.email
> added field orders.phone

$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db tag add orders.email gdpr.special
> added tag gdpr.special to orders.email

$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db tag add orders sovereignty=EU
> added tag sovereignty=EU to orders

$ sovmap --catalog a.db tag rm orders.phone pii.email
> removed tag pii.email from orders.phone

$ sovmap --catalog a.db tag add orders.nope pii
! dataset orders has no field nope
? 2

$ sovmap --catalog a.db tag add ordrs pii
! unknown dataset ordrs; did you mean orders?
? 2

$ sovmap --catalog a.db dataset edit orders --retention 30 --description "web shop orders"
> changed dataset orders

$ sovmap --catalog a.db dataset edit orders --retention soon
! not a whole number
? 2

$ sovmap --catalog a.db dataset show orders
> dataset              orders
> tier                 restricted
> subjects             EU,BR
> system               loyalty
> owner                Ana Lima
> retention            30
> public-sector        false
> source
> description          web shop orders
> purpose
> legal-basis
> fields
>   email
>     pii  typed  at 2026-11-26T00:00:00Z
>     pii.email  typed  at 2026-11-26T00:00:00Z
>     gdpr.special  typed  at 2026-11-26T00:00:00Z
>   phone
>     pii  typed  at 2026-11-26T00:00:00Z
> tags
>   sovereignty=EU  typed  at 2026-11-26T00:00:00Z
> sources
>   system  typed
>   owner  typed
>   description  typed
>   tier  typed
> copies
> flows out
> flows in

$ sovmap --catalog a.db field rm orders phone
> removed field orders.phone

$ sovmap --catalog a.db dataset show orders | sed -n '/^fields/,/^tags/p'
> fields
>   email
>     pii  typed  at 2026-11-26T00:00:00Z
>     pii.email  typed  at 2026-11-26T00:00:00Z
>     gdpr.special  typed  at 2026-11-26T00:00:00Z
> tags

$ sovmap --catalog a.db field rm orders phone
! sovmap: dataset orders has no field phone
? 2

$ sovmap --catalog a.db dataset show orders --format json
~ "fields":\[\{"name":"email","tags":\[\{"tag":"pii","source":"","entity":"","time":"2026-11-26T00:00:00Z"\}
~ "tags":\[\{"tag":"sovereignty=EU"

$ sovmap --catalog a.db dataset rm orders
! dataset orders has 1 fields, 0 copies and 0 flows; add --yes to remove them too
? 2

$ sovmap --catalog a.db dataset rm orders --yes
> removed dataset orders

$ sovmap --catalog a.db dataset rm visits
> removed dataset visits

$ sovmap --catalog a.db dataset list
> NAME  TIER  SUBJECTS  SYSTEM  OWNER  COPIES

$ sovmap --catalog a.db dataset show orders
! unknown dataset orders
? 2
