#!/usr/bin/env python3
"""Replaces README.md's key tables with the keymap's own, as printed by the
failing `readme_lists_the_keymap` test (`cargo test --lib readme_lists_the_keymap`)."""
import re, subprocess, sys
err = subprocess.run(["cargo", "test", "--lib", "readme_lists_the_keymap"],
                     capture_output=True, text=True)
text = err.stdout + err.stderr
m = re.search(r"keymap::markdown\(\):\n(.*?)\n\n(?:stack backtrace|note:)", text, re.S)
if not m:
    sys.exit("README already matches the keymap (or the test output changed)")
tables = m.group(1).strip("\n")
readme = open("README.md").read()
start = readme.index("**Clients (home)**")
end = readme.index("\n\n", readme.index("**Everywhere**") + len("**Everywhere**\n\n| Keys | Does |"))
open("README.md", "w").write(readme[:start] + tables + readme[end:])
print("README.md key tables updated")
