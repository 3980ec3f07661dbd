# The audit log, and catalogs that cannot be used: missing, corrupt, newer,
# locked. Each gets one line and exit 2, never a crash.
$ export USER=root; sovmap --catalog a.db init >/dev/null && sovmap --catalog a.db -q dataset add orders --tier restricted && USER=ana sovmap --catalog a.db -q dataset edit orders --owner ana && sovmap --catalog a.db -q field add orders email --tag pii.email

$ sovmap --catalog a.db log | cut -c 30-
> root      field add orders email
> ana       dataset set orders owner=ana
> root      dataset add orders tier=restricted
> root      init

$ sovmap --catalog a.db log --limit 1 --format json | python3 -c 'import json,sys; e=json.load(sys.stdin); print(len(e), e[0]["op"], e[0]["object"], "fields=email[pii.email]" in e[0]["after"])'
> 1 field add orders email orders True

$ sovmap --catalog a.db log --limit 2 --verbose | grep -c after:
> 2

$ sovmap --catalog a.db log --limit -1
! bad --limit -1
? 2

$ sovmap --catalog nope.db dataset list
! sovmap: nope.db: no such catalog; create it with sovmap --catalog nope.db init
? 2

$ test ! -e nope.db && echo not created
> not created

$ echo "this is not a database" > junk.db && sovmap --catalog junk.db dataset list
! sovmap: junk.db is not a sovmap catalog
? 2

$ cp a.db new.db && sqlite3 new.db "PRAGMA user_version=99" && sovmap --catalog new.db dataset list
! sovmap: new.db was written by a newer sovmap (schema 99
? 2

$ sqlite3 a.db "BEGIN EXCLUSIVE; DELETE FROM meta WHERE 0;" ".shell sovmap --catalog a.db dataset add x" "ROLLBACK;"
! sovmap: a.db is locked by another sovmap; try again

$ sovmap a.db dataset list --format tsv | cut -f1
> NAME
> orders

$ sovmap --catalog a.db other.db dataset list
! sovmap: two catalogs given: a.db and other.db
? 2

$ sovmap --catalog a.db dataset list > /dev/full
! sovmap: cannot write the output
? 2
