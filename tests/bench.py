#!/usr/bin/env python3
"""bench.py - asbgen side by side with the lean Helm stand-in (make bench).

    bench.py ASBGEN HELM|- SHARED TMP [RUNS]

Generates the same environments for both tools at usdfdev size (the real
spec and the real Phalanx values), 1,000, 10,000 and 50,000 users: an asbgen
spec (environments/usdfdev.yaml with its users replaced) and the equivalent
Helm values for the real chart (the Phalanx usdfdev values with the same
users), each user reading the two community topics with its own group.
Every command runs RUNS times (default 7, at least 7 for figures quoted in the
README), its output into /dev/null; it prints the median wall time, the
median peak RSS of 3 more runs under GNU time (/usr/bin/time), the ratio Helm / asbgen, and the floor multiple: asbgen's
time over `cat` of the same bytes into /dev/null.  HELM '-' (no Go) leaves
the Helm columns out.  Then asbgen alone, each figure beside its goal in
issue 15: loading the 10,000-user spec against libfyaml's document builder
(tests/tools/loadbench.c, $LOADBENCH), 10,000 users into a fresh folder (a new one each run, after
a sync; `cp -r` of the same folder, and `cp -r` then `sync -f`, as the file
system's floors), the same again
with nothing changed, `diff` against it, and `validate` of 1,000 specs (in
threads, then with -j 1).
Prints figures only; nothing here fails on a number.
"""
import os
import re
import statistics
import subprocess
import sys
import time

ASBGEN, HELM, SHARED, TMP = sys.argv[1:5]
# Render notes (README, "Re-rendering") in the bench's folder, not the user's cache.
os.environ["ASBGEN_CACHE_DIR"] = os.path.join(TMP, "cache")
RUNS = int(sys.argv[5]) if len(sys.argv) > 5 else 7
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHART = os.path.join(SHARED, "reference/phalanx/chart")
VALUES = os.path.join(CHART, "alert-stream-broker/values-usdfdev-alert-stream-broker.yaml")
SPEC = os.path.join(ROOT, "environments/usdfdev.yaml")
COMMUNITY = ["lsst-alerts-v10.0", "lsst-alerts-reprocessed-v10.0"]


def run_once(argv):
    """Wall seconds of one run of argv, its output into /dev/null."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = time.perf_counter()
    if p.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(argv)} exited {p.returncode}")
    return t1 - t0


def peak_once(argv):
    """Peak RSS (KiB) of one run, from GNU time: the rusage a parent sees
    counts the forked Python's pages before exec, which would swamp a small
    asbgen."""
    out = os.path.join(TMP, "time.txt")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out] + argv,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return int(open(out).read().split()[-1])


HAVE_TIME = os.access("/usr/bin/time", os.X_OK)


def measure(argv, setup=None):
    """Median wall ms over RUNS runs and median peak MiB over 3 (0 without
    GNU time); setup() before each run.  argv may be a function giving the
    command of each run."""
    walls, peaks = [], []
    for _ in range(RUNS):
        if setup:
            setup()
        walls.append(run_once(argv() if callable(argv) else argv) * 1000)
    for _ in range(3 if HAVE_TIME else 0):
        if setup:
            setup()
        peaks.append(peak_once(argv() if callable(argv) else argv) / 1024)
    return statistics.median(walls), statistics.median(peaks) if peaks else 0.0


def fresh_dirs(base):
    """A function giving a new folder path under base at each call: a
    render "into a fresh folder" gets one nobody removed a moment ago (on
    ext4 without a journal, files made just after 40,000 were removed
    look for a free inode past every recently freed one: several times
    slower, for any program)."""
    count = [0]
    os.makedirs(base, exist_ok=True)

    def next_dir():
        count[0] += 1
        return os.path.join(base, f"run-{count[0]}")
    return next_dir


def gen_spec(n, path):
    """usdfdev.yaml with its users replaced by n generated ones."""
    text = open(SPEC).read()
    head = text[: text.index("\nusers:\n") + 1]
    rest = text[text.index("\nusers:\n") + 1:]
    tail = rest[re.search(r"\n(?=\S)", rest).start() + 1:]
    with open(path, "w") as f:
        f.write(head)
        f.write("users:\n")
        for u in range(n):
            f.write(f"  - {{name: user-{u:05d}, topics: *community, groups: [user-{u:05d}]}}\n")
        f.write(tail)


def gen_values(n, path):
    """The Phalanx usdfdev values with the same n users."""
    text = open(VALUES).read()
    start = text.index("\n  users:\n") + 1
    end = text.index("\n  testTopicName:") + 1
    with open(path, "w") as f:
        f.write(text[:start])
        f.write("  users:\n")
        for u in range(n):
            f.write(f"    - username: user-{u:05d}\n"
                    f"      readonlyTopics: *communityReadonlyTopics\n"
                    f"      groups: [user-{u:05d}]\n")
        f.write("\n" + text[end:])


def out_bytes(argv, path):
    with open(path, "wb") as f:
        subprocess.run(argv, stdout=f, stderr=subprocess.DEVNULL)
    return os.path.getsize(path)


def mib(x):
    return f"{x:.1f} MiB"


def main():
    helm = HELM if HELM != "-" else None
    sizes = [("usdfdev", None), ("1,000 users", 1000), ("10,000 users", 10000),
             ("50,000 users", 50000)]
    uname = os.uname()
    print(f"asbgen bench {time.strftime('%Y-%m-%d', time.gmtime())} on {uname.nodename} "
          f"({os.cpu_count()} cores, {uname.machine}, load {os.getloadavg()[0]:.1f}); "
          f"median of {RUNS} runs")
    print(f"asbgen: {ASBGEN}; Helm stand-in: {helm or 'not built (no Go): Helm columns left out'}")
    print()
    print("render --stdout, whole process, both tools on the same environment:")
    hdr = f"{'work':<14} {'output':>9} {'asbgen':>9} {'peak':>10} {'x cat':>6}"
    if helm:
        hdr += f" {'Helm':>9} {'peak':>10} {'ratio':>6}"
    print(hdr)
    for label, n in sizes:
        if n is None:
            spec, values = SPEC, VALUES
        else:
            spec = os.path.join(TMP, f"users-{n}.yaml")
            values = os.path.join(TMP, f"values-{n}.yaml")
            gen_spec(n, spec)
            gen_values(n, values)
        argv = [ASBGEN, "render", "--stdout", spec]
        out = os.path.join(TMP, "out.txt")
        size = out_bytes(argv, out)
        a_ms, a_mib = measure(argv)
        c_ms, _ = measure(["cat", out])
        line = f"{label:<14} {size / 1e6:>6.1f} MB {a_ms:>6.1f} ms {mib(a_mib):>10} {a_ms / c_ms:>5.1f}x"
        if helm:
            hargv = [helm, os.path.join(CHART, "alert-stream-broker"), values, "alert-stream-broker"]
            h_ms, h_mib = measure(hargv)
            line += f" {h_ms:>6.1f} ms {mib(h_mib):>10} {h_ms / a_ms:>5.1f}x"
        print(line, flush=True)
        if n is None:
            v_ms, v_mib = measure([ASBGEN, "validate", spec])
            print(f"{'  validate':<14} {'':>9} {v_ms:>6.1f} ms {mib(v_mib):>10}"
                  + (f" {'':>6} {'':>9} {'':>10} {h_ms / v_ms:>5.1f}x" if helm else ""))
    print()
    print("asbgen alone:")
    big = os.path.join(TMP, "users-10000.yaml")
    lb = os.environ.get("LOADBENCH")
    if lb and os.access(lb, os.X_OK):
        # In one process, RUNS reads each: the spec's tree by asbgen's reader
        # and by libfyaml's document builder (the reader when issue 15 was filed).
        fast, fy = (float(x) for x in subprocess.run([lb, big, str(RUNS)], capture_output=True,
                                                     text=True, check=True).stdout.split())
        print(f"  load the 10,000-user spec ({os.path.getsize(big) / 1e3:.0f} KB): {fast:.1f} ms; libfyaml's "
              f"document builder {fy:.1f} ms: {fy / fast:.1f}x faster [goal: 3x]")
    outdir = os.path.join(TMP, "out")
    fresh = fresh_dirs(os.path.join(TMP, "fresh"))
    # Each run after a sync: a render makes its files durable (one syncfs
    # before the folder is renamed into place), which also writes out what
    # earlier runs left dirty.  The floors: cp -r (into the page cache
    # only) and cp -r then sync -f (as durable as the render's).
    ms, pk = measure(lambda: [ASBGEN, "render", "-q", big, "-o", fresh()], setup=os.sync)
    subprocess.run([ASBGEN, "render", "-q", big, "-o", outdir], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    files = sum(len(f) for _, _, f in os.walk(outdir))
    copies = fresh_dirs(os.path.join(TMP, "copies"))
    cp_ms, _ = measure(lambda: ["cp", "-r", outdir, copies()], setup=os.sync)
    cps_ms, _ = measure(lambda: ["sh", "-c", 'cp -r "$1" "$2" && sync -f "$2"', "sh", outdir, copies()],
                        setup=os.sync)
    print(f"  render 10,000 users into a fresh folder ({files} files): {ms:.0f} ms, peak {mib(pk)}; "
          f"{ms / cp_ms:.1f}x cp -r of the same folder ({cp_ms:.0f} ms), {ms / cps_ms:.1f}x cp -r "
          f"then sync -f ({cps_ms:.0f} ms) [goal: 500 ms]")
    ms, pk = measure([ASBGEN, "render", "-q", big, "-o", outdir])
    print(f"  the same again, nothing changed: {ms:.0f} ms, peak {mib(pk)} [goal: 100 ms]")
    ms, pk = measure([ASBGEN, "render", "-q", "--no-cache", big, "-o", outdir])
    print(f"  the same again with --no-cache (every file compared): {ms:.0f} ms, peak {mib(pk)}")
    ms, pk = measure([ASBGEN, "diff", big, "-o", outdir])
    print(f"  diff 10,000 users against that folder (no change): {ms:.0f} ms, peak {mib(pk)} "
          f"[goal: 300 ms, 80 MiB]")
    subprocess.run(["rm", "-rf", os.path.join(TMP, "fresh"), os.path.join(TMP, "copies")], check=True)
    many = os.path.join(TMP, "many")
    os.makedirs(many, exist_ok=True)
    base = open(os.path.join(ROOT, "environments/minimal.yaml")).read()
    specs = []
    for i in range(1000):
        p = os.path.join(many, f"env-{i:04d}.yaml")
        with open(p, "w") as f:
            f.write(re.sub(r"(?m)^name: .*$", f"name: env-{i:04d}", base, count=1))
            f.write("topics:\n")
            for t in range(5):
                f.write(f"  - {{name: topic-{t}, partitions: {t + 1}}}\n")
            f.write("users:\n")
            for u in range(10):
                f.write(f"  - {{name: user-{u}, topics: [topic-{u % 5}]}}\n")
        specs.append(p)
    ms, pk = measure([ASBGEN, "validate"] + specs)
    print(f"  validate 1,000 environment files (5 topics, 10 users each) in one process, "
          f"{os.cpu_count()} CPUs: {ms:.0f} ms ({ms / 1000:.2f} ms each), peak {mib(pk)} [goal: 250 ms]")
    ms, pk = measure([ASBGEN, "validate", "-j", "1"] + specs)
    print(f"  the same with -j 1 (one thread): {ms:.0f} ms ({ms / 1000:.2f} ms each), peak {mib(pk)}")


main()
