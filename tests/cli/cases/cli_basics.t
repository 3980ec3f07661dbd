# Global options, help, version, unknown commands and options (exit 2 with a suggestion).
$ sovmap --version
> sovmap 0.1.0

$ sovmap --help
~ ^usage: sovmap \[--catalog PATH\]
~ ^  dataset +add, list, show, edit and remove datasets$
~ ^  --catalog PATH

$ sovmap help dataset
~ ^usage: sovmap dataset add NAME
~ ^  --tier TIER +classification tier$
~ ^  --subjects CC,CC

$ sovmap dataset --help
~ ^       sovmap dataset rm NAME \[--yes\]$

$ sovmap place add --help
~ ^  --key-region REGION +region holding the encryption key$

$ sovmap datset list
! sovmap: unknown command datset; did you mean dataset?
? 2

$ sovmap help datset
! unknown command datset; did you mean dataset?
? 2

$ sovmap --catalg x.db init
! sovmap: unknown option --catalg; did you mean --catalog?
? 2

$ sovmap --catalog
! option --catalog needs a value
? 2

$ sovmap dataset lst
! sovmap: unknown dataset subcommand lst; did you mean list?
! usage: sovmap dataset add NAME
? 2

$ sovmap dataset
! sovmap: dataset: missing subcommand
? 2

$ sovmap --catalog a.db dataset add orders --teir restricted
! sovmap: unknown option --teir for dataset add; did you mean --tier?
? 2

$ sovmap --catalog a.db dataset add
! sovmap: dataset add: missing the dataset
! usage: sovmap dataset add NAME [--ATTR VALUE]...
? 2

$ sovmap dataset list --catalog a.db
! --catalog is a global option: put it before the command
? 2

$ sovmap --catalog a.db dataset list --format xml
! sovmap: bad --format xml: use text, tsv, json
? 2

$ sovmap --catalog a.db log --limit many
! bad value many for --limit: not a whole number
? 2
