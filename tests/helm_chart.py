#!/usr/bin/python3
"""Do the Helm values deploy what kubernetes/ deploys, through the real chart?

    /usr/bin/python3 tests/helm_chart.py HE CHART DEPS ASBGEN SPEC OUT_ENV

HE is the Helm stand-in (../shared/tools/helmengine, built by
tests/suite_helm.sh), CHART Phalanx's alert-stream-broker application folder
and DEPS its remote charts (../shared/reference/phalanx/chart/).  The
environment's OUT_ENV/helm/values-ENV.yaml is rendered through the chart as
Argo CD did (release alert-stream-broker, the spec's namespace), and every
object is compared by meaning with OUT_ENV/kubernetes, the complete output,
with tests/equivalence.py's facets (same objects, kinds, names, spec fields,
ACLs as sets).

Every difference must be intended, in one of two ways:

  CHART    the chart hard-codes it for every environment (object glob, facet
           glob, reason);
  WARNED   the spec asks for something the chart cannot express, so
           `asbgen validate SPEC` warns about it (helm-* ids): the entry
           applies only when a warning matching its pattern was given.

Any other difference fails; so does a helm-* warning that explains no
difference, and a CHART entry that no environment uses (checked with
--stale over all environments: the script prints "used: N,M" lines).
When `helm template` stops on a `required` value, that must have been
warned about too; the test then supplies a stand-in value (SUPPLY) and
renders again.  Prints "ok - helm ENV: Kind/name" lines; exit 1 on failure.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import equivalence  # noqa: E402  (the facets)

RELEASE = "alert-stream-broker"

# The chart's Deployments carry its version in their names.
RENAMED = {
    ("Deployment", "alert-database-ingester-4.0.0"): "alert-database-ingester",
    ("Deployment", "alert-database-server-4.0.0"): "alert-database-server",
}

# What the chart does alike for every environment: (object, facet, why).
CHART = [
    ("KafkaNodePool/*", "apiVersion",
     "kafka.yaml hard-codes kafka.strimzi.io/v1beta2 for the node pools (served up to Strimzi 0.51)"),
    ("Kafka/*", "annotations.strimzi.io/*",
     "the chart always sets the KRaft and node-pool annotations (ignored from Strimzi 0.48 on)"),
    ("Kafka/*", "kafka.replicas",
     "the chart also sets replicas on the Kafka resource; node pools own them (Strimzi ignores it)"),
    ("Kafka/*", "kafka.storage",
     "the chart also sets storage on the Kafka resource; node pools own it (Strimzi ignores it)"),
    ("Kafka/*", "kafka.resources",
     "the chart also sets fixed resources on the Kafka resource; node pools own them (ignored)"),
    ("Kafka/*", "kafka.config.ssl.client.auth",
     "the chart writes ssl.client.auth, which Strimzi forbids in spec.kafka.config and drops"),
    ("Kafka/*", "kafka.template.pod.annotations.prometheus.io/scrape",
     "the chart puts the scrape annotation on the Kafka's pod template; asbgen on each pool's"),
    ("KafkaNodePool/*", "template.pod.annotations.prometheus.io/scrape",
     "asbgen puts the scrape annotation on each node pool's pod template; the chart on the Kafka's"),
    ("Kafka/*", "kafkaExporter.template.deployment.annotations.prometheus.io/scrape",
     "the chart also annotates the exporter's Deployment (Prometheus scrapes pods)"),
    ("Kafka/*", "kafkaExporter.template.pod.annotations.prometheus.io/scrape",
     "the chart has Prometheus scrape the exporter's pods whether the spec asks for scraping or not"),
    ("KafkaNodePool/controller", "annotations.strimzi.io/next-node-ids",
     "the chart gives the controller pool no node ids; asbgen gives it ids of its own"),
    ("StrimziSchemaRegistry/*", "spec.strimzi-version",
     "the registry chart writes strimzi-version, which the CRD does not have (reference defect 3)"),
    ("StrimziSchemaRegistry/*", "spec.strimziVersion",
     "the registry chart writes strimzi-version, which the CRD does not have (reference defect 3)"),
    ("StrimziSchemaRegistry/*", "spec.listener",
     "the registry chart fixes listener internal (9092); asbgen uses the tls listener (9093), both mTLS"),
    ("KafkaTopic/registry-schemas", "apiVersion",
     "the registry chart uses one strimziAPIVersion for its KafkaTopic and for the operator's "
     "strimziVersion (v1beta2)"),
    ("KafkaUser/alert-schema-registry", "apiVersion",
     "the registry chart uses one strimziAPIVersion for its KafkaUser and for the operator's "
     "strimziVersion (v1beta2)"),
    ("Job/alert-stream-broker-sync-schema", "annotations.argocd.argoproj.io/hook-delete-policy",
     "the chart's hook Job has no delete policy"),
    ("Job/alert-stream-broker-sync-schema", "backoffLimit",
     "the chart leaves Kubernetes' default backoffLimit (6)"),
    ("Job/alert-stream-broker-sync-schema", "containers[0].name",
     "container name (cosmetic)"),
    ("Deployment/alert-database-*", "volumes.alert-stream-broker-secrets",
     "the chart mounts the whole secret as a volume that no container uses"),
    ("Certificate/*-external-tls", "(extra)",
     "certs.yaml renders the external Certificate whenever a bootstrap host is set, also without TLS "
     "(nothing uses it then; as Phalanx deployed it)"),
    ("ClusterRole/strimzi-registry-operator", "(extra)",
     "the application also installs the registry operator (its remote chart); kubernetes/ expects it "
     "installed"),
    ("ClusterRoleBinding/strimzi-registry-operator", "(extra)", "the registry operator (as above)"),
    ("Deployment/strimzi-registry-operator", "(extra)", "the registry operator (as above)"),
    ("ServiceAccount/strimzi-registry-operator", "(extra)", "the registry operator (as above)"),
]

# What the spec asks and the chart cannot express: (object, facet, warning pattern).
WARNED = [
    ("KafkaTopic/*", "(extra)", r"\[helm-topic\] .*also creates .*\b{name}\b"),
    ("KafkaTopic/*", "(missing)", r"\[helm-topic\] topic {name} has no family"),
    ("KafkaTopic/*", "config.*", r"\[helm-topic\] topic {name} .*\b{key}="),
    ("Kafka/*", "kafka.config.*", r"\[helm-fixed\] kafka\.config: .*\b{key}="),
    ("KafkaNodePool/controller", "replicas", r"\[helm-fixed\].*controllers"),
    ("KafkaNodePool/kafka", "annotations.strimzi.io/next-node-ids", r"\[helm-fixed\].*node ids"),
    ("KafkaNodePool/kafka", "annotations.strimzi.io/next-node-ids", r"\[helm-fixed\].*"),
    ("KafkaNodePool/*", "storage.volumes[0].deleteClaim", r"\[helm-fixed\].*deleteClaim"),
    ("Kafka/*", "listener.external.allocateLoadBalancerNodePorts", r"\[helm-fixed\].*node ports"),
    ("Kafka/*", "listener.external.bootstrap", r"\[helm-missing\].*load balancer"),
    ("Kafka/*", "listener.external.broker.*", r"\[helm-missing\].*load balancer"),
    ("Kafka/*", "listener.external.broker.*.annotations.asbgen.lsst.io/broker", r"\[helm-missing\].*load balancer"),
    ("Deployment/alert-database-ingester", "replicas", r"\[helm-fixed\].*ingester"),
    ("Deployment/alert-database-server", "replicas", r"\[helm-fixed\].*server"),
    ("Deployment/alert-database-*", "*", r"\[helm-missing\].*Google Cloud Storage"),
    ("Deployment/alert-database-*", "containers[0].command", r"\[helm-missing\].*S3 endpoint"),
    ("Deployment/alert-database-*", "containers[0].env.AWS_ENDPOINT_URL", r"\[helm-missing\].*S3 endpoint"),
    ("KafkaUser/alert-database-ingester", "*", r"\[helm-missing\].*alert database is disabled"),
    ("Deployment/alert-database-*", "(extra)", r"\[helm-missing\].*alert database is disabled"),
    ("Service/*", "(extra)", r"\[helm-missing\].*alert database is disabled"),
    ("ServiceAccount/alert-database-*", "(extra)", r"\[helm-missing\].*alert database is disabled"),
    ("KafkaUser/alert-database-ingester", "(extra)", r"\[helm-missing\].*alert database is disabled"),
    ("Ingress/*alert-database", "(missing)", r"\[helm-missing\].*GafaelfawrIngress"),
    ("GafaelfawrIngress/*", "(extra)", r"\[helm-missing\].*GafaelfawrIngress"),
    ("*/alert-stream-simulator*", "(missing)", r"\[helm-missing\].*simulator"),
    ("KafkaTopic/alerts-*", "(missing)", r"\[helm-missing\].*simulator"),
    ("VaultSecret/*", "(extra)", r"\[helm-missing\].*vaultSecretsPath"),
    ("KafkaTopic/registry-schemas", "replicas", r"\[helm-fixed\].*registry"),
    ("Ingress/alert-schema-registry", "*", r"\[helm-fixed\].*registry"),
]

# `helm template` stops on a `required` value: (its message, the warning
# that must have said so, the values to supply to render the rest).
SUPPLY = [
    ("vaultSecretsPath must be set", r"\[helm-missing\].*vaultSecretsPath",
     {"alert-stream-broker": {"vaultSecretsPath": "secret/test-supplied"}}),
    ("An endpoint URL is required", r"\[helm-missing\].*(S3 endpoint|Google Cloud Storage)",
     {"alert-database": {"storage": {"s3": {"endpointURL": "https://s3.test-supplied/"}}}}),
    ("An s3 endpoint url is required", r"\[helm-missing\].*(S3 endpoint|Google Cloud Storage)",
     {"alert-database": {"storage": {"s3": {"endpointURL": "https://s3.test-supplied/"}}}}),
]


def merge(a, b):
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        else:
            a[k] = v
    return a


def warnings_of(asbgen, spec, tmp):
    """The helm-* warnings of the spec, as if it said deployWith: helm
    (they are only given then; a spec without the key gets it appended)."""
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    if not re.search(r"(?m)^deployWith:", text):
        spec = os.path.join(tmp, os.path.basename(spec))
        with open(spec, "w", encoding="utf-8") as f:
            f.write(text.rstrip("\n") + "\ndeployWith: helm\n")
    r = subprocess.run([asbgen, "validate", spec], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"helm_chart: asbgen validate {spec} exited {r.returncode}:\n{r.stderr}")
    # one line per diagnostic, "FILE:L:C: warning: MESSAGE [id]", kept as "[id] MESSAGE"
    out = []
    for ln in r.stderr.splitlines():
        m = re.match(r"\S+:\d+:\d+: warning: (.*) (\[helm-[a-z-]+\])$", ln)
        if m:
            out.append(f"{m.group(2)} {m.group(1)}")
    return out


def render(he, chart, deps, values, supplied, namespace, tmp):
    args = [he, "-n", namespace, "-deps", deps]
    for i, extra in enumerate(supplied):
        p = os.path.join(tmp, f"supplied-{i}.yaml")
        with open(p, "w") as f:
            yaml.safe_dump(extra, f)
        args += ["-f", p]
    return subprocess.run(args + [chart, values, RELEASE], capture_output=True, text=True)


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    he, chart, deps, asbgen, spec, outdir = argv
    env = os.path.basename(outdir.rstrip("/"))
    with open(spec, encoding="utf-8") as f:
        namespace = (yaml.safe_load(f) or {}).get("namespace") or "alert-stream-broker"
    with tempfile.TemporaryDirectory() as tmp:
        warns = warnings_of(asbgen, spec, tmp)
    used_warn = set()
    failed = passed = 0

    def warned(pattern):
        hit = [i for i, w in enumerate(warns) if re.search(pattern, w)]
        used_warn.update(hit)
        return bool(hit)

    def report(name, problems):
        nonlocal failed, passed
        if problems:
            failed += 1
            print(f"not ok - helm {env}: {name}")
            for p in problems:
                print(f"  {p}")
        else:
            passed += 1
            print(f"ok - helm {env}: {name}")

    values = os.path.join(outdir, "helm", f"values-{env}.yaml")
    supplied = []
    with tempfile.TemporaryDirectory() as tmp:
        while True:
            r = render(he, chart, deps, values, supplied, namespace, tmp)
            if r.returncode == 0:
                break
            for msg, pattern, extra in SUPPLY:
                if msg in r.stderr and extra not in supplied:
                    break
            else:
                report("helm template renders the values", [r.stderr.strip()])
                return 1
            report(f"helm template stops with '{msg}', as a warning said",
                   [] if warned(pattern) else [f"no warning matches {pattern}: {r.stderr.strip()}"])
            supplied.append(extra)
            print(f"# supplied {extra} to render the rest")
    helm = equivalence.index([d for d in yaml.safe_load_all(r.stdout) if d is not None], "helm template")
    docs = []
    kdir = os.path.join(outdir, "kubernetes")
    for fn in sorted(os.listdir(kdir)):
        if fn.endswith(".yaml") and fn != "kustomization.yaml":
            docs += equivalence.load_docs(os.path.join(kdir, fn))
    ours = equivalence.index(docs, kdir)

    used_chart = set()

    def intended(objname, facet):
        for i, (og, fg, why) in enumerate(CHART):
            if equivalence.glob(og, objname) and equivalence.glob(fg, facet):
                used_chart.add(i)
                return why
        for og, fg, pattern in WARNED:
            if equivalence.glob(og, objname) and equivalence.glob(fg, facet):
                # {name}: the object's name; {key}: the facet after the glob's fixed prefix
                pat = (pattern.replace("{name}", re.escape(objname.split("/", 1)[1]))
                       .replace("{key}", re.escape(facet[len(fg.split("*")[0]):])))
                if warned(pat):
                    return "warned: " + pat
        return None

    notes = []
    helm_names = {(k, RENAMED.get((k, n), n)): (k, n) for (k, n) in helm}
    for (kind, name) in sorted(set(ours) | set(helm_names)):
        objname = f"{kind}/{name}"
        problems = []
        if (kind, name) not in helm_names:
            why = intended(objname, "(missing)")
            (notes.append(f"{objname}: not rendered by the chart: {why}") if why
             else problems.append("kubernetes/ has it, the chart does not render it"))
        elif (kind, name) not in ours:
            why = intended(objname, "(extra)")
            (notes.append(f"{objname}: only the chart renders it: {why}") if why
             else problems.append("the chart renders it, kubernetes/ does not have it"))
        else:
            fh = equivalence.facets(helm[helm_names[(kind, name)]], helm, RENAMED)
            fo = equivalence.facets(ours[(kind, name)], ours, {})
            for facet in sorted(set(fh) | set(fo)):
                a, b = fh.get(facet, "(absent)"), fo.get(facet, "(absent)")
                if a == b:
                    continue
                why = intended(objname, facet)
                if why:
                    notes.append(f"{objname}: {facet}: chart {a}, kubernetes/ {b}: {why}")
                else:
                    problems.append(f"{facet}: chart {a}, kubernetes/ {b}")
        report(objname, problems)

    stray = [w for i, w in enumerate(warns) if i not in used_warn]
    report("every helm-* warning explains a difference",
           [f"no difference for: {w}" for w in stray])
    print(f"# intended differences of {env}:")
    for n in notes:
        print(f"#   {n}")
    print("# used: " + ",".join(str(i) for i in sorted(used_chart)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
