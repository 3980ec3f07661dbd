# sovmap check: exit 0 clean, 1 at or above --fail-on, 2 usage or input error
$ sovmap init
$ SOVMAP_TODAY=2026-11-26 sovmap check
> no findings in 0 datasets
$ sovmap dataset add logs
$ sovmap place logs aws:us-east-1
# CLS001 (no tier) is a warning: below the default threshold
$ SOVMAP_TODAY=2026-11-26 sovmap check
~ ^0 errors, 1 warning in 1 dataset$
~ ^  CLS001  
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on warning
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on info
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on error
? 0
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never
? 0
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ SOVMAP_TODAY=2026-11-26 sovmap check
? 1
~ ^[1-9][0-9]* errors?, 1 warning in 2 datasets$
~ ^placement orders@aws:us-east-1$
~ ^  RES001  
~ ^          fix: 
$ SOVMAP_TODAY=2026-11-26 sovmap check --fail-on never
? 0
# usage and input errors
$ sovmap check --fail-on fatal
? 2
! bad --fail-on fatal: use error, warning, info or never
$ sovmap check --format xml
? 2
! bad --format xml: use text, json, sarif or junit
# an argument is a model file to check instead of the catalog
$ sovmap check stray
? 2
! sovmap: stray: cannot read: No such file or directory
$ sovmap check stray other
? 2
! check takes one model file at most, not other
$ sovmap check --colour always
? 2
! unknown option --colour
$ sovmap check --rules no-such-pack
? 2
$ sovmap --catalog missing.db check
? 2
! no such catalog
$ sovmap check --help
~ ^usage: sovmap check 
~ exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error
