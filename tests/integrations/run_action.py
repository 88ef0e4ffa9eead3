#!/usr/bin/python3
"""run_action.py - run a composite GitHub Action's steps as the runner does.

    run_action.py ACTION.yml WORKSPACE OUTDIR [--input NAME=VALUE]...
                  [--github KEY=VALUE]...

ACTION.yml is read with PyYAML; it must be `runs.using: composite`.  Inputs
are the given values, else the action's defaults, whose ${{ }} expressions
are evaluated like every other: `inputs.NAME`, `github.KEY` (from --github,
e.g. event.pull_request.base.sha=SHA; action_path and workspace are set),
string literals, ==, !=, !, &&, || and the status functions success(),
failure(), always(), cancelled().  A step without `if` runs on success().
Each `run:` is written to a file and run as `shell: bash` is
(`bash --noprofile --norc -eo pipefail FILE`) in WORKSPACE, with the step's
env, GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_ENV, GITHUB_PATH,
GITHUB_OUTPUT and GITHUB_STEP_SUMMARY (OUTDIR/summary.md); what a step
appends to GITHUB_ENV (NAME=VALUE or NAME<<DELIM) and GITHUB_PATH reaches
the later steps.  Writes OUTDIR/stepN.out and stepN.err; prints one JSON
line per step {"name", "ran", "rc"} and exits 1 when a step failed, 2 on an
expression or step it cannot run (which a real runner might read otherwise).
"""
import json
import os
import re
import subprocess
import sys

import yaml


class Unsupported(Exception):
    pass


def evaluate(expr, inputs, github, failed):
    """A ${{ }} expression of the kinds the action uses."""
    tokens = re.findall(r"\s*(\$\{\{|\}\}|'(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][A-Za-z0-9_.-]*(?:\(\))?)", expr)
    if "".join(tokens).replace(" ", "") != expr.replace(" ", ""):
        raise Unsupported("expression %r" % expr)
    out = []
    for t in tokens:
        t = t.strip()
        if t in ("${{", "}}"):
            continue
        if t.startswith("'"):
            out.append(repr(t[1:-1].replace("''", "'")))
        elif t == "==":
            out.append("==")
        elif t == "!=":
            out.append("!=")
        elif t == "&&":
            out.append(" and ")
        elif t == "||":
            out.append(" or ")
        elif t == "!":
            out.append(" not ")
        elif t in ("(", ")"):
            out.append(t)
        elif t == "success()":
            out.append(repr(not failed))
        elif t == "failure()":
            out.append(repr(failed))
        elif t == "always()":
            out.append("True")
        elif t == "cancelled()":
            out.append("False")
        elif t.startswith("inputs."):
            out.append(repr(inputs.get(t[len("inputs."):], "")))
        elif t.startswith("github."):
            out.append(repr(github.get(t[len("github."):], "")))
        else:
            raise Unsupported("%r in %r" % (t, expr))
    return eval("".join(out), {"__builtins__": {}}, {})


def interpolate(text, inputs, github, failed):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), inputs, github, failed)), str(text))


def read_env_file(path):
    env, lines = {}, open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            val = []
            while i < len(lines) and lines[i] != delim:
                val.append(lines[i])
                i += 1
            i += 1
            env[name] = "\n".join(val)
        elif "=" in line:
            name, val = line.split("=", 1)
            env[name] = val
    return env


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    action_path, workspace, outdir = (os.path.abspath(a) for a in args[:3])
    given, github = {}, {}
    rest = args[3:]
    while rest:
        a = rest.pop(0)
        k, v = rest.pop(0).split("=", 1)
        (given if a == "--input" else github)[k] = v
    with open(action_path, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        print("run_action.py: not a composite action", file=sys.stderr)
        return 2
    github.setdefault("action_path", os.path.dirname(action_path))
    github.setdefault("workspace", workspace)
    inputs = {}
    for name, spec in (action.get("inputs") or {}).items():
        inputs[name] = given.pop(name) if name in given else \
            interpolate(spec.get("default", ""), {}, github, False)
    if given:
        print("run_action.py: the action has no input " + ", ".join(given), file=sys.stderr)
        return 2
    files = {k: os.path.join(outdir, k.lower()) for k in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT")}
    files["GITHUB_STEP_SUMMARY"] = os.path.join(outdir, "summary.md")
    for p in files.values():
        open(p, "w").close()
    base_env = {k: os.environ[k] for k in ("PATH", "HOME", "LC_ALL", "TZ", "ASAN_OPTIONS", "UBSAN_OPTIONS")
                if k in os.environ}
    base_env.update(files)
    base_env.update(GITHUB_ACTIONS="true", CI="true", GITHUB_ACTION_PATH=github["action_path"],
                    GITHUB_WORKSPACE=workspace)
    failed = False
    try:
        for n, step in enumerate(action["runs"]["steps"], 1):
            cond = step.get("if", "success()")
            cond = cond if str(cond).strip().startswith("${{") else "${{ %s }}" % cond
            ran = bool(evaluate(cond, inputs, github, failed))
            rc = None
            if ran:
                if step.get("shell") != "bash" or "run" not in step:
                    raise Unsupported("step %d: only `run:` steps with `shell: bash`" % n)
                env = dict(base_env)
                env.update(read_env_file(files["GITHUB_ENV"]))
                extra = [p for p in open(files["GITHUB_PATH"], encoding="utf-8").read().split("\n") if p]
                if extra:
                    env["PATH"] = ":".join(reversed(extra)) + ":" + env["PATH"]
                for k, v in (step.get("env") or {}).items():
                    env[k] = interpolate(v, inputs, github, failed)
                script = os.path.join(outdir, "step%d.sh" % n)
                with open(script, "w", encoding="utf-8") as f:
                    f.write(interpolate(step["run"], inputs, github, failed))
                with open(os.path.join(outdir, "step%d.out" % n), "wb") as fo, \
                        open(os.path.join(outdir, "step%d.err" % n), "wb") as fe:
                    rc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                                        cwd=workspace, env=env, stdout=fo, stderr=fe,
                                        stdin=subprocess.DEVNULL).returncode
                failed = failed or rc != 0
            print(json.dumps({"step": n, "name": step.get("name", ""), "ran": ran, "rc": rc}))
    except Unsupported as e:
        print("run_action.py: cannot run: %s" % e, file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
