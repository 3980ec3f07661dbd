# Error messages that name a 10 KB object (ASCII, CJK, emoji) reach stderr
# whole and escaped: struct sm_error holds its message on the heap (it was
# cut at 256 bytes), and a control character in the name shows as \xNN.
$ printf 'a%.0s' $(seq 10240) > a.txt && printf '数%.0s' $(seq 3414) > c.txt && printf '🌍%.0s' $(seq 2560) > e.txt && wc -c < a.txt && wc -c < c.txt && wc -c < e.txt
> 10240
> 10242
> 10240
$ sovmap --catalog c.db init -q && sovmap --catalog c.db dataset add "$(cat c.txt)" -q
# a name taken
$ sovmap --catalog c.db dataset add "$(cat c.txt)" -q 2>err; echo $?; grep -cxF "sovmap: dataset $(cat c.txt) exists" err
> 2
> 1
# a bad value naming the object and the value, both 10 KB
$ sovmap --catalog c.db dataset edit "$(cat c.txt)" --tier "$(cat e.txt)" 2>err; echo $?; grep -cxF "sovmap: dataset $(cat c.txt): tier: unknown tier $(cat e.txt)" err
> 2
> 1
# an unknown name with an escape character: whole, the ESC byte escaped
$ sovmap --catalog c.db place "$(cat a.txt)$(printf '\033')[31m" aws:eu-west-1 2>err; echo $?; grep -cxF "sovmap: unknown dataset $(cat a.txt)\\x1b[31m" err; grep -c "$(printf '\033')" err || true
> 2
> 1
> 0
