#!/usr/bin/env python3
"""rss.py OUT CMD...: run CMD, write its peak RSS in KB (getrusage of the
child) to OUT, exit with its status (128+N when killed by signal N)."""
import resource
import subprocess
import sys

rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc if rc >= 0 else 128 - rc)
