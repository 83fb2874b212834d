#!/usr/bin/env python3
"""Replaces README.md's key tables, key action table and colour role table
with the program's own, as printed by the failing `readme_lists_the_keymap`,
`readme_lists_the_actions` and `readme_lists_the_roles` tests
(`cargo test --lib readme_lists_the`)."""
import re, subprocess, sys
err = subprocess.run(["cargo", "test", "--lib", "readme_lists_the"],
                     capture_output=True, text=True)
text = err.stdout + err.stderr
readme = open("README.md").read()
changed = False

def found(generator):
    m = re.search(generator + r":\n(.*?)\n\n(?:stack backtrace|note:)", text, re.S)
    return m and m.group(1).strip("\n")

tables = found(r"keymap::markdown\(\)")
if tables:
    start = readme.index("**Clients (home)**")
    end = readme.index("\n\n", readme.index("**Everywhere**") + len("**Everywhere**\n\n| Keys | Does |"))
    readme = readme[:start] + tables + readme[end:]
    changed = True
# Tables that start with a header row and end at a blank line.
for generator, header in [
    (r"keymap::actions_markdown\(\)", "| Action | Default keys |"),
    (r"palette::roles_markdown\(\)", "| Role | Dark | Light |"),
]:
    table = found(generator)
    if table:
        start = readme.index(header)
        end = readme.index("\n\n", start)
        readme = readme[:start] + table + readme[end:]
        changed = True
if not changed:
    sys.exit("README already matches the keymap (or the test output changed)")
open("README.md", "w").write(readme)
print("README.md key tables updated")
