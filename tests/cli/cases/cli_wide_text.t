# tables pad by display width: CJK and emoji take two columns, escapes their
# printed length, so the next column starts at the same place on every row
$ sovmap init >/dev/null
$ sovmap dataset add 订单数据 --tier restricted --system 物流 >/dev/null
$ sovmap dataset add orders --tier public --system shop >/dev/null
$ sovmap dataset add 'e😀x' --tier confidential --system shop >/dev/null
$ sqlite3 "$XDG_DATA_HOME/sovmap/catalog.db" "INSERT INTO dataset(name, tier, system) VALUES ('del' || char(127) || 'x', 'public', 'shop')"
$ LC_ALL=C.UTF-8 sovmap dataset list
> NAME      TIER          SUBJECTS  SYSTEM  OWNER  COPIES
> 订单数据  restricted              物流           0
> orders    public                  shop           0
> e😀x      confidential            shop           0
> del\x7fx  public                  shop           0
# the same columns whatever the locale says
$ LC_ALL=C sovmap dataset list | sed -n 2p
> 订单数据  restricted              物流           0
