# Copies and flows: place, list, show, edit, rm; flow ends by copy, dataset or region.
$ sovmap --catalog a.db init && sovmap --catalog a.db --quiet dataset add orders --tier restricted --subjects EU && sovmap --catalog a.db --quiet dataset add bi --tier confidential
> created a.db: 3 tiers, 0 datasets

$ sovmap --catalog a.db place orders aws:eu-west-1
> added placement orders@aws:eu-west-1

$ sovmap --catalog a.db place add orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
> added placement orders@aws:us-east-1

$ sovmap --catalog a.db place bi@aws:eu-central-1
> added placement bi@aws:eu-central-1

$ sovmap --catalog a.db place orders aws:eu-west-9
! sovmap: unknown region aws:eu-west-9; did you mean aws:eu-west-1?
? 2

$ sovmap --catalog a.db place ordrs aws:eu-west-1
! sovmap: unknown dataset ordrs; did you mean orders?
? 2

$ sovmap --catalog a.db place orders aws:eu-west-1 --role archiv
! bad role archiv
? 2

$ sovmap --catalog a.db place orders
! sovmap: place: missing REGION
? 2

$ sovmap --catalog a.db place list
> DATASET  REGION            ROLE     COUNTRY  ENCRYPTED  KEY-REGION     MECHANISM
> orders   aws:eu-west-1     primary  IE       no
> orders   aws:us-east-1     replica  US       yes        aws:eu-west-1
> bi       aws:eu-central-1  primary  DE       no

$ sovmap --catalog a.db place list --region aws:us-east-1 --format tsv
> DATASET	REGION	ROLE	COUNTRY	ENCRYPTED	KEY-REGION	MECHANISM
> orders	aws:us-east-1	replica	US	yes	aws:eu-west-1	

$ sovmap --catalog a.db place edit orders@aws:us-east-1 --mechanism scc --mechanism-ref TIA-9
> changed placement orders@aws:us-east-1

$ sovmap --catalog a.db place show orders@aws:us-east-1
> placement            orders@aws:us-east-1
> region               aws:us-east-1
> role                 replica
> encrypted            true
> key-region           aws:eu-west-1
> mechanism            scc
> mechanism-ref        TIA-9

$ sovmap --catalog a.db flow add orders bi --kind etl --transforms "pseudonymize email; drop ssn" --mechanism scc --ref TIA-1 --valid-to 2027-01-01 --encrypted
> added flow orders@aws:eu-west-1->bi@aws:eu-central-1

$ sovmap --catalog a.db flow add orders@aws:eu-west-1 aws:us-east-1 --name to-partner
> added flow to-partner

$ sovmap --catalog a.db flow add orders aws:us-east-9
! unknown region aws:us-east-9; did you mean aws:us-east-1?
? 2

$ sovmap --catalog a.db flow add orders bi --transforms "scramble email"
! unknown transform scramble
? 2

$ sovmap --catalog a.db flow add orders bi --valid-to 31/12/2026
! use YYYY-MM-DD
? 2

$ sovmap --catalog a.db flow list
> NAME                                       FROM                  TO                   KIND    MECHANISM  ENCRYPTED  TRANSFORMS
> orders@aws:eu-west-1->bi@aws:eu-central-1  orders@aws:eu-west-1  bi@aws:eu-central-1  etl     scc TIA-1  yes        pseudonymize email; drop ssn
> to-partner                                 orders@aws:eu-west-1  aws:us-east-1        export             no

$ sovmap --catalog a.db flow show to-partner --format json
> {"name":"to-partner","from":"orders@aws:eu-west-1","to":"","to-region":"aws:us-east-1","kind":"export","fields":"","transforms":"","mechanism":"","mechanism-ref":"","valid-from":"","valid-to":"","transit-encrypted":false,"public-recipient":false}

$ sovmap --catalog a.db flow edit to-partner --mechanism dpf --transit-encrypted
> changed flow to-partner

$ sovmap --catalog a.db flow list --dataset bi --format tsv | cut -f1,5
> NAME	MECHANISM
> orders@aws:eu-west-1->bi@aws:eu-central-1	scc TIA-1

$ sovmap --catalog a.db flow rm to-partner
> removed flow to-partner

$ sovmap --catalog a.db flow rm to-partner
! unknown flow to-partner
? 2

$ sovmap --catalog a.db place rm bi@aws:eu-central-1
> removed placement bi@aws:eu-central-1

$ sovmap --catalog a.db flow list --format json
> []

$ sovmap --catalog a.db dataset list --format tsv | cut -f1,6
> NAME	COPIES
> orders	2
> bi	0
