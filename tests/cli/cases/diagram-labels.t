# diagram labels wrap between words (a word is cut only when it alone is
# longer than a line), and a dataset with no system is "(no system)" in the
# systems view's legend as on its nodes
$ sovmap init >/dev/null
$ sovmap dataset add a --tier restricted --subjects EU >/dev/null && sovmap place a aws:eu-west-1 >/dev/null
$ sovmap dataset add b --tier public >/dev/null && sovmap place b aws:us-east-1 >/dev/null && sovmap flow add a b --kind etl >/dev/null
$ sovmap export dot --view systems | grep -o 'label="sovmap data flows[^"]*"'
> label="sovmap data flows — systems view\n2 regions (a row per system and tier), 1 counted edges, 1\ndrawn red; 8 live findings"
$ sovmap export dot --view systems | grep -c '(no system) -> (no system)'
> 1
$ sovmap export dot --view systems | grep -c '? -> ?'
> 0
? 1
# a long name in wide characters wraps too, and the diagram is drawn
$ K=$(python3 -c 'print("界🙂é"*1500)'); sovmap dataset add "$K" --tier confidential --subjects EU >/dev/null && sovmap place "$K" aws:ap-southeast-1 >/dev/null && sovmap flow add "$K" a --kind export >/dev/null
$ sovmap export svg -o d.svg && grep -c '<text[^>]*>界🙂é' d.svg | awk '{print ($1 >= 75) ? "wrapped" : "not wrapped: " $1}'
> wrapped
