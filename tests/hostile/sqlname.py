#!/usr/bin/env python3
"""sqlname.py CATALOG NAME_FILE - put a dataset whose name, system, owner,
description and field are the name in NAME_FILE (raw bytes, valid UTF-8)
straight into the catalog with SQL, tier restricted, subjects EU, the field
tagged pii.email. How a name with a control character gets into a test
catalog now that sovmap refuses one in a new name (QA #21): as an older
sovmap, or another tool, left it. The catalog must still load it and every
output must escape it."""
import sqlite3
import sys

cat, path = sys.argv[1], sys.argv[2]
name = open(path, "rb").read().decode("utf-8")
db = sqlite3.connect(cat)
db.execute("PRAGMA foreign_keys = ON")
cur = db.execute("INSERT INTO dataset(name, system, tier, subjects, owner, description) "
                 "VALUES (?, ?, 'restricted', 'EU', ?, ?)", (name, name, name, name))
ds = cur.lastrowid
db.execute("INSERT INTO field(dataset, pos, name) VALUES (?, 0, ?)", (ds, name))
db.execute("INSERT INTO tag(dataset, pos, field, tag) VALUES (?, 0, ?, 'pii.email')", (ds, name))
db.execute("DELETE FROM meta WHERE key = 'snapshot'")
db.commit()
