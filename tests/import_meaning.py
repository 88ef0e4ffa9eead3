#!/usr/bin/python3
"""asbgen import on real renders: does the imported spec render the same system?

    /usr/bin/python3 tests/import_meaning.py ASBGEN WORKDIR SAMPLE.yaml...

Each SAMPLE is what Helm rendered from a real Phalanx configuration
(../shared/reference/phalanx-history/*/*/*/rendered.yaml, the prompt-kafka
and usdfdev renders).  For each: `asbgen import SAMPLE -o SPEC` exits 0 or
1 (never 2: a real render is readable), the spec validates, it renders,
and every Strimzi object of the sample (Kafka, node pools, topics, users)
is compared by meaning with its counterpart in the render, reduced to
tests/equivalence.py's facets.  A facet that differs must be explained:
by a repair import reported (its warning names the facet's key or the
sample's value), or by the IMPORT table below (what import does
differently on purpose, each with why).  A sample whose differences are
all the IMPORT table's "round-trips cleanly"; the count is printed.  One ok / not ok line per
check; exit 1 when any failed.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import equivalence as eq  # noqa: E402

# What import does differently on purpose: (object glob, facet glob, why).
IMPORT = [
    ("*", "apiVersion", "the Strimzi release is chosen for the Kafka version (the API version follows from it)"),
    ("Kafka/*", "entityOperator*", "asbgen runs the topic and user operators with their defaults"),
    ("Kafka/*", "annotations.strimzi.io/*", "KRaft with node pools: the annotations Strimzi before 0.48 needs"),
    ("KafkaNodePool/*", "template*", "asbgen's pod placement (anti-affinity, node pool) is its own"),
    ("KafkaNodePool/*", "annotations.strimzi.io/next-node-ids", "asbgen writes the ids it gives the pool"),
    ("KafkaNodePool/*", "storage.volumes*.class", "a pool without a class gets the platform's, written out"),
    ("KafkaTopic/*", "config.min.insync.replicas", "topics with 3 replicas get min.insync.replicas 2"),
    ("KafkaTopic/*", "config.cleanup.policy", "asbgen writes cleanup.policy delete explicitly"),
    ("Kafka/*", "kafka.config.*replication.factor", "derived from the broker count"),
    ("Kafka/*", "kafka.config.transaction.state.log.min.isr", "derived from the broker count"),
    ("Kafka/*", "kafka.config.auto.create.topics.enable", "asbgen sets it false"),
    ("Kafka/*", "listener.external.allocateLoadBalancerNodePorts", "MetalLB load balancers need no node ports"),
    ("Kafka/*", "listener.external.bootstrap", "the bootstrap host is a name of the listener's certificate"),
    ("Kafka/*", "kafkaExporter.template.*prometheus.io/scrape", "asbgen annotates the exporter's pods, which Prometheus scrapes"),
    ("Kafka/*", "kafka.template.pod.annotations.prometheus.io/scrape", "asbgen annotates the exporter's pods, which Prometheus scrapes"),
]


def normalise(doc):
    """The sample's spellings that mean what asbgen writes: MetalLB's older
    annotation group, loadBalancerIP on bare metal (MetalLB honours it),
    an unset advertisedHost, the default advertised port, Helm's floats."""
    if doc.get("kind") == "KafkaNodePool":
        return normalise_storage(doc)
    if doc.get("kind") != "Kafka":
        return doc
    for l in eq.get(doc, "spec/kafka/listeners", []) or []:
        conf = l.get("configuration") or {}
        parts = [conf.get("bootstrap") or {}] + list(conf.get("brokers") or [])
        metallb = any(k.startswith("metallb.") for p in parts for k in (p.get("annotations") or {}))
        for i, p in enumerate(parts):
            ann = p.get("annotations") or {}
            for k in list(ann):
                if k.startswith("metallb.universe.tf/"):
                    ann["metallb.io/" + k.split("/", 1)[1]] = ann.pop(k)
            if metallb and p.get("loadBalancerIP"):
                ann["metallb.io/loadBalancerIPs"] = p.pop("loadBalancerIP")
            for k in ("loadBalancerIP", "advertisedHost"):
                if k in p and p[k] is None:
                    del p[k]
            if i and "advertisedPort" not in p:
                p["advertisedPort"] = l.get("port")
            if ann:
                p["annotations"] = ann
    ex = eq.get(doc, "spec/kafkaExporter")
    if isinstance(ex, dict):  # Strimzi's defaults
        ex.setdefault("logging", "info")
        ex.setdefault("enableSaramaLogging", False)
    cfg = eq.get(doc, "spec/kafka/config") or {}
    for k, v in cfg.items():
        if isinstance(v, float) and v == int(v):
            cfg[k] = int(v)
    return doc


def sample_docs(sample):
    """A render file, or a folder of manifests (tests/import/foreign/*)."""
    if not os.path.isdir(sample):
        return eq.load_docs(sample)
    docs = []
    for fn in sorted(os.listdir(sample)):
        if fn.endswith(".yaml"):
            docs += eq.load_docs(os.path.join(sample, fn))
    return docs


def normalise_storage(doc):
    """A pool's storage as Strimzi reads it: one persistent-claim is a JBOD
    of that one volume (id 0), deleteClaim defaults to false, and a single
    volume holds the KRaft metadata whether kraftMetadata says so or not."""
    st = eq.get(doc, "spec/storage")
    if not isinstance(st, dict):
        return doc
    if st.get("type") == "persistent-claim":
        vol = {k: v for k, v in st.items()}
        vol["id"] = 0
        st.clear()
        st.update({"type": "jbod", "volumes": [vol]})
    vols = st.get("volumes") or []
    for v in vols:
        if v.get("type") == "persistent-claim":
            v.setdefault("deleteClaim", False)
    if len(vols) == 1:
        vols[0].pop("kraftMetadata", None)
    return doc


def facet_diffs(ref_docs, ours_docs):
    ref = eq.index(ref_docs, "sample")
    ours = eq.index(ours_docs, "render")
    out = []
    for (kind, name), robj in ref.items():
        if not kind.startswith("Kafka"):
            continue
        objname = f"{kind}/{name}"
        if (kind, name) not in ours:
            out.append((objname, "(object)", "present", "not rendered"))
            continue
        fr = eq.facets(robj, ref, {})
        fo = eq.facets(ours[(kind, name)], ours, {})
        for facet in sorted(set(fr) | set(fo)):
            a, b = fr.get(facet, "(absent)"), fo.get(facet, "(absent)")
            if a != b:
                out.append((objname, facet, a, b))
    return out


def explained(objname, facet, a, warnings):
    for og, fg, why in IMPORT:
        if eq.glob(og, objname) and eq.glob(fg, facet):
            return "deliberate: " + why
    kind, name = objname.split("/", 1)
    lost = [w.split(": warning: ", 1)[-1] for w in warnings if "[import-lost]" in w]
    m = re.match(r"listener\.([^.]+)\.", facet)
    for said in lost:
        if facet == "(object)" and said.startswith(f"{kind} {name}:"):
            return "lost: " + said[:160]
        if m and said.startswith(f"{kind} {name}:") and f"listener '{m.group(1)}'" in said:
            return "lost: " + said[:160]
        if facet.startswith("storage.") and said.startswith(f"{kind} {name}:") and ("JBOD" in said or "ephemeral" in said):
            return "lost: " + said[:160]
    parts = re.split(r"[.:]", facet)
    keys = [".".join(parts[i:]) for i in range(len(parts))]
    name = objname.split("/", 1)[1]
    for w in warnings:
        if "import-" not in w:
            continue
        said = w.split(": warning: ", 1)[-1]
        # A warning about another user, topic or pool explains nothing here.
        about = re.match(r"(KafkaUser|KafkaTopic|KafkaNodePool) ([^ :]+):", said)
        if about and (about.group(1), about.group(2)) != (kind, name):
            continue
        if any(len(k) > 3 and k in said for k in keys) or (a not in ("(absent)", "null", "") and len(a) > 5 and a in said):
            return "repaired: " + said[:160]
        if "[import-differs]" in w and f" {name}:" in said or f" {name} " in said and "[import-differs]" in w:
            return "reported: " + said[:160]
    return None


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    asbgen, work, samples = os.path.abspath(argv[0]), argv[1], argv[2:]
    failed = clean = 0
    for i, sample in enumerate(samples):
        label = os.path.relpath(sample, os.path.dirname(os.path.dirname(os.path.dirname(sample.rstrip("/")))))
        d = os.path.join(work, f"s{i}")
        os.makedirs(os.path.join(d, "environments"), exist_ok=True)
        spec = os.path.join(d, "environments", "imported.yaml")
        p = subprocess.run([asbgen, "import", "--name", "imported", "-o", spec, sample],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        warnings = [l for l in p.stderr.splitlines() if ": warning: " in l]
        if p.returncode not in (0, 1):
            failed += 1
            print(f"not ok - import {label}: exit {p.returncode}")
            for l in p.stderr.splitlines()[:20]:
                print("    " + l)
            continue
        print(f"ok - import {label} (exit {p.returncode}, {len(warnings)} warnings)")
        v = subprocess.run([asbgen, "validate", spec], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if v.returncode != 0:
            failed += 1
            print(f"not ok - import {label}: the spec validates")
            for l in v.stdout.splitlines()[:20]:
                print("    " + l)
            continue
        print(f"ok - import {label}: the spec validates")
        r = subprocess.run([asbgen, "render", "--only", "kubernetes", "-o", os.path.join(d, "out"), spec],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        kdir = os.path.join(d, "out", "imported", "kubernetes")
        if r.returncode != 0 or not os.path.isdir(kdir):
            failed += 1
            print(f"not ok - import {label}: the spec renders")
            print("    " + r.stdout[:2000])
            continue
        ours = []
        for fn in sorted(os.listdir(kdir)):
            if fn.endswith(".yaml") and fn != "kustomization.yaml":
                ours += eq.load_docs(os.path.join(kdir, fn))
        diffs = facet_diffs([normalise(d) for d in sample_docs(sample)], ours)
        unexplained, notes = [], []
        for objname, facet, a, b in diffs:
            why = explained(objname, facet, a, warnings)
            (notes if why else unexplained).append((objname, facet, a, b, why))
        if unexplained:
            failed += 1
            print(f"not ok - import {label}: same meaning, apart from reported repairs")
            for objname, facet, a, b, _ in unexplained:
                print(f"    {objname}: {facet}: sample {a[:120]}, render {b[:120]}")
        else:
            print(f"ok - import {label}: same meaning, apart from reported repairs")
        if all(why.startswith("deliberate") for *_, why in notes) and not unexplained:
            clean += 1
        for objname, facet, a, b, why in notes:
            print(f"#   {label}: {objname}: {facet}: sample {a[:80]}, render {b[:80]} ({why})")
    print(f"# import: {clean} of {len(samples)} samples round-trip cleanly (no difference but the IMPORT table's: no repair, nothing lost)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
