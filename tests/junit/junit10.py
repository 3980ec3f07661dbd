#!/usr/bin/env python3
"""Check a JUnit XML report against the element and attribute rules of the
Jenkins xUnit plugin's strict schema, junit-10.xsd (what the plugin and many
CI importers validate with). The rules are restated here, not copied: which
elements may appear where, which attributes each may carry, which are
required, and the time format. Usage: junit10.py FILE (or - for stdin).
Prints "ok" or the problems, one per line; exit 1 on problems."""
import re
import sys
import xml.dom.minidom

TIME = re.compile(r'^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$')
# element: (allowed attributes, required attributes, allowed children)
RULES = {
    'testsuites': ({'name', 'time', 'tests', 'failures', 'errors'}, set(), {'testsuite'}),
    'testsuite': ({'name', 'tests', 'failures', 'errors', 'group', 'time', 'skipped',
                   'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'},
                  {'name', 'tests', 'failures', 'errors'},
                  {'testsuite', 'properties', 'testcase', 'system-out', 'system-err'}),
    'properties': (set(), set(), {'property'}),
    'property': ({'name', 'value'}, {'name', 'value'}, set()),
    'testcase': ({'name', 'time', 'classname', 'group'}, {'name'},
                 {'skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'flakyFailure',
                  'flakyError', 'system-out', 'system-err'}),
    'failure': ({'type', 'message'}, set(), set()),
    'error': ({'type', 'message'}, set(), set()),
    'skipped': ({'type', 'message'}, set(), set()),
    'system-out': (set(), set(), set()),
    'system-err': (set(), set(), set()),
}


def check(node, path, problems):
    rule = RULES.get(node.tagName)
    if rule is None:
        problems.append(f'{path}: element <{node.tagName}> is not allowed')
        return
    allowed, required, children = rule
    for name in node.attributes.keys():
        if name not in allowed:
            problems.append(f'{path}: attribute {name} is not allowed on <{node.tagName}>')
    for name in required - set(node.attributes.keys()):
        problems.append(f'{path}: <{node.tagName}> needs attribute {name}')
    if node.hasAttribute('time') and not TIME.match(node.getAttribute('time')):
        problems.append(f'{path}: bad time {node.getAttribute("time")!r}')
    for i, child in enumerate(c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE):
        if child.tagName not in children:
            problems.append(f'{path}: <{child.tagName}> may not be inside <{node.tagName}>')
            continue
        check(child, f'{path}/{child.tagName}[{i}]', problems)


def main():
    src = sys.stdin.buffer.read() if sys.argv[1:] in ([], ['-']) else open(sys.argv[1], 'rb').read()
    doc = xml.dom.minidom.parseString(src)
    root = doc.documentElement
    problems = []
    if root.tagName not in ('testsuites', 'testsuite'):
        problems.append(f'root element <{root.tagName}>')
    else:
        check(root, root.tagName, problems)
    print('\n'.join(problems) if problems else 'ok')
    sys.exit(1 if problems else 0)


main()
