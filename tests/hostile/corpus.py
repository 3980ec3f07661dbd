#!/usr/bin/env python3
"""corpus.py - the hostile names (tests/hostile/run.sh). Each is used as a
dataset name, system, owner, description and field name, and as an Atlas
table name. Prints them NUL-separated (bash: read -d ''); --json prints the
valid UTF-8 ones as a JSON list; --bad prints only the invalid UTF-8 ones."""
import json
import sys

NAMES = [
    b'quote"double',
    b"quote'single",
    b"back\\slash\\n\\x41",
    b"<script>alert(1)</script>",
    b"<img src=x onerror=alert(1)>",
    b"\"; DROP TABLE dataset; --",
    b"'); DELETE FROM audit; --",
    b"%s%n%x%p%999999d",
    b"new\nline\r\nsplit",
    b"tab\there",
    b"ctl\x01\x02\x07\x08\x1b[31mred\x1b]0;title\x07\x7f",
    b"rtl\xe2\x80\xaeevil\xe2\x80\xac\xe2\x80\x8f",
    b"dot{label=\"x\"}->[shape=box];\\N",
    b"md|pipe|*star*_u_`code`[l](javascript:alert(1))",
    b"csv,comma,\"q\",=cmd|' /C calc'!A0",
    b"json\\u0000\"}],\"x\":{\"",
    b"amp&lt;&amp;&#x3c;]]><!--",
    b"space  and  trailing ",
    b"emoji\xf0\x9f\x94\xa5\xe4\xb8\xad\xe6\x96\x87\xcc\x81",
    b"x" * 10240,
]
BAD = [
    b"bad\xff\xfeutf8",
    b"overlong\xc0\xafslash",
    b"surrogate\xed\xa0\x80",
    b"cut\xe2\x80",
]

if __name__ == "__main__":
    out = sys.stdout.buffer
    if len(sys.argv) > 1 and sys.argv[1] == "--json":
        out.write(json.dumps([n.decode() for n in NAMES]).encode())
    elif len(sys.argv) > 1 and sys.argv[1] == "--bad":
        out.write(b"\0".join(BAD) + b"\0")
    else:
        out.write(b"\0".join(NAMES) + b"\0")
