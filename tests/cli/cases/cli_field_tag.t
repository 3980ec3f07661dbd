# field add|rm and tag add|rm: arguments, errors, --quiet, and the audit
# entry each change writes (op, and the dataset before and after).
$ export USER=root; sovmap --catalog a.db init >/dev/null && sovmap --catalog a.db -q dataset add orders --tier restricted

$ sovmap --catalog a.db field add
! sovmap: field add: missing DATASET and FIELD
! usage: sovmap field add DATASET FIELD... [--tag TAG]...
? 2

$ sovmap --catalog a.db field add orders
! sovmap: field add: missing FIELD
? 2

$ sovmap --catalog a.db field add ordrs email
! sovmap: unknown dataset ordrs; did you mean orders?
? 2

$ SOVMAP_TODAY=2026-11-26 sovmap --catalog a.db field add orders email phone fax --tag pii
> added field orders.email
> added field orders.phone
> added field orders.fax

$ sovmap --catalog a.db -q field add orders ip
>

$ sovmap --catalog a.db field rm orders
! sovmap: field rm: give DATASET FIELD
? 2

$ sovmap --catalog a.db field rm orders a b
! sovmap: field rm: give DATASET FIELD
? 2

$ sovmap --catalog a.db field rm a b c d e f g h i
! sovmap: field rm: too many arguments
? 2

$ sovmap --catalog a.db field rm ordrs fax
! sovmap: unknown dataset ordrs; did you mean orders?
? 2

$ sovmap --catalog a.db -q field rm orders fax
>

$ sovmap --catalog a.db tag add
! sovmap: tag add: missing DATASET[.FIELD] and TAG
! usage: sovmap tag add DATASET[.FIELD] TAG...
? 2

$ sovmap --catalog a.db tag rm orders
! sovmap: tag rm: missing TAG
? 2

$ sovmap --catalog a.db tag add orders.email pii.email gdpr.special
> added tag pii.email to orders.email
> added tag gdpr.special to orders.email

$ sovmap --catalog a.db tag rm orders.email pii.phone
! sovmap: orders.email has no tag pii.phone
? 2

$ sovmap --catalog a.db tag rm orders.email pii.email gdpr.special
> removed tag pii.email from orders.email
> removed tag gdpr.special from orders.email

$ sovmap --catalog a.db -q tag add orders sovereignty=EU
>

$ sovmap --catalog a.db tag rm orders sovereignty=EU
> removed tag sovereignty=EU from orders

$ sovmap --catalog a.db log | cut -c 30-
> root      tag rm orders sovereignty=EU
> root      tag add orders sovereignty=EU
> root      tag rm orders.email pii.email ...
> root      tag add orders.email pii.email ...
> root      field rm orders fax
> root      field add orders ip
> root      field add orders email ...
> root      dataset add orders tier=restricted
> root      init

$ sovmap --catalog a.db log --verbose --limit 4 | grep -v '^[0-9]'
>     before:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     after:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     before:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     after:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     before:
>       tier=restricted
>       public-sector=false
>       fields=email[pii pii.email gdpr.special], phone[pii], ip
>     after:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     before:
>       tier=restricted
>       public-sector=false
>       fields=email[pii], phone[pii], ip
>     after:
>       tier=restricted
>       public-sector=false
>       fields=email[pii pii.email gdpr.special], phone[pii], ip

$ sovmap --catalog a.db log --verbose --limit 7 | sed -n '/field rm/,/^[0-9]/p' | grep fields=
>       fields=email[pii], phone[pii], fax[pii], ip
>       fields=email[pii], phone[pii], ip
