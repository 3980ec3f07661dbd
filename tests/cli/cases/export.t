# sovmap export: every format from one small catalog with a known violation
# (an undeclared US replica of EU restricted data) and a hostile name
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU --retention 365 --system shop
$ sovmap place orders aws:eu-west-1 --encrypted --key-region aws:eu-west-1
$ sovmap place orders aws:us-east-1 --role replica --encrypted --key-region aws:eu-west-1
$ sovmap dataset add 'rep<script>"x' --tier public --system bi
$ sovmap place 'rep<script>"x' aws:us-east-1
$ sovmap flow add orders@aws:eu-west-1 'rep<script>"x@aws:us-east-1' --kind etl --transforms anonymize --transit-encrypted --name to-report
# the residency map
$ SOVMAP_TODAY=2026-11-26 sovmap export map-csv
> dataset,status,tier,effective_tier,system,subjects,EEA aws:eu-west-1,US aws:us-east-1
> orders,violation,restricted,restricted,shop,EU,P,R! RES001 XFR002
> "rep<script>""x",ok,public,public,bi,,,P
$ SOVMAP_TODAY=2026-11-26 sovmap export map-md
~ ^\| dataset \| status \| effective tier \| subjects \| EEA: aws:eu-west-1 \| US: aws:us-east-1 \|$
~ ^\| orders \| violation \| restricted \| EU \| P \| R! RES001 XFR002 \|$
~ ^\| rep&lt;script&gt;"x \| ok \| public \|  \|  \| P \|$
~ ^\| restricted \| bloc \| bloc \| aws:eu-west-1 \|$
$ SOVMAP_TODAY=2026-11-26 sovmap export map-html -o map.html && grep -c '<script' map.html
> 0
? 1
$ grep -c 'rep&lt;script&gt;&quot;x' map.html
> 1
$ grep -Ec 'src=|href="[^#]|<link' map.html
> 0
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap export map-json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([(x["name"], sorted(x["cells"])) for x in d["datasets"]])'
> [('orders', ['aws:eu-west-1', 'aws:us-east-1']), ('rep<script>"x', ['aws:us-east-1'])]
# the registers
$ SOVMAP_TODAY=2026-11-26 sovmap export transfers-csv
> dataset,copy,flow,from_country,to_country,regime,mechanism,basis,personal,status
> orders,orders@aws:us-east-1,,IE,US,GDPR,,none,yes,violation
> orders,"rep<script>""x@aws:us-east-1",to-report,IE,US,,,not personal data,no,ok
$ SOVMAP_TODAY=2026-11-26 sovmap export lineage-csv
> flow,kind,from,to,from_dataset,to_dataset,crossing_tier,personal,transforms,to_declared_tier,to_effective_tier,status,rules
> to-report,etl,orders@aws:eu-west-1,"rep<script>""x@aws:us-east-1",orders,"rep<script>""x",restricted,no,anonymize,public,public,ok,
# the diagram: dot accepts the source, the SVG has every edge (2 + 5 legend)
$ SOVMAP_TODAY=2026-11-26 sovmap export dot -o g.dot && dot -Tsvg g.dot >/dev/null && echo ok
> ok
$ grep -c 'color="#d00000"' g.dot
~ ^[1-9]
$ SOVMAP_TODAY=2026-11-26 sovmap export svg -o g.svg && grep -c '<g id="edge' g.svg
> 7
$ grep -c '<script' g.svg
> 0
? 1
$ SOVMAP_TODAY=2026-11-26 sovmap export svg --view regions | grep -c '<g id="edge'
> 5
$ SOVMAP_TODAY=2026-11-26 sovmap export dot --view focus --focus 'rep<script>"x' --hops 1 | grep -- '->' | grep -v 'legend:'
~ ^\s*"orders@aws:eu-west-1" -> "rep<script>\\"x@aws:us-east-1"
# deterministic, unless --stamp
$ SOVMAP_TODAY=2026-11-26 sovmap export svg -o a.svg && SOVMAP_TODAY=2026-11-26 sovmap export svg -o b.svg && cmp a.svg b.svg && echo same
> same
$ SOVMAP_TODAY=2026-11-26 sovmap export map-md --stamp | grep -c 'on 2026-11-26'
> 1
# pdf and png are byte-identical too (cairo's creation date is pinned)
$ sovmap export pdf -o a.pdf && sleep 1 && sovmap export pdf -o b.pdf && cmp a.pdf b.pdf && head -c 8 a.pdf && echo
> %PDF-1.5
$ sovmap export png -o a.png && sovmap export png -o b.png && cmp a.png b.png && echo same
> same
# an export is an ordinary file (not mkstemp's 0600)
$ umask 022 && sovmap export map-md -o m.md && stat -c %a m.md
> 644
# a what-if: the scenario's model is exported, the catalog is untouched
$ sovmap scenario new fix && sovmap scenario add fix move orders aws:us-east-1 aws:eu-central-1
$ SOVMAP_TODAY=2026-11-26 sovmap export map-csv --scenario fix
> dataset,status,tier,effective_tier,system,subjects,EEA aws:eu-central-1,EEA aws:eu-west-1,US aws:us-east-1
> orders,ok,restricted,restricted,shop,EU,R,P,
> "rep<script>""x",ok,public,public,bi,,,,P
$ SOVMAP_TODAY=2026-11-26 sovmap export dot | grep -o '[0-9]* drawn red; [0-9]* live findings'
> 1 drawn red; 2 live findings
# a focus view counts the findings of what it shows, not the catalog's
$ SOVMAP_TODAY=2026-11-26 sovmap export dot --view focus --focus 'rep<script>"x' --hops 0 | grep -o '[0-9]* drawn red; [0-9]* live findings'
> 0 drawn red; 0 live findings
$ SOVMAP_TODAY=2026-11-26 sovmap export dot --scenario fix | grep -o '[0-9]* drawn red; [0-9]* live findings'
> 0 drawn red; 0 live findings
$ SOVMAP_TODAY=2026-11-26 sovmap export map-csv --scenario nope
? 2
! unknown scenario nope
# --changed-only: only what the scenario changes
$ SOVMAP_TODAY=2026-11-26 sovmap export dot --scenario fix --changed-only | grep -o '[0-9]* new finding[s]* (red), [0-9]* resolved (green), [0-9]* cop[a-z]* moved'
> 0 new findings (red), 2 resolved (green), 1 copy moved
$ SOVMAP_TODAY=2026-11-26 sovmap export svg --scenario fix --changed-only | grep -c '<g id="edge'
> 4
$ sovmap export map-md --scenario fix --changed-only
? 2
! --changed-only draws a diagram
$ sovmap export svg --changed-only
? 2
! --changed-only needs --scenario NAME
