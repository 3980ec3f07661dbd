# dataset show and rm: one NAME, at most eight words
$ sovmap init >/dev/null && sovmap -q dataset add orders

$ sovmap dataset show
>
! sovmap: dataset show: missing NAME
! usage: sovmap dataset show NAME [--format text|json]
? 2

$ sovmap dataset show orders visits
>
! sovmap: dataset show: one dataset at a time
! usage: sovmap dataset show NAME [--format text|json]
? 2

$ sovmap dataset show a b c d e f g h
>
! sovmap: dataset show: too many arguments
! usage: sovmap dataset show NAME [--format text|json]
? 2

$ sovmap dataset show orders --format xml
>
! sovmap: bad --format xml: use text, json
? 2

$ sovmap dataset show orders --help
> usage: sovmap dataset show NAME [--format text|json]
> Every attribute, the fields with their tags and where each tag came from,
> the copies, and the flows out of and into the dataset.

$ sovmap dataset rm
>
! sovmap: dataset rm: missing NAME
! usage: sovmap dataset rm NAME [--yes]
? 2

$ sovmap dataset rm orders visits
>
! sovmap: dataset rm: one dataset at a time
! usage: sovmap dataset rm NAME [--yes]
? 2

$ sovmap dataset rm a b c d e f g h
>
! sovmap: dataset rm: too many arguments
! usage: sovmap dataset rm NAME [--yes]
? 2

$ sovmap dataset rm nosuch
>
! sovmap: unknown dataset nosuch
? 2
