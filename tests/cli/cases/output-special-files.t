# -o onto a device or a pipe writes into it and never replaces it with a
# plain file (as root, renaming over /dev/null would destroy it).
$ sovmap --catalog c.db demo --force > /dev/null
$ mkfifo pipe; (cat pipe > got.txt &); SOVMAP_TODAY=2026-11-26 sovmap --catalog c.db check --format json -o pipe; echo "exit $?"; sleep 0.2; test -p pipe && echo "still a pipe"; grep -c '"rule"' got.txt
> exit 1
> still a pipe
> 6
$ (cat pipe > map.md &); sovmap --catalog c.db export map-md -o pipe; test -p pipe && echo "still a pipe"; sleep 0.2; head -1 map.md
> still a pipe
> # Residency map
$ sovmap --catalog c.db export map-md -o plain.md && test -f plain.md && ls plain.md*
> plain.md
