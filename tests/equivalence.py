#!/usr/bin/python3
"""Is asbgen's output the system Phalanx deployed, by meaning?

    /usr/bin/python3 tests/equivalence.py REFERENCE.yaml OUT_ENV/kubernetes

REFERENCE.yaml is what Helm rendered from Phalanx's charts for a real
environment: ../shared/reference/phalanx/rendered-usdfdev.yaml (the alert
stream broker at USDF dev) or ../shared/reference/prompt-kafka/rendered-
usdf{dev,prod}-prompt-processing.yaml (the prompt-processing Kafka); the
tables below are chosen by the reference's file name (SYSTEMS).  Every object in it is matched
with its counterpart among the YAML files of OUT_ENV/kubernetes (by kind and
name; RENAMED lists the objects asbgen names differently) and both are
reduced to *facets*: the facts that decide what gets deployed, normalised so
that spelling does not count:

  KafkaUser       authentication, password secret, authorization type, the
                  ACLs as a set of (resource type, name, pattern, host, allow)
                  -> set of operations ('operation: X' entries and
                  'operations: [...]' lists fold together; host defaults to *)
  KafkaTopic      Kafka topic name, partitions, replicas, every config value
                  (compared as strings: 5259492000 == "5259492000")
  KafkaNodePool   replicas, roles, volumes, resources, anti-affinity, pod
                  annotations, next node ids
  Kafka           Kafka version, per-listener (port, type, tls, auth), the
                  external listener's bootstrap and per-broker overrides
                  (broker id -> advertised host/port, annotations), superusers,
                  every config value, entity operator, exporter, and the
                  fields node pools own (replicas, storage, resources)
  StrimziSchemaRegistry, VaultSecret, Certificate, Ingress, Job, Deployment
  (containers: image, command, env, mounts, ports, probes; volumes;
  service account), Service (type, ports, and which Deployment it selects),
  ServiceAccount (exists).

Labels other than strimzi.io/cluster, Argo CD sync waves and namespaces are
not facets: Helm and asbgen label differently and Argo CD sets the namespace.

Every facet that differs must be listed in DELIBERATE (object, facet,
reason); those are printed.  Any other difference is a failure.  A DELIBERATE
entry that no longer matches anything is a failure too, so the table stays
true.  Prints one "ok - Kind/name" or "not ok - Kind/name" (with the
differences indented) per reference object; exit 1 if any failed.
"""
import json
import os
import re
import sys

import yaml

# Reference objects asbgen names differently: (kind, reference name) -> name.
RENAMED_ALERTS = {
    ("Deployment", "alert-database-ingester-4.0.0"): "alert-database-ingester",
    ("Deployment", "alert-database-server-4.0.0"): "alert-database-server",
}

STRIMZI_KINDS = "Kafka*"

# Every deliberate difference: (object glob "Kind/name", facet glob, reason).
# Reference defects are numbered as in ../shared/reference/README.md.
DELIBERATE_ALERTS = [
    ("Kafka*/*", "apiVersion",
     "Strimzi 0.51.0 serves kafka.strimzi.io/v1; asbgen uses it (v1beta2 is deprecated)"),
    ("Kafka/alert-broker", "annotations.strimzi.io/kraft",
     "KRaft is the only mode from Strimzi 0.46 on; the annotation is only needed before 0.48"),
    ("Kafka/alert-broker", "annotations.strimzi.io/node-pools",
     "node pools are mandatory from Strimzi 0.46 on; the annotation is only needed before 0.48"),
    ("Kafka/alert-broker", "kafka.version",
     "reference defect 4: Strimzi 0.51.0 does not support Kafka 4.0.0; the spec asks for 4.1.1"),
    ("Kafka/alert-broker", "kafka.replicas",
     "reference defect 6: node pools own replicas; Strimzi ignores the Kafka's with a warning"),
    ("Kafka/alert-broker", "kafka.storage",
     "reference defect 6: node pools own storage; Strimzi ignores the Kafka's with a warning"),
    ("Kafka/alert-broker", "kafka.resources",
     "reference defect 6: node pools own resources; Strimzi ignores the Kafka's with a warning"),
    ("Kafka/alert-broker", "kafka.template.pod.annotations.prometheus.io/scrape",
     "the scrape annotation is set on the node pools' pod templates (which override the Kafka's); "
     "compared there"),
    ("KafkaNodePool/*", "template.pod.annotations.prometheus.io/scrape",
     "the scrape annotation moved here from the Kafka's pod template (same pods)"),
    ("Kafka/alert-broker", "kafka.config.ssl.client.auth",
     "Strimzi forbids ssl.* broker options and drops them; client authentication is set per "
     "listener (authentication: tls)"),
    ("Kafka/alert-broker", "kafka.config.default.replication.factor",
     "derived min(3, brokers) so topics created without a replica count are not single-copy"),
    ("Kafka/alert-broker", "kafkaExporter.template.deployment.annotations.prometheus.io/scrape",
     "Prometheus scrapes pods, not Deployments; the pod annotation is kept"),
    ("KafkaNodePool/controller", "replicas",
     "reference defect 5: the controller pool took the broker count (6); three controllers"),
    ("KafkaNodePool/controller", "storage.volumes[0].class",
     "reference defect 2: class: null; asbgen uses the platform's storage class"),
    ("KafkaNodePool/controller", "annotations.strimzi.io/next-node-ids",
     "controllers get node ids 100-102, leaving room for brokers to grow"),
    ("KafkaNodePool/kafka", "annotations.strimzi.io/next-node-ids",
     "the brokers' real node ids are 6-11; the hint names them instead of [0-99]"),
    ("KafkaNodePool/*", "template.pod.affinity",
     "anti-affinity is per pool (one broker and one controller may share a node); the reference "
     "kept all 12 pods of the cluster on different nodes"),
    ("Certificate/alert-broker-external-tls", "(object)",
     "the external listener has tls: false in the reference too, so nothing serves this "
     "certificate; asbgen renders it only with external.tls.enabled"),
    ("StrimziSchemaRegistry/alert-schema-registry", "spec.strimzi-version",
     "reference defect 3: the CRD field is strimziVersion; Kubernetes drops strimzi-version"),
    ("StrimziSchemaRegistry/alert-schema-registry", "spec.strimziVersion",
     "reference defect 3: written with the CRD's spelling (v1beta2, what the operator reads)"),
    ("StrimziSchemaRegistry/alert-schema-registry", "spec.listener",
     "the registry connects through the internal TLS listener named 'tls' (mTLS on 9093), the "
     "one the reference's Kafka comment says exists for it; 'internal' is the same kind of "
     "listener on 9092"),
    ("Job/alert-stream-broker-sync-schema", "annotations.argocd.argoproj.io/hook-delete-policy",
     "the hook Job is deleted before it is recreated, so every sync runs it again"),
    ("Job/alert-stream-broker-sync-schema", "backoffLimit",
     "more retries (10) while the registry starts in the same sync"),
    ("Job/alert-stream-broker-sync-schema", "containers[0].name",
     "container name sync-schema (cosmetic)"),
    ("Deployment/alert-database-*", "volumes.alert-stream-broker-secrets",
     "the reference mounts the whole secret as a volume that no container uses (the S3 keys "
     "come from secretKeyRef env entries, which both have)"),
]

RENAMED_PROMPT = {}

# The prompt-processing Kafka (the prompt-kafka application).
DELIBERATE_PROMPT = [
    ("Kafka/prompt-kafka", "apiVersion",
     "Strimzi 0.51.0 (the spec's) serves kafka.strimzi.io/v1 for every kind; asbgen uses it for all (the "
     "chart mixes v1beta2 for Kafka and node pools with v1 for topics and users)"),
    ("KafkaNodePool/*", "apiVersion", "as for the Kafka: kafka.strimzi.io/v1"),
    ("Kafka/prompt-kafka", "annotations.strimzi.io/*",
     "KRaft and node pools are the only mode from Strimzi 0.46 on; the annotations are only "
     "needed before 0.48"),
    ("Kafka/prompt-kafka", "kafka.replicas",
     "node pools own replicas; Strimzi ignores the Kafka's with a warning"),
    ("Kafka/prompt-kafka", "kafka.storage",
     "node pools own storage; Strimzi ignores the Kafka's with a warning"),
    ("Kafka/prompt-kafka", "kafka.config.message.max.bytes",
     "Helm printed the integer 10485760 as the float 1.048576e+07, which Kafka's int option "
     "refuses; asbgen writes the integer"),
    ("Kafka/prompt-kafka", "kafka.config.replica.fetch.max.bytes",
     "Helm's float printing of 10485760, as for message.max.bytes"),
    ("Kafka/prompt-kafka", "kafka.config.auto.create.topics.enable",
     "false: every topic is a KafkaTopic (a mistyped topic name must not create a topic)"),
    ("Kafka/prompt-kafka", "listener.external.broker.*",
     "the chart writes an empty advertisedHost (null); asbgen leaves the key out, so each "
     "broker advertises its load balancer's address, the pinned IP"),
    ("Kafka/prompt-kafka", "superUsers",
     "kafka-admin authenticates with a client certificate, whose Kafka principal is "
     "CN=kafka-admin: the chart's plain name matched no principal, so it was no superuser"),
    ("Kafka/prompt-kafka", "entityOperator",
     "the chart raises the Topic Operator's STRIMZI_MAX_QUEUE_SIZE to 8192 (for thousands of "
     "topics); asbgen keeps Strimzi's default for this two-topic cluster"),
    ("KafkaNodePool/controller", "storage.volumes[0].class",
     "the chart leaves the class empty (the cluster's default); asbgen names the platform's"),
    ("KafkaNodePool/kafka", "annotations.strimzi.io/next-node-ids",
     "the brokers' real node ids are 3-5; asbgen pins them instead of [0-99]"),
    ("KafkaNodePool/controller", "annotations.strimzi.io/next-node-ids",
     "the controllers' real node ids are 0-2; asbgen pins them"),
    ("KafkaNodePool/*", "template.pod.affinity",
     "anti-affinity per pool (one broker and one controller may share a node); the chart's "
     "rule on the Kafka (app.kubernetes.io/name: kafka) kept all six pods on different nodes"),
    ("KafkaTopic/butler-writer*", "config.retention.ms",
     "Helm printed retention.ms 1209600000 as the float 1.2096e+09; asbgen writes the integer"),
    ("KafkaTopic/*", "config.retention.bytes",
     "40 GB a partition instead of the broker's 350 GB: with 350 GB the topics could fill "
     "each broker's 100Gi volume seven times over (check disk-capacity)"),
    ("KafkaTopic/*", "config.cleanup.policy", "written out: delete, Kafka's default"),
    ("KafkaTopic/*", "config.min.insync.replicas",
     "2 with 3 replicas, also the broker's min.insync.replicas: written on each topic"),
    ("Kafka/prompt-kafka", "kafka.version",
     "Strimzi 0.51.0 (as on the alert stream) does not support Kafka 4.0.0; the spec asks for "
     "4.1.1, the closest version it does"),
    ("KafkaUser/kafdrop", "acl.*",
     "Kafdrop reads and describes: Read, Describe, DescribeConfigs on every topic and Read, "
     "Describe on every group, not the chart's All (which lets a UI delete topics and groups)"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.KAFKA_PROPERTIES*",
     "Kafdrop's client settings are a ConfigMap asbgen writes (SCRAM over the plain listener), "
     "not a hand-edited file in Vault (secret key kafdrop-kafka-properties)"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.KAFKA_PASSWORD",
     "the ConfigMap's JAAS line reads the password from KAFKA_PASSWORD (EnvVarConfigProvider)"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.JVM_OPTS",
     "Kafka 3.8+ clients need org.apache.kafka.automatic.config.providers to allow that provider"),
    ("Deployment/prompt-kafka-kafdrop", "*kafka-properties",
     "the ConfigMap of Kafdrop's client settings, mounted read-only"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.ARGOCD_APP_REVISION",
     "the chart's empty ARGOCD_APP_REVISION (a restart trigger Argo CD fills) is left out"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.HOST",
     "HOST=localhost and JMX_PORT=8686 are Kafdrop's own defaults; asbgen does not repeat them"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.JMX_PORT", "as HOST: Kafdrop's default"),
    ("Deployment/prompt-kafka-kafdrop", "containers[0].env.SCHEMAREGISTRY_CONNECT",
     "no schema registry in this environment: the chart's empty setting is left out"),
    ("KafkaUser/kafka-admin", "acl.group:*:literal:host=*:allow",
     "a superuser's ACLs go unread (super.users passes every check); asbgen gives superusers "
     "topic * All only, as on the alert stream"),
]

# Each system's tables, by the reference's file name.
SYSTEMS = {
    "rendered-usdfdev.yaml": (RENAMED_ALERTS, DELIBERATE_ALERTS),
    "rendered-usdfdev-prompt-processing.yaml": (RENAMED_PROMPT, DELIBERATE_PROMPT),
    "rendered-usdfprod-prompt-processing.yaml": (RENAMED_PROMPT, DELIBERATE_PROMPT),
}
RENAMED, DELIBERATE = RENAMED_ALERTS, DELIBERATE_ALERTS

BOGUS = []  # normalisations applied to the reference, printed with the table


def s(v):
    """A scalar as a canonical string; structures as sorted JSON."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    return json.dumps(v, sort_keys=True, default=str)


def get(obj, path, default=None):
    for p in path.split("/"):
        if not isinstance(obj, dict) or p not in obj:
            return default
        obj = obj[p]
    return obj


def annotations_facets(f, prefix, ann, keys=None):
    for k, v in sorted((ann or {}).items()):
        if keys is None or k in keys:
            f[f"{prefix}.{k}"] = s(v)


def acl_facets(f, acls):
    groups = {}
    for a in acls or []:
        r = a.get("resource", {})
        key = (r.get("type"), r.get("name"), r.get("patternType", "literal"),
               a.get("host", "*"), a.get("type", "allow"))
        ops = groups.setdefault(key, set())
        if "operation" in a:
            ops.add(a["operation"])
        ops.update(a.get("operations") or [])
    for (rt, rn, pt, host, allow), ops in sorted(groups.items(), key=lambda kv: s(kv[0])):
        f[f"acl.{rt}:{rn}:{pt}:host={host}:{allow}"] = ",".join(sorted(ops))


def facets_kafkauser(o, f):
    sp = o.get("spec") or {}
    f["authentication"] = s(get(sp, "authentication/type"))
    ref = get(sp, "authentication/password/valueFrom/secretKeyRef")
    f["password"] = s(ref)
    f["authorization"] = s(get(sp, "authorization/type"))
    acl_facets(f, get(sp, "authorization/acls"))


def facets_kafkatopic(o, f):
    sp = o.get("spec") or {}
    f["topicName"] = s(sp.get("topicName") or get(o, "metadata/name"))
    f["partitions"] = s(sp.get("partitions"))
    f["replicas"] = s(sp.get("replicas"))
    for k, v in sorted((sp.get("config") or {}).items()):
        f[f"config.{k}"] = s(v)


def facets_resources(f, prefix, res):
    for side in ("requests", "limits"):
        for k, v in sorted(((res or {}).get(side) or {}).items()):
            f[f"{prefix}.{side}.{k}"] = s(v)


def facets_storage(f, prefix, st):
    if st is None:
        return
    f[f"{prefix}.type"] = s(st.get("type"))
    for i, v in enumerate(st.get("volumes") or []):
        for k in sorted(v):
            f[f"{prefix}.volumes[{i}].{k}"] = s(v[k])


def facets_nodepool(o, f):
    sp = o.get("spec") or {}
    f["replicas"] = s(sp.get("replicas"))
    f["roles"] = ",".join(sorted(sp.get("roles") or []))
    facets_storage(f, "storage", sp.get("storage"))
    facets_resources(f, "resources", sp.get("resources"))
    aff = get(sp, "template/pod/affinity")
    f["template.pod.affinity"] = s(aff)
    annotations_facets(f, "template.pod.annotations", get(sp, "template/pod/metadata/annotations"))
    annotations_facets(f, "annotations", get(o, "metadata/annotations"), {"strimzi.io/next-node-ids"})


def facets_kafka(o, f, name):
    sp = o.get("spec") or {}
    k = sp.get("kafka") or {}
    annotations_facets(f, "annotations", get(o, "metadata/annotations"),
                       {"strimzi.io/kraft", "strimzi.io/node-pools"})
    f["kafka.version"] = s(k.get("version"))
    for fld in ("replicas", "storage", "resources"):
        if fld in k:
            f[f"kafka.{fld}"] = s(k[fld])
    annotations_facets(f, "kafka.template.pod.annotations", get(k, "template/pod/metadata/annotations"))
    for lst in k.get("listeners") or []:
        n = lst.get("name")
        f[f"listener.{n}"] = (f"port={s(lst.get('port'))} type={s(lst.get('type'))} "
                              f"tls={s(lst.get('tls'))} auth={s(get(lst, 'authentication/type'))}")
        conf = dict(lst.get("configuration") or {})
        for ck in sorted(conf):
            if ck == "brokers":
                for b in conf[ck] or []:
                    b = dict(b)
                    ann = dict(b.pop("annotations", None) or {})
                    if "annotations" in ann and ann["annotations"] is None:
                        del ann["annotations"]
                        BOGUS.append(f"{name}: listener {n}, broker {b.get('broker')}: removed the "
                                     "nested 'annotations: null' key (reference defect 1)")
                    bid = b.pop("broker", None)
                    f[f"listener.{n}.broker.{bid}"] = s(b)
                    annotations_facets(f, f"listener.{n}.broker.{bid}.annotations", ann)
            elif ck == "bootstrap":
                bs = dict(conf[ck] or {})
                annotations_facets(f, f"listener.{n}.bootstrap.annotations", bs.pop("annotations", None))
                f[f"listener.{n}.bootstrap"] = s(bs)
            else:
                f[f"listener.{n}.{ck}"] = s(conf[ck])
    f["authorization"] = s(get(k, "authorization/type"))
    f["superUsers"] = ",".join(sorted(get(k, "authorization/superUsers") or []))
    for ck, cv in sorted((k.get("config") or {}).items()):
        f[f"kafka.config.{ck}"] = s(cv)
    f["entityOperator"] = s(sp.get("entityOperator"))
    ex = dict(sp.get("kafkaExporter") or {})
    tmpl = ex.pop("template", None) or {}
    for ek in sorted(ex):
        f[f"kafkaExporter.{ek}"] = s(ex[ek])
    for part in sorted(tmpl):
        annotations_facets(f, f"kafkaExporter.template.{part}.annotations",
                           get(tmpl, f"{part}/metadata/annotations"))


def facets_ssr(o, f):
    sp = dict(o.get("spec") or {})
    sp.setdefault("registryTopic", "registry-schemas")  # the operator's default
    for k in sorted(sp):
        f[f"spec.{k}"] = s(sp[k])


def facets_vaultsecret(o, f):
    f["path"] = s(get(o, "spec/path"))
    f["type"] = s(get(o, "spec/type"))


def facets_certificate(o, f):
    sp = o.get("spec") or {}
    f["secretName"] = s(sp.get("secretName"))
    f["issuerRef"] = s(sp.get("issuerRef"))
    f["organizations"] = s(sorted(get(sp, "subject/organizations") or []))
    f["dnsNames"] = s(sorted(sp.get("dnsNames") or []))


def facets_ingress(o, f):
    sp = o.get("spec") or {}
    ann = get(o, "metadata/annotations") or {}
    f["ingressClass"] = s(sp.get("ingressClassName") or ann.get("kubernetes.io/ingress.class"))
    f["getOnly"] = s("limit_except GET" in (ann.get("nginx.ingress.kubernetes.io/configuration-snippet") or ""))
    f["rules"] = s(sp.get("rules"))
    f["tls"] = s(sp.get("tls"))


def facets_containers(f, podspec):
    for i, c in enumerate(podspec.get("containers") or []):
        p = f"containers[{i}]"
        f[f"{p}.name"] = s(c.get("name"))
        for k in ("image", "imagePullPolicy", "command", "args", "ports", "livenessProbe",
                  "readinessProbe", "resources", "workingDir"):
            if k in c:
                f[f"{p}.{k}"] = s(c[k])
        for e in c.get("env") or []:
            e = dict(e)
            f[f"{p}.env.{e.pop('name', None)}"] = s(e)
        for m in c.get("volumeMounts") or []:
            m = dict(m)
            f[f"{p}.volumeMounts.{m.pop('name', None)}"] = s(m)
    for v in podspec.get("volumes") or []:
        v = dict(v)
        f[f"volumes.{v.pop('name', None)}"] = s(v)
    f["serviceAccountName"] = s(podspec.get("serviceAccountName"))
    f["restartPolicy"] = s(podspec.get("restartPolicy", "Always"))


def facets_job(o, f):
    sp = o.get("spec") or {}
    annotations_facets(f, "annotations", get(o, "metadata/annotations"),
                       {"argocd.argoproj.io/hook", "argocd.argoproj.io/hook-delete-policy"})
    f["ttlSecondsAfterFinished"] = s(sp.get("ttlSecondsAfterFinished"))
    f["backoffLimit"] = s(sp.get("backoffLimit", 6))  # Kubernetes' default
    facets_containers(f, get(sp, "template/spec") or {})


def facets_deployment(o, f):
    sp = o.get("spec") or {}
    f["replicas"] = s(sp.get("replicas", 1))
    facets_containers(f, get(sp, "template/spec") or {})


def facets_service(o, f, objs, renames):
    sp = o.get("spec") or {}
    f["type"] = s(sp.get("type", "ClusterIP"))
    f["ports"] = s(sorted((p for p in sp.get("ports") or []), key=s))
    sel = sp.get("selector") or {}
    selected = []
    for (kind, name), d in objs.items():
        if kind != "Deployment":
            continue
        labels = get(d, "spec/template/metadata/labels") or {}
        if sel and all(labels.get(k) == v for k, v in sel.items()):
            selected.append(renames.get((kind, name), name))
    f["selects"] = ",".join(sorted(selected))


# kind -> the function adding its facets (Kafka and Service take more).
FACETS = {
    "KafkaUser": facets_kafkauser,
    "KafkaTopic": facets_kafkatopic,
    "KafkaNodePool": facets_nodepool,
    "StrimziSchemaRegistry": facets_ssr,
    "VaultSecret": facets_vaultsecret,
    "Certificate": facets_certificate,
    "Ingress": facets_ingress,
    "Job": facets_job,
    "Deployment": facets_deployment,
}


def facets(o, objs, renames):
    kind = o.get("kind")
    name = get(o, "metadata/name")
    f = {"apiVersion": s(o.get("apiVersion"))}
    if kind.startswith("Kafka"):
        f["label.strimzi.io/cluster"] = s(get(o, "metadata/labels/strimzi.io/cluster"))
    if kind == "Kafka":
        del f["label.strimzi.io/cluster"]
        facets_kafka(o, f, f"{kind}/{name}")
    elif kind == "Service":
        facets_service(o, f, objs, renames)
    elif kind in FACETS:
        FACETS[kind](o, f)
    elif kind != "ServiceAccount":
        f["spec"] = s(o.get("spec"))  # unknown kind: all of it
    return f


def load_docs(path):
    with open(path, encoding="utf-8") as fh:
        return [d for d in yaml.safe_load_all(fh) if d is not None]


def index(docs, where):
    out = {}
    for d in docs:
        key = (d.get("kind"), get(d, "metadata/name"))
        if key in out:
            raise SystemExit(f"equivalence: {where}: {key[0]}/{key[1]} twice")
        out[key] = d
    return out


def glob(pattern, text):
    """Does text match pattern, where only '*' is special (any run of characters)?"""
    rx = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(rx, text) is not None


def deliberate(objname, facet):
    for i, (og, fg, why) in enumerate(DELIBERATE):
        if glob(og, objname) and glob(fg, facet):
            return i, why
    return None, None


def main(argv):
    global RENAMED, DELIBERATE
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    system = SYSTEMS.get(os.path.basename(argv[0]))
    if system is None:
        print(f"equivalence: no tables for {os.path.basename(argv[0])} (SYSTEMS)", file=sys.stderr)
        return 2
    RENAMED, DELIBERATE = system
    ref = index(load_docs(argv[0]), argv[0])
    ours_docs = []
    for fn in sorted(os.listdir(argv[1])):
        if fn.endswith(".yaml") and fn != "kustomization.yaml":
            ours_docs += load_docs(os.path.join(argv[1], fn))
    ours = index(ours_docs, argv[1])

    used = set()
    passed = failed = 0
    notes = {}  # (table entry, facet, reference, asbgen) -> objects
    matched = set()
    for (kind, rname), robj in ref.items():
        oname = RENAMED.get((kind, rname), rname)
        objname = f"{kind}/{oname}"
        label = objname if oname == rname else f"{kind}/{rname} -> {oname}"
        problems = []
        if (kind, oname) not in ours:
            i, why = deliberate(objname, "(object)")
            if i is None:
                problems.append("  missing from asbgen's output")
            else:
                used.add(i)
                notes.setdefault((i, "(object)", "present", "not rendered"), []).append(objname)
        else:
            matched.add((kind, oname))
            fr = facets(robj, ref, RENAMED)
            fo = facets(ours[(kind, oname)], ours, {})
            for facet in sorted(set(fr) | set(fo)):
                a, b = fr.get(facet, "(absent)"), fo.get(facet, "(absent)")
                if a == b:
                    continue
                i, why = deliberate(objname, facet)
                if i is None:
                    problems.append(f"  {facet}: reference {a}, asbgen {b}")
                else:
                    used.add(i)
                    notes.setdefault((i, facet, a, b), []).append(objname)
        if problems:
            failed += 1
            print(f"not ok - equivalence {label}")
            for p in problems:
                print(p)
        else:
            passed += 1
            print(f"ok - equivalence {label}")

    stale = [DELIBERATE[i] for i in range(len(DELIBERATE)) if i not in used]
    if stale:
        failed += 1
        print("not ok - equivalence table: every deliberate difference still occurs")
        for og, fg, _ in stale:
            print(f"  no difference left for {og} {fg}: remove the entry")
    else:
        passed += 1
        print("ok - equivalence table: every deliberate difference still occurs")

    print("# deliberate differences from the reference:")
    for (i, facet, a, b), objs in notes.items():
        shown = ", ".join(objs) if len(objs) <= 3 else f"{objs[0]} and {len(objs) - 1} more"
        print(f"#   {shown}: {facet}: reference {a}, asbgen {b}")
        print(f"#       why: {DELIBERATE[i][2]}")
    for b in BOGUS:
        print(f"#   normalised: {b}")
    extra = sorted(k for k in ours if k not in matched)
    if extra:
        print("# only in asbgen's output (no reference counterpart): "
              + ", ".join(f"{k}/{n}" for k, n in extra))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
