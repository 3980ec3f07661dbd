# Hostile names are stored and listed back unchanged: SQL, markup, control
# characters, 10 KB. Text output escapes control characters; JSON is exact.
$ sovmap --catalog a.db dataset add '"; DROP TABLE dataset; --' --owner "<script>alert(1)</script>"
> added dataset "; DROP TABLE dataset; --

$ sovmap --catalog a.db dataset add '<b>'
> added dataset <b>

$ sovmap --catalog a.db dataset add "$(printf 'line1\nline2\033[31m')"
? 2
! sovmap: dataset line1\nline2\x1b[31m: a name may not hold a control character (U+000A at byte 5)

# such a name in an older catalog (QA #21: put in with SQL) is listed escaped
$ sqlite3 a.db "INSERT INTO dataset(name) VALUES ('line1' || char(10) || 'line2' || char(27) || '[31m')"

$ sovmap --catalog a.db --quiet dataset add "$(head -c 10240 /dev/zero | tr '\0' x)"

$ sovmap --catalog a.db dataset list --format tsv | cut -f1 | cut -c1-30
> NAME
> "; DROP TABLE dataset; --
> <b>
> line1\nline2\x1b[31m
> xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx

$ sovmap --catalog a.db dataset list --format json | python3 -c 'import json,sys; print([d["name"] for d in json.load(sys.stdin)][:3])'
> ['"; DROP TABLE dataset; --', '<b>', 'line1\nline2\x1b[31m']

$ sovmap --catalog a.db dataset list --format json | python3 -c 'import json,sys; n=json.load(sys.stdin)[3]["name"]; print(len(n), set(n))'
> 10240 {'x'}

$ sovmap --catalog a.db dataset show '"; DROP TABLE dataset; --' --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["owner"])'
> <script>alert(1)</script>

$ sovmap --catalog a.db dataset show "$(head -c 10240 /dev/zero | tr '\0' x)" | head -1 | wc -c
> 10262

$ sqlite3 a.db "select count(*) from dataset"
> 4

$ sovmap --catalog a.db field add '<b>' "$(printf 'tab\there')" --tag 'pii.<i>'
? 2
! sovmap: field tab\there: a name may not hold a control character (U+0009 at byte 3)

$ sqlite3 a.db "INSERT INTO field(dataset, pos, name) SELECT id, 0, 'tab' || char(9) || 'here' FROM dataset WHERE name = '<b>'; INSERT INTO tag(dataset, pos, field, tag) SELECT id, 0, 'tab' || char(9) || 'here', 'pii.<i>' FROM dataset WHERE name = '<b>'"

$ sovmap --catalog a.db dataset show '<b>' | grep -F 'tab\there'
~ tab\\there

$ sovmap --catalog a.db region add 'onprem:"x"' --country DE --city "$(printf 'Fr\033ankfurt')"
> added region onprem:"x"

$ sovmap --catalog a.db region list --user
> ID          KIND     COUNTRY  CITY           OPERATOR  SOURCE
> onprem:"x"  on-prem  DE       Fr\x1bankfurt  DE        catalog

$ sovmap --catalog a.db dataset rm -- '"; DROP TABLE dataset; --'
> removed dataset "; DROP TABLE dataset; --

$ sovmap --catalog a.db dataset list --format tsv | wc -l
> 4
