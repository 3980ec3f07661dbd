# scenario subcommands: argument counts, unknown names, --quiet, and the
# audit entry (op, before and after) each change writes
$ export USER=root; sovmap init >/dev/null && sovmap -q dataset add orders --tier restricted --subjects EU && sovmap -q place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1

$ sovmap scenario new
! sovmap: scenario new needs one NAME
! usage: sovmap scenario new NAME [--base OTHER] [--description TEXT]
? 2

$ sovmap scenario new a b
! sovmap: scenario new needs one NAME
? 2

$ sovmap scenario list x
! sovmap: scenario list takes no arguments
! usage: sovmap scenario list [--format text|tsv|json] [--check]
? 2

$ sovmap scenario show
! sovmap: scenario show needs one NAME
! usage: sovmap scenario show NAME
? 2

$ sovmap scenario show a b c d e f g h i j k l
! sovmap: scenario show needs one NAME
? 2

$ sovmap scenario diff a b c d e f g h i j k l --format json
! sovmap: scenario diff needs NAME [OTHER]
? 2

$ sovmap scenario show nosuch
! sovmap: unknown scenario nosuch
? 2

$ sovmap scenario add s1
! sovmap: scenario add needs NAME OP ARGS...
! usage: sovmap scenario add NAME OP ARGS...
? 2

$ sovmap scenario rm s1
! sovmap: scenario rm needs NAME INDEX
! usage: sovmap scenario rm NAME INDEX
? 2

$ sovmap scenario rm nosuch 1
! sovmap: unknown scenario nosuch
? 2

$ sovmap scenario drop
! sovmap: scenario drop needs one NAME
! usage: sovmap scenario drop NAME
? 2

$ sovmap scenario drop nosuch
! sovmap: unknown scenario nosuch
? 2

$ sovmap scenario apply
! sovmap: scenario apply needs one NAME
! usage: sovmap scenario apply NAME
? 2

$ sovmap scenario apply nosuch
! sovmap: unknown scenario nosuch
? 2

$ sovmap scenario diff
! sovmap: scenario diff needs NAME [OTHER]
! usage: sovmap scenario diff NAME [OTHER] [--format text|json]
? 2

$ sovmap scenario diff a b c
! sovmap: scenario diff needs NAME [OTHER]
? 2

$ sovmap scenario diff nosuch --format xml
! sovmap: bad --format xml: use text, json
? 2

$ sovmap scenario show s1 --help
> usage: sovmap scenario show NAME [--format text|json]
> Show a scenario's ops, its bases' ops first, and the catalog change it was
> made on (stale when the catalog changed since).
>   --format F   text (default) or json

$ sovmap -q scenario new s1 --description 'move it'
>

$ sovmap -q scenario add s1 move orders aws:eu-west-1 aws:eu-central-1
>

$ sovmap scenario new s2 --base s1
> created scenario s2 on s1

$ sovmap scenario diff s1 nosuch
! sovmap: unknown scenario nosuch
? 2

$ sovmap scenario add s2 set dataset orders tier public
> 1. set dataset orders tier public

$ sovmap -q scenario add s2 set dataset orders owner ana
>

$ sovmap scenario add nosuch set dataset orders owner ana
! sovmap: unknown scenario nosuch
? 2

$ sovmap -q scenario rm s2 1
>

$ sovmap scenario rm s2 0
! sovmap: scenario s2 has 1 op: no op 0
? 2

$ sovmap -q scenario drop s2
>

$ sovmap -q scenario apply s1
>

$ sovmap log --limit 7 | cut -c 30-
> root      scenario apply s1
> root      scenario drop s2
> root      scenario rm s2 1
> root      scenario add s2 set dataset orders owner ana
> root      scenario add s2 set dataset orders tier public
> root      scenario new s2
> root      scenario add s1 move orders aws:eu-west-1 aws:eu-central-1

$ sovmap log --verbose --limit 6 | grep -v '^[0-9]'
>     before:
>       op1=move orders aws:eu-west-1 aws:eu-central-1
>     after:
>       applied to the base
>     before:
>       op1=set dataset orders owner ana
>     before:
>       op1=set dataset orders tier public
>       op2=set dataset orders owner ana
>     after:
>       op1=set dataset orders owner ana
>     before:
>       op1=set dataset orders tier public
>     after:
>       op1=set dataset orders tier public
>       op2=set dataset orders owner ana
>     after:
>       op1=set dataset orders tier public
>     after:
>       base=s1
>       description=
