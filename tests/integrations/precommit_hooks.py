#!/usr/bin/python3
"""precommit_hooks.py HOOKS.yaml HOOK_ID FILE... - run one hook of a
.pre-commit-hooks.yaml as pre-commit does, in the current directory (the
repository's top): the staged FILEs that match its `files` regex (Python
re.search) and not its `exclude`, passed after `entry` and `args` unless
`pass_filenames: false`; the hook is skipped when no file matches (unless
`always_run`).  Only `language: system` hooks (run as they are).  Prints
"skipped" or runs the hook and exits with its status."""
import re
import shlex
import subprocess
import sys

import yaml


def main():
    hooks_path, hook_id, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(hooks_path, encoding="utf-8") as f:
        hooks = {h["id"]: h for h in yaml.safe_load(f)}
    h = hooks[hook_id]
    if h.get("language") != "system":
        print("precommit_hooks.py: only language: system hooks", file=sys.stderr)
        return 2
    inc = re.compile(h.get("files", ""))
    exc = re.compile(h["exclude"]) if h.get("exclude") else None
    chosen = [f for f in files if inc.search(f) and not (exc and exc.search(f))]
    if not chosen and not h.get("always_run", False):
        print("skipped")
        return 0
    cmd = shlex.split(h["entry"]) + list(h.get("args", []))
    if h.get("pass_filenames", True):
        cmd += chosen
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
