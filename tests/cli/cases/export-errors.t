# sovmap export: usage errors exit 2 and write nothing
$ sovmap init
$ sovmap dataset add orders --tier restricted --subjects EU
$ sovmap place orders aws:eu-west-1
$ sovmap export
? 2
! which FORMAT?
$ sovmap export svgg
? 2
! unknown export format svgg; did you mean svg?
$ sovmap export svg --view sideways
? 2
! bad --view sideways
$ sovmap export svg --view focus
? 2
! --view focus needs --focus DATASET
$ sovmap export svg --focus orderz -o x.svg
? 2
! unknown dataset orderz; did you mean orders?
$ test -e x.svg || echo none
> none
$ sovmap export map-md --tier secret
? 2
! unknown tier secret
$ sovmap export dot --hops -1 --focus orders
? 2
! bad --hops -1
