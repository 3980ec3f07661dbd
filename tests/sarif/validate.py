#!/usr/bin/env python3
"""Validate a SARIF log against the OASIS SARIF 2.1.0 JSON schema.

usage: validate.py SCHEMA [FILE]     (FILE defaults to standard input)

The schema is draft-04; Debian's python3-jsonschema (tools/install-deps.sh)
speaks it. The "uri" and "uri-reference" formats are checked here too (the
library skips them without optional packages): a uri needs a scheme, and
neither may hold blanks or control characters. Prints "ok: N results" and
exits 0 when valid; prints every error with its JSON path and exits 1
otherwise; exits 2 when the files cannot be read.
"""
import json
import re
import sys
from urllib.parse import urlsplit

try:
    import jsonschema
except ImportError:
    sys.stderr.write("validate.py: python3-jsonschema is not installed "
                     "(sh tools/install-deps.sh)\n")
    sys.exit(2)

BAD_URI_CHARS = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")

checker = jsonschema.FormatChecker()


@checker.checks("uri")
def is_uri(value):
    if not isinstance(value, str):
        return True
    return bool(urlsplit(value).scheme) and not BAD_URI_CHARS.search(value)


@checker.checks("uri-reference")
def is_uri_reference(value):
    if not isinstance(value, str):
        return True
    return not BAD_URI_CHARS.search(value)


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        if len(argv) == 3 and argv[2] != "-":
            with open(argv[2], encoding="utf-8") as f:
                log = json.load(f)
        else:
            log = json.load(sys.stdin)
    except (OSError, ValueError) as e:
        sys.stderr.write("validate.py: %s\n" % e)
        return 2
    validator = jsonschema.Draft4Validator(schema, format_checker=checker)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors:
        path = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print("invalid: %s: %s" % (path, e.message))
    if errors:
        return 1
    results = sum(len(run.get("results", [])) for run in log.get("runs", []))
    print("ok: %d results" % results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
