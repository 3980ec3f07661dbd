# Hostile names are stored and listed back unchanged: SQL, markup, control
# characters, 10 KB. Text output escapes control characters; JSON is exact.
$ sovmap --catalog a.db dataset add '"; DROP TABLE dataset; --' --owner "<script>alert(1)</script>"
> added dataset "; DROP TABLE dataset; --

$ sovmap --catalog a.db dataset add '<b>'
> added dataset <b>

$ sovmap --catalog a.db dataset add "$(printf 'line1\nline2\033[31m')"
> added dataset line1\nline2\x1b[31m

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
> added field <b>.tab\there

$ sovmap --catalog a.db region add 'onprem:"x"' --country DE --city "$(printf 'Fr\033ankfurt')"
> added region onprem:"x"

$ sovmap --catalog a.db region list --user
> ID          KIND     COUNTRY  CITY           OPERATOR  SOURCE
> onprem:"x"  on-prem  DE       Fr\x1bankfurt  DE        catalog

$ sovmap --catalog a.db dataset rm -- '"; DROP TABLE dataset; --'
> removed dataset "; DROP TABLE dataset; --

$ sovmap --catalog a.db dataset list --format tsv | wc -l
> 4
