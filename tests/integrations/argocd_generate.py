#!/usr/bin/python3
"""argocd_generate.py - run a ConfigManagementPlugin's generate command as
Argo CD's CMP server does.

    argocd_generate.py PLUGIN.yaml SRC OUT [--app NAME] [--param NAME=VALUE]...
                       [--env NAME=VALUE]... [--no-discover]

PLUGIN.yaml is read with PyYAML and checked for what Argo CD needs (kind
ConfigManagementPlugin, spec.generate.command).  Unless --no-discover, its
discover.fileName glob must match in SRC (else Argo CD would not pick the
plugin for the source).  The generate command runs in SRC, the
Application's source directory, with the build environment Argo CD sets
(ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_APP_REVISION,
ARGOCD_APP_SOURCE_*, KUBE_VERSION, KUBE_API_VERSIONS), each --env as
ARGOCD_ENV_NAME (Argo CD prefixes the Application's plugin env so), and the
parameters as ARGOCD_APP_PARAMETERS (JSON) and PARAM_NAME (upper case, other
characters as _).  Standard output goes to OUT, standard error to OUT.err;
the exit status is the command's (2 when the plugin itself is unusable).
"""
import glob
import json
import os
import re
import subprocess
import sys

import yaml


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    plugin_path, src, out = args[:3]
    app, params, envs, discover = "asbgen-test", [], [], True
    rest = args[3:]
    while rest:
        a = rest.pop(0)
        if a == "--app":
            app = rest.pop(0)
        elif a == "--param":
            params.append(rest.pop(0).split("=", 1))
        elif a == "--env":
            envs.append(rest.pop(0).split("=", 1))
        elif a == "--no-discover":
            discover = False
        else:
            print("argocd_generate.py: unknown argument " + a, file=sys.stderr)
            return 2
    with open(plugin_path, encoding="utf-8") as f:
        plugin = yaml.safe_load(f)
    if plugin.get("apiVersion") != "argoproj.io/v1alpha1" or plugin.get("kind") != "ConfigManagementPlugin":
        print("argocd_generate.py: not a ConfigManagementPlugin", file=sys.stderr)
        return 2
    spec = plugin["spec"]
    gen = spec["generate"]
    if discover:
        pattern = spec["discover"]["fileName"]
        if not glob.glob(os.path.join(src, pattern)):
            print("argocd_generate.py: discover.fileName %r matches nothing in %s" % (pattern, src),
                  file=sys.stderr)
            return 2
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LC_ALL": "C",
        "ARGOCD_APP_NAME": app,
        "ARGOCD_APP_NAMESPACE": "alert-stream-broker",
        "ARGOCD_APP_PROJECT_NAME": "default",
        "ARGOCD_APP_REVISION": "0123456789abcdef0123456789abcdef01234567",
        "ARGOCD_APP_REVISION_SHORT": "0123456",
        "ARGOCD_APP_SOURCE_PATH": ".",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.org/your-team/deployments.git",
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.32.4",
        "KUBE_API_VERSIONS": "v1,apps/v1,batch/v1,networking.k8s.io/v1,kafka.strimzi.io/v1",
        "ARGOCD_APP_PARAMETERS": json.dumps([{"name": n, "string": v} for n, v in params]),
    }
    for n, v in params:
        env["PARAM_" + re.sub(r"[^A-Za-z0-9_]", "_", n).upper()] = v
    for n, v in envs:
        env["ARGOCD_ENV_" + n] = v
    cmd = list(gen["command"]) + list(gen.get("args", []))
    with open(out, "wb") as fo, open(out + ".err", "wb") as fe:
        r = subprocess.run(cmd, cwd=src, env=env, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
