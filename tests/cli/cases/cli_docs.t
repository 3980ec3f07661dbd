# The man page documents every registered command, and the README keeps the two
# set-up commands.
$ for c in $(sovmap --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do grep -q "^\.SS $c\$" "$SOVMAP_DATA/../doc/sovmap.1" || echo "doc/sovmap.1 lacks $c"; done; echo done
> done

$ sovmap --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' | wc -l | awk '$1 >= 10 { print "enough commands" }'
> enough commands

$ grep -c -E '^    make (run|check) ' "$SOVMAP_DATA/../README.md"
> 2

$ man -l "$SOVMAP_DATA/../doc/sovmap.1" 2>&1 >/dev/null | grep -v '^$' | head -3; echo checked
> checked
