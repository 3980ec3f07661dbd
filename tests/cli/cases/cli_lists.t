# every KIND list: text, tsv and json (empty and not), filters, and the
# errors of its arguments; pins the output byte for byte
$ export USER=root; sovmap init >/dev/null

# empty lists: JSON [] and a header line
$ sovmap dataset list --format json
> []

$ sovmap place list --format json
> []

$ sovmap flow list --format json
> []

$ sovmap waive list --format json
> []

$ sovmap scenario list --format json
> []

$ sovmap region list --user --format json
> []

$ sovmap place list
> DATASET  REGION  ROLE  COUNTRY  ENCRYPTED  KEY-REGION  MECHANISM

$ sovmap flow list --format tsv
> NAME	FROM	TO	KIND	MECHANISM	ENCRYPTED	TRANSFORMS

$ sovmap -q dataset add orders --tier restricted --subjects EU,BR --system shop && sovmap -q dataset add bi --tier confidential && sovmap -q region add acme:fra --country DE --kind on-prem --city Frankfurt

$ sovmap -q place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1 && sovmap -q place bi aws:eu-central-1 && sovmap -q place orders acme:fra --role replica --mechanism scc --mechanism-ref "SCC 2021" && sovmap -q flow add orders bi --kind etl --transforms "mask email" && sovmap -q flow add bi aws:us-east-1 --name out

$ SOVMAP_TODAY=2026-11-26 sovmap -q waive RES001 orders@acme:fra --owner ana --reason "until the move" --expires 2026-12-31 && sovmap -q scenario new s1 --description "what if"

# every list in text, tsv and json
$ sovmap dataset list
> NAME    TIER          SUBJECTS  SYSTEM  OWNER  COPIES
> orders  restricted    EU,BR     shop           2
> bi      confidential                           1

$ sovmap dataset list --format tsv
> NAME	TIER	SUBJECTS	SYSTEM	OWNER	COPIES
> orders	restricted	EU,BR	shop		2
> bi	confidential				1

$ sovmap dataset list --format json
> [
>   {"name":"orders","tier":"restricted","subjects":"EU,BR","system":"shop","owner":"","retention":null,"public-sector":false,"source":"","description":"","purpose":"","legal-basis":"","copies":2},
>   {"name":"bi","tier":"confidential","subjects":"","system":"","owner":"","retention":null,"public-sector":false,"source":"","description":"","purpose":"","legal-basis":"","copies":1}
> ]

$ sovmap tier list
> NAME          RANK  PERSONAL  SCOPE     BACKUP-SCOPE  KEY-SCOPE  ENCRYPTED  DATASETS
> restricted    3     yes       bloc      bloc          bloc       yes        1
> confidential  2     yes       adequate  adequate      adequate   yes        1
> public        1     no        global    global        global     no         0

$ sovmap tier list --format tsv
> NAME	RANK	PERSONAL	SCOPE	BACKUP-SCOPE	KEY-SCOPE	ENCRYPTED	DATASETS
> restricted	3	yes	bloc	bloc	bloc	yes	1
> confidential	2	yes	adequate	adequate	adequate	yes	1
> public	1	no	global	global	global	no	0

$ sovmap tier list --format json
> [
>   {"name":"restricted","rank":3,"personal":true,"scope":"bloc","backup-scope":"bloc","approved":"","encryption-at-rest":true,"key-scope":"bloc","transit-encryption":true,"sovereign":false,"retention-min":null,"retention-max":3650,"description":"personal data of identified people; stays in the subjects' free-flow area","datasets":1},
>   {"name":"confidential","rank":2,"personal":true,"scope":"adequate","backup-scope":"adequate","approved":"","encryption-at-rest":true,"key-scope":"adequate","transit-encryption":true,"sovereign":false,"retention-min":null,"retention-max":null,"description":"personal or business data that may go to adequate countries or under a valid mechanism","datasets":1},
>   {"name":"public","rank":1,"personal":false,"scope":"global","backup-scope":"global","approved":"","encryption-at-rest":false,"key-scope":"global","transit-encryption":false,"sovereign":false,"retention-min":null,"retention-max":null,"description":"no personal data; may live anywhere","datasets":0}
> ]

$ sovmap region list --user
> ID        KIND     COUNTRY  CITY       OPERATOR  SOURCE
> acme:fra  on-prem  DE       Frankfurt  DE        catalog

$ sovmap region list --user --format tsv
> ID	KIND	COUNTRY	CITY	OPERATOR	SOURCE
> acme:fra	on-prem	DE	Frankfurt	DE	catalog

$ sovmap region list --user --format json
> [
>   {"id":"acme:fra","name":"","kind":"on-prem","country":"DE","city":"Frankfurt","operator":"DE","members":"","provider":"acme","builtin":false}
> ]

$ sovmap place list
> DATASET  REGION            ROLE     COUNTRY  ENCRYPTED  KEY-REGION     MECHANISM
> orders   aws:eu-west-1     primary  IE       yes        aws:eu-west-1
> bi       aws:eu-central-1  primary  DE       no
> orders   acme:fra          replica  DE       no                        scc SCC 2021

$ sovmap place list --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> orders	aws:eu-west-1	primary	IE	yes	aws:eu-west-1	
> bi	aws:eu-central-1	primary	DE	no		
> orders	acme:fra	replica	DE	no		scc SCC 2021

$ sovmap place list --format json
> [
>   {"selector":"orders@aws:eu-west-1","dataset":"orders","region":"aws:eu-west-1","role":"primary","encrypted":true,"key-region":"aws:eu-west-1","mechanism":"","mechanism-ref":""},
>   {"selector":"bi@aws:eu-central-1","dataset":"bi","region":"aws:eu-central-1","role":"primary","encrypted":false,"key-region":"","mechanism":"","mechanism-ref":""},
>   {"selector":"orders@acme:fra","dataset":"orders","region":"acme:fra","role":"replica","encrypted":false,"key-region":"","mechanism":"scc","mechanism-ref":"SCC 2021"}
> ]

$ sovmap place list --role replica --format json
> [
>   {"selector":"orders@acme:fra","dataset":"orders","region":"acme:fra","role":"replica","encrypted":false,"key-region":"","mechanism":"scc","mechanism-ref":"SCC 2021"}
> ]

$ sovmap flow list
> NAME                                       FROM                  TO                   KIND    MECHANISM  ENCRYPTED  TRANSFORMS
> orders@aws:eu-west-1->bi@aws:eu-central-1  orders@aws:eu-west-1  bi@aws:eu-central-1  etl                no         mask email
> out                                        bi@aws:eu-central-1   aws:us-east-1        export             no

$ sovmap flow list --format tsv
> NAME	FROM	TO	KIND	MECHANISM	ENCRYPTED	TRANSFORMS
> orders@aws:eu-west-1->bi@aws:eu-central-1	orders@aws:eu-west-1	bi@aws:eu-central-1	etl		no	mask email
> out	bi@aws:eu-central-1	aws:us-east-1	export		no	

$ sovmap flow list --format json
> [
>   {"name":"orders@aws:eu-west-1->bi@aws:eu-central-1","from":"orders@aws:eu-west-1","to":"bi@aws:eu-central-1","to-region":"","kind":"etl","fields":"","transforms":"mask email","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false},
>   {"name":"out","from":"bi@aws:eu-central-1","to":"","to-region":"aws:us-east-1","kind":"export","fields":"","transforms":"","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false}
> ]

$ SOVMAP_TODAY=2027-01-10 sovmap waive list
> WAIVER                  OWNER  EXPIRES     STATUS   REASON
> RES001:orders@acme:fra  ana    2026-12-31  expired  until the move

$ SOVMAP_TODAY=2027-01-10 sovmap waive list --format tsv
> WAIVER	OWNER	EXPIRES	STATUS	REASON
> RES001:orders@acme:fra	ana	2026-12-31	expired	until the move

$ SOVMAP_TODAY=2026-11-26 sovmap waive list --format json
> [
>   {"key":"RES001:orders@acme:fra","rule":"RES001","object":"orders@acme:fra","owner":"ana","reason":"until the move","expires":"2026-12-31","expired":false}
> ]

$ SOVMAP_TODAY=2026-11-26 sovmap waive list --expired --format json
> []

$ sovmap scenario list
> NAME  BASE  OPS  DESCRIPTION
> s1    -     0    what if

$ sovmap scenario list --format tsv
> NAME	BASE	OPS	DESCRIPTION
> s1	-	0	what if

$ sovmap scenario list --format json
> [
>   {"name": "s1", "base": "", "description": "what if", "made_on_change": 10, "stale": false, "ops": []}
> ]

# filters, removed objects
$ sovmap region list --provider gcp --country ie --format json
> [
>   {"id":"gcp:eu","name":"EU (multi-region)","kind":"multi-region","country":"","city":"","operator":"US","members":"AT,BE,BG,CY,CZ,DE,DK,EE,ES,FI,FR,GR,HR,HU,IE,IT,LT,LU,LV,MT,NL,PL,PT,RO,SE,SI,SK","provider":"gcp","builtin":true}
> ]

$ sovmap flow list --dataset bi --format json
> [
>   {"name":"orders@aws:eu-west-1->bi@aws:eu-central-1","from":"orders@aws:eu-west-1","to":"bi@aws:eu-central-1","to-region":"","kind":"etl","fields":"","transforms":"mask email","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false},
>   {"name":"out","from":"bi@aws:eu-central-1","to":"","to-region":"aws:us-east-1","kind":"export","fields":"","transforms":"","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false}
> ]

$ sovmap -q tier rm public && sovmap -q flow rm out

$ sovmap tier list --format json
> [
>   {"name":"restricted","rank":3,"personal":true,"scope":"bloc","backup-scope":"bloc","approved":"","encryption-at-rest":true,"key-scope":"bloc","transit-encryption":true,"sovereign":false,"retention-min":null,"retention-max":3650,"description":"personal data of identified people; stays in the subjects' free-flow area","datasets":1},
>   {"name":"confidential","rank":2,"personal":true,"scope":"adequate","backup-scope":"adequate","approved":"","encryption-at-rest":true,"key-scope":"adequate","transit-encryption":true,"sovereign":false,"retention-min":null,"retention-max":null,"description":"personal or business data that may go to adequate countries or under a valid mechanism","datasets":1}
> ]

$ sovmap flow list --format tsv
> NAME	FROM	TO	KIND	MECHANISM	ENCRYPTED	TRANSFORMS
> orders@aws:eu-west-1->bi@aws:eu-central-1	orders@aws:eu-west-1	bi@aws:eu-central-1	etl		no	mask email

# show in json: the members of each object
$ SOVMAP_TODAY=2026-11-26 sovmap -q field add orders email --tag pii && SOVMAP_TODAY=2026-11-26 sovmap -q tag add orders sovereignty=EU

$ sovmap dataset show orders --format json
> {"name":"orders","tier":"restricted","subjects":"EU,BR","system":"shop","owner":"","retention":null,"public-sector":false,"source":"","description":"","purpose":"","legal-basis":"",
>  "fields":[{"name":"email","tags":[{"tag":"pii","source":"","entity":"","time":"2026-11-26T00:00:00Z"}]}],
>  "tags":[{"tag":"sovereignty=EU","source":"","entity":"","time":"2026-11-26T00:00:00Z"}],
>  "sources":{"system":{"source":"","entity":"","time":""},"tier":{"source":"","entity":"","time":""}},
>  "placements":[{"selector":"orders@aws:eu-west-1","region":"aws:eu-west-1","role":"primary","encrypted":true,"key-region":"aws:eu-west-1","mechanism":"","mechanism-ref":""},{"selector":"orders@acme:fra","region":"acme:fra","role":"replica","encrypted":false,"key-region":"","mechanism":"scc","mechanism-ref":"SCC 2021"}],
>  "flows_out":[{"name":"orders@aws:eu-west-1->bi@aws:eu-central-1","from":"orders@aws:eu-west-1","to":"bi@aws:eu-central-1","to-region":"","kind":"etl","fields":"","transforms":"mask email","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false}],
>  "flows_in":[]}

$ sovmap dataset show bi --format json
> {"name":"bi","tier":"confidential","subjects":"","system":"","owner":"","retention":null,"public-sector":false,"source":"","description":"","purpose":"","legal-basis":"",
>  "fields":[],
>  "tags":[],
>  "sources":{"tier":{"source":"","entity":"","time":""}},
>  "placements":[{"selector":"bi@aws:eu-central-1","region":"aws:eu-central-1","role":"primary","encrypted":false,"key-region":"","mechanism":"","mechanism-ref":""}],
>  "flows_out":[],
>  "flows_in":[{"name":"orders@aws:eu-west-1->bi@aws:eu-central-1","from":"orders@aws:eu-west-1","to":"bi@aws:eu-central-1","to-region":"","kind":"etl","fields":"","transforms":"mask email","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false}]}

$ sovmap place show orders@acme:fra --format json
> {"selector":"orders@acme:fra","region":"acme:fra","role":"replica","encrypted":false,"key-region":"","mechanism":"scc","mechanism-ref":"SCC 2021"}

$ sovmap tier show restricted --format json
> {"name":"restricted","rank":3,"personal":true,"scope":"bloc","backup-scope":"bloc","approved":"","encryption-at-rest":true,"key-scope":"bloc","transit-encryption":true,"sovereign":false,"retention-min":null,"retention-max":3650,"description":"personal data of identified people; stays in the subjects' free-flow area"}

$ sovmap scenario show s1
> name                 s1
> base                 -
> description          what if
> made on              catalog change 10; the catalog is at 14: stale, review before applying
> ops:
>   (none yet: sovmap scenario add NAME OP ARGS...)

# filters that name nothing, bad values
$ sovmap dataset list --tier nosuch
>
! sovmap: unknown tier nosuch
? 2

$ sovmap place list --role boss
>
! sovmap: bad --role boss: use primary, replica, backup, dr, cache, archive or edge
? 2

$ sovmap place list --dataset nosuch
>
! sovmap: unknown dataset nosuch
? 2

$ sovmap place list --region nosuch:x
>
! sovmap: unknown region nosuch:x
? 2

$ sovmap flow list --dataset nosuch
>
! sovmap: unknown dataset nosuch
? 2

$ sovmap region list --country X
>
! sovmap: bad --country X: use a two-letter code such as DE
? 2

# arguments, too many words, bad --format
$ sovmap dataset list extra
>
! sovmap: dataset list: unexpected argument extra
! usage: sovmap dataset list [--tier TIER] [--system SYSTEM] [--format text|tsv|json]
? 2

$ sovmap tier list extra
>
! sovmap: tier list: unexpected argument extra
! usage: sovmap tier list [--format text|tsv|json]
? 2

$ sovmap region list extra
>
! sovmap: region list: unexpected argument extra
! usage: sovmap region list [--provider P] [--country CC] [--user] [--format text|tsv|json]
? 2

$ sovmap place list extra
>
! sovmap: place list: unexpected argument extra
! usage: sovmap place list [--dataset D] [--region R] [--role ROLE] [--format text|tsv|json]
? 2

$ sovmap flow list extra
>
! sovmap: flow list: unexpected argument extra
! usage: sovmap flow list [--dataset D] [--format text|tsv|json]
? 2

$ sovmap waive list extra
>
! sovmap: waive list: unexpected argument extra
! usage: sovmap waive list [--expired] [--format text|tsv|json]
? 2

$ sovmap dataset list --format json --format json --format json --format json
>
! sovmap: dataset list: too many arguments
! usage: sovmap dataset list [--tier TIER] [--system SYSTEM] [--format text|tsv|json]
? 2

$ sovmap tier list --format json --format json --format json --format json
>
! sovmap: tier list: too many arguments
! usage: sovmap tier list [--format text|tsv|json]
? 2

$ sovmap region list --user --user --user --user --user --user --user --user --user --user --user --user
>
! sovmap: region list: too many arguments
! usage: sovmap region list [--provider P] [--country CC] [--user] [--format text|tsv|json]
? 2

$ sovmap place list --format json --format json --format json --format json --format json --format json
>
! sovmap: place list: too many arguments
! usage: sovmap place list [--dataset D] [--region R] [--role ROLE] [--format text|tsv|json]
? 2

$ sovmap flow list --format json --format json --format json --format json
>
! sovmap: flow list: too many arguments
! usage: sovmap flow list [--dataset D] [--format text|tsv|json]
? 2

$ sovmap waive list --format json --format json --format json --format json
>
! sovmap: waive list: too many arguments
! usage: sovmap waive list [--expired] [--format text|tsv|json]
? 2

$ sovmap dataset list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap tier list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap region list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap place list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap flow list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap waive list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap scenario list --format xml
>
! sovmap: bad --format xml: use text, tsv, json
? 2

# scenario list --check: errors before -> after, stale scenarios
$ sovmap -q scenario add s1 move orders aws:eu-west-1 aws:eu-central-1 && sovmap -q scenario new s2 --base s1 && sovmap -q scenario add s2 move orders acme:fra aws:eu-west-2 && sovmap -q place rm orders@acme:fra

$ SOVMAP_TODAY=2026-11-26 sovmap scenario list --check
> NAME  BASE  OPS  ERRORS  DESCRIPTION
> s1    -     1    3 -> 3  what if
> s2    s1    1    stale

$ SOVMAP_TODAY=2026-11-26 sovmap scenario list --check --format tsv
> NAME	BASE	OPS	ERRORS	DESCRIPTION
> s1	-	1	3 -> 3	what if
> s2	s1	1	stale	

$ SOVMAP_TODAY=2026-11-26 sovmap scenario list --check --format json
> [
>   {"name": "s1", "base": "", "description": "what if", "made_on_change": 14, "stale": true, "errors": {"before": 3, "after": 3}, "ops": ["move orders aws:eu-west-1 aws:eu-central-1"]},
>   {"name": "s2", "base": "s1", "description": "", "made_on_change": 14, "stale": true, "errors": null, "ops": ["move orders acme:fra aws:eu-west-2"]}
> ]
