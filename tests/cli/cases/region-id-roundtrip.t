# one rule for region ids everywhere: what `region add` accepts, model-json
# writes and `import model` reads back byte for byte; what it refuses
# (blanks, control characters, DEL, commas, @, /) no path accepts
$ sovmap init >/dev/null
$ sovmap region add 'onprem:fra-dc2' --country DE --kind on-prem
> added region onprem:fra-dc2
$ sovmap region add 'sov:münchen_1.a+b#c"d'"'"'e(f)[g]{h}~i!j$k%l^m&n*o=p?q;r<s>t|u' --country DE
> added region sov:münchen_1.a+b#c"d'e(f)[g]{h}~i!j$k%l^m&n*o=p?q;r<s>t|u
$ sovmap region add '区域:上海-1' --country CN
> added region 区域:上海-1
$ sovmap export model-json -o a.json && sovmap --catalog b.db import model a.json >/dev/null && sovmap --catalog b.db export model-json -o b.json && cmp a.json b.json && echo same
> same
$ sovmap region add "$(printf 'onprem:a\177b')" --country DE
? 2
! bad region id
$ sovmap region add 'onprem:a b' --country DE
? 2
! bad region id
$ sovmap region add 'onprem:a,b' --country DE
? 2
! bad region id
$ sovmap region add 'onprem:a@b' --country DE
? 2
! bad region id
$ sovmap scenario new s >/dev/null && sovmap scenario add s add-region 'x:a,b' DE
? 2
! region id x:a,b
