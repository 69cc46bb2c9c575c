#!/usr/bin/env python3
"""check_messages.py SRC_DIR - every error format of the translated
modules has a French entry in src/base/messages_fr.inc.

Scans the literal format strings given to gn__fail / gn__vfail (library)
and cli_error / cli_unknown (the govnet command) in the modules whose
messages users read on the command line, and fails listing each format
without an entry, so a new message cannot ship English-only. The
server's and the RADIUS bridge's messages are answers to programs (JSON
errors, RADIUS replies) and stay English."""
import glob, os, re, sys

root = sys.argv[1]
DIRS = ['tools/govnet'] + ['src/' + d for d in (
    'auth', 'base', 'build', 'design', 'hotspot', 'io', 'lease', 'monitor',
    'otdr', 'pipeline', 'plan', 'report', 'steiner', 'store')]
LIT = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
CALLS = [re.compile(r'gn__v?fail\(\s*[^,()]+,\s*[^,()]+,\s*' + LIT, re.S),
         re.compile(r'cli_error\(\s*CLI_\w+\s*,\s*' + LIT, re.S),
         re.compile(r'cli_unknown\(\s*' + LIT, re.S)]
ENTRY = re.compile(r'^GN__MSG\("((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"\)$')

def joined(lits):
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', lits))

have = set()
for line in open(os.path.join(root, 'src/base/messages_fr.inc'), encoding='utf-8'):
    m = ENTRY.match(line.rstrip('\n'))
    if m:
        have.add(m.group(1))
missing = []
for d in DIRS:
    for f in sorted(glob.glob(os.path.join(root, d, '*.c'))):
        text = open(f, encoding='utf-8').read()
        for rx in CALLS:
            for m in rx.finditer(text):
                fmt = joined(m.group(1))
                if fmt not in have:
                    line = text.count('\n', 0, m.start()) + 1
                    missing.append(f'{os.path.relpath(f, root)}:{line}: "{fmt}"')
for x in missing:
    print('no French entry:', x)
print(f'{len(have)} entries, {len(missing)} formats without one')
sys.exit(1 if missing else 0)
