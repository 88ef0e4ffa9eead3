#!/bin/sh
# suite_robust.sh - bad input that is not a spec, and all-or-nothing writes.
#
#   sh tests/suite_robust.sh     (alone; or sh tests/run.sh robust)
#
# (a) tests/robust/CASE-DIR/NAME.*: the reduced reproducers the fuzzer
#     (tests/fuzz/fuzz.py) found, one file each, whose first line is a
#     comment saying where it goes:
#       manifests/   `# manifest`: asbgen check --crds (Strimzi 0.51.0, the
#                    registry's and cert-manager's CRDs) on the file
#       against/     `# replaces: ENV PATH`: a copy of out/ENV with PATH
#                    replaced by the file, then asbgen diff environments/ENV.yaml --against COPY
#       kubeconfig/  `# kubeconfig`: asbgen diff environments/minimal.yaml --live --kubeconfig FILE
#       templates/   `# replaces: PATH`: a copy of templates/ with PATH replaced by
#                    the file, then asbgen render --stdout --templates COPY environments/idfint.yaml
#     Each must give exactly NAME.expect: "exit N", then standard error with
#     the temporary directory written TMP.  ROBUST_UPDATE=1 rewrites the
#     .expect files (read them before committing).
# (b) a render whose writing fails (a destination is a directory, in the
#     second of two environments) changes nothing: no file, no temporary,
#     no new directory; a recorded file replaced by a directory is left alone.
# (c) out/<env>/ is asbgen's alone: links planted at temporary names, a
#     linked directory (written into, pruned through, read by diff), a
#     recorded file that is a link, the environment's directory a link:
#     each refused (exit 2, naming it) with nothing changed; stale
#     temporaries listed and removed; modes under umask 000 and 077; the
#     directory lock; empty paths.
# (d) SIGKILL at sampled system calls of the write and prune phases
#     (strace fault injection), then the repair render (see below).

. "$(dirname "$0")/lib.sh"
suite suite_robust.sh

section "robust: reproducers of fuzzed input, and all-or-nothing writes"

RB=$TMP/robust
mkdir -p "$RB"

# robust_run CASE FILE: run FILE's command; stderr (TMP for $RB) to $RB/got.
robust_run() {
	kind=$1 f=$2
	head=$(head -n 1 "$f")
	rm -rf "$RB/w"
	mkdir -p "$RB/w"
	case "$kind" in
	manifests)
		"$ASBGEN" check --crds "$CONF/strimzi/0.51.0" --crds "$CONF/strimzi-registry-operator" \
			--crds "$CONF/cert-manager" "$f" >/dev/null 2>"$RB/err" </dev/null
		;;
	against)
		set -- $head
		cp -R "out/$3" "$RB/w/$3"
		cp "$f" "$RB/w/$3/$4"
		"$ASBGEN" diff "environments/$3.yaml" --against "$RB/w/$3" >/dev/null 2>"$RB/err" </dev/null
		;;
	kubeconfig)
		"$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$f" \
			--request-timeout 2s >/dev/null 2>"$RB/err" </dev/null
		;;
	templates)
		set -- $head
		cp -R templates "$RB/w/tpl"
		cp "$f" "$RB/w/tpl/$3"
		"$ASBGEN" render --stdout --templates "$RB/w/tpl" environments/idfint.yaml >/dev/null 2>"$RB/err" </dev/null
		;;
	esac
	rc=$?
	{
		echo "exit $rc"
		sed "s|$RB/w|TMP|g" "$RB/err"
	} >"$RB/got"
}

for kind in manifests against kubeconfig templates; do
	for f in tests/robust/$kind/*; do
		[ -f "$f" ] || continue
		case "$f" in *.expect) continue ;; esac
		name="robust: $f gives ${f%.*}.expect"
		robust_run "$kind" "$f"
		if [ -n "${ROBUST_UPDATE:-}" ]; then
			cp "$RB/got" "${f%.*}.expect"
		fi
		if [ ! -f "${f%.*}.expect" ]; then
			notok "$name" "no ${f%.*}.expect (ROBUST_UPDATE=1 sh tests/run.sh writes it)"
		elif d=$(diff -u "${f%.*}.expect" "$RB/got"); then
			ok "$name"
		else
			notok "$name" "$d"
		fi
	done
done

# (b) all or nothing.
O=$RB/out
"$ASBGEN" render -q -o "$O" environments/minimal.yaml environments/idfint.yaml >/dev/null 2>&1
sed 's/storageClass: standard/storageClass: fast/' environments/minimal.yaml >"$RB/minimal.yaml"
rm "$O/idfint/kubernetes/kafka.yaml"
mkdir -p "$O/idfint/kubernetes/kafka.yaml/inside"
(cd "$O" && find . | sort && find . -type f | sort | xargs cat | cksum) >"$RB/before"
"$ASBGEN" render -o "$O" "$RB/minimal.yaml" environments/idfint.yaml >"$RB/r.out" 2>"$RB/r.err"
rc=$?
(cd "$O" && find . | sort && find . -type f | sort | xargs cat | cksum) >"$RB/after"
if [ "$rc" -eq 2 ] && cmp -s "$RB/before" "$RB/after" && grep -q 'it is a directory; nothing was changed \[io\]' "$RB/r.err" &&
	grep -q 'nothing was written' "$RB/r.err" && [ ! -s "$RB/r.out" ]; then
	ok "robust: a destination that is a directory, in the second environment: exit 2, nothing written, no temporaries"
else
	notok "robust: a destination that is a directory, in the second environment: exit 2, nothing written, no temporaries" \
		"exit $rc; $(cat "$RB/r.out" "$RB/r.err"; diff "$RB/before" "$RB/after")"
fi

# A new environment whose writing fails leaves no directory behind.
O=$RB/out2
"$ASBGEN" render -q -o "$O" environments/usdfdev.yaml >/dev/null 2>&1
rm "$O/usdfdev/kubernetes/kafka.yaml"
mkdir "$O/usdfdev/kubernetes/kafka.yaml"
(cd "$O" && find . | sort) >"$RB/before"
"$ASBGEN" render -q -o "$O" environments/minimal.yaml environments/usdfdev.yaml >/dev/null 2>&1
rc=$?
(cd "$O" && find . | sort) >"$RB/after"
if [ "$rc" -eq 2 ] && cmp -s "$RB/before" "$RB/after"; then
	ok "robust: a failed write removes the temporaries and the directories it made"
else
	notok "robust: a failed write removes the temporaries and the directories it made" "exit $rc; $(diff "$RB/before" "$RB/after")"
fi

# A recorded file that is now a directory is not asbgen's: left alone.
O=$RB/out3
"$ASBGEN" render -q -o "$O" environments/idfint.yaml >/dev/null 2>&1
printf '%s\n' "clients/gone.properties" >>"$O/idfint/.asbgen-files"
mkdir -p "$O/idfint/clients/gone.properties/notes"
# render --check says what render would do: neither that directory nor the
# record (listed in itself by hand) is a stale file to remove.
printf '%s\n' ".asbgen-files" >>"$O/idfint/.asbgen-files"
"$ASBGEN" render --check -o "$O" environments/idfint.yaml >"$RB/r.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && ! grep -q '^stale' "$RB/r.out" && grep -q 'idfint/\.asbgen-files$' "$RB/r.out"; then
	ok "robust: render --check lists no directory nor the record as stale"
else
	notok "robust: render --check lists no directory nor the record as stale" "exit $rc; $(cat "$RB/r.out")"
fi
"$ASBGEN" render -q -o "$O" environments/idfint.yaml >"$RB/r.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -d "$O/idfint/clients/gone.properties/notes" ]; then
	ok "robust: a recorded file replaced by a directory is left alone"
else
	notok "robust: a recorded file replaced by a directory is left alone" "exit $rc; $(cat "$RB/r.out")"
fi

# A FIFO given as a spec is refused at once (it used to wait for a writer).
if mkfifo "$RB/spec.fifo" 2>/dev/null; then
	timeout 10 "$ASBGEN" validate "$RB/spec.fifo" >"$RB/r.out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q 'spec.fifo: error: not a regular file \[io\]' "$RB/r.out"; then
		ok "robust: validate of a FIFO: exit 2 at once, not a regular file"
	else
		notok "robust: validate of a FIFO: exit 2 at once, not a regular file" "exit $rc (124: it hung); $(cat "$RB/r.out")"
	fi
	timeout 10 "$ASBGEN" diff environments/minimal.yaml --live --kubeconfig "$RB/spec.fifo" >"$RB/r.out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q 'spec.fifo: error: cannot read kubeconfig: not a regular file \[io\]' "$RB/r.out"; then
		ok "robust: diff --live --kubeconfig FIFO: exit 2 at once, not a regular file"
	else
		notok "robust: diff --live --kubeconfig FIFO: exit 2 at once, not a regular file" "exit $rc (124: it hung); $(cat "$RB/r.out")"
	fi
	# A FIFO where an output file goes: compared without blocking, replaced.
	mkdir -p "$RB/fifo-out" && cp -R out/minimal "$RB/fifo-out/" &&
		rm "$RB/fifo-out/minimal/kubernetes/kustomization.yaml" &&
		mkfifo "$RB/fifo-out/minimal/kubernetes/kustomization.yaml"
	timeout 10 "$ASBGEN" render -q environments/minimal.yaml -o "$RB/fifo-out" >"$RB/r.out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && [ -f "$RB/fifo-out/minimal/kubernetes/kustomization.yaml" ] &&
		cmp -s out/minimal/kubernetes/kustomization.yaml "$RB/fifo-out/minimal/kubernetes/kustomization.yaml"; then
		ok "robust: render over a FIFO where an output goes: no hang, the file written"
	else
		notok "robust: render over a FIFO where an output goes" "exit $rc (124: it hung); $(cat "$RB/r.out")"
	fi
fi

# (c) out/<env>/ is asbgen's alone: no link under it is followed, when
#     writing, reading (render --check, diff) or pruning; temporaries are
#     made with O_EXCL and unpredictable names; modes 0644/0755 whatever
#     the umask; empty paths are usage errors.
L=$RB/links
mkdir -p "$L"
sed 's|192.0.2.0/24|192.0.3.0/24|' environments/minimal.yaml >"$L/minimal.yaml"
# fresh_out DIR: DIR/minimal rendered from environments/minimal.yaml.
fresh_out() {
	rm -rf "$1" && "$ASBGEN" render -q -o "$1" environments/minimal.yaml >/dev/null 2>&1
}
# tree DIR: every path with its type and mode, and the bytes of the files.
tree() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort && find . -type f | sort | xargs cat | cksum)
}

# Links planted at the temporary names: the old pattern (the next 300
# pids) and the new one (random hex, which nobody can guess).
O=$L/tmp-plant
fresh_out "$O"
printf 'precious\n' >"$L/outside"
pid=$$
for k in $(seq 1 300); do
	ln -s "$L/outside" "$O/minimal/terraform/.metallb.tfvars.asbgen-tmp.$((pid + k))"
done
ln -s "$L/outside" "$O/minimal/terraform/.metallb.tfvars.asbgen-tmp.0123456789abcdef"
"$ASBGEN" render --check -o "$O" "$L/minimal.yaml" >"$L/c.out" 2>"$L/c.err"
rc_c=$?
"$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/r.out" 2>&1
rc=$?
"$ASBGEN" render -q -o "$L/clean" "$L/minimal.yaml" >/dev/null 2>&1
if [ "$rc_c" -eq 1 ] && [ "$(grep -c '^stale .*/terraform/\.metallb\.tfvars\.asbgen-tmp\.' "$L/c.out")" -eq 301 ] &&
	[ "$rc" -eq 0 ] && [ "$(cat "$L/outside")" = precious ] && [ ! -L "$O/minimal/terraform/metallb.tfvars" ] &&
	cmp -s "$O/minimal/terraform/metallb.tfvars" "$L/clean/minimal/terraform/metallb.tfvars" &&
	[ -z "$(find "$O" -name '*.asbgen-tmp.*')" ]; then
	ok "robust: links planted at 301 temporary names: listed as stale by --check, never written through, removed; the file outside is untouched"
else
	notok "robust: links planted at temporary names are never written through" \
		"check exit $rc_c, render exit $rc; outside: $(cat "$L/outside"); $(ls -la "$O/minimal/terraform" | head -5; head -5 "$L/c.out" "$L/r.out")"
fi

# A stale temporary of a killed render (a regular file): listed, then removed.
O=$L/stale
fresh_out "$O"
printf 'half a file' >"$O/minimal/kubernetes/.kafka.yaml.asbgen-tmp.1234"
"$ASBGEN" render --check -o "$O" environments/minimal.yaml >"$L/c.out" 2>&1
rc_c=$?
"$ASBGEN" render -o "$O" environments/minimal.yaml >"$L/r.out" 2>&1
rc=$?
if [ "$rc_c" -eq 1 ] && grep -qx "stale    $O/minimal/kubernetes/.kafka.yaml.asbgen-tmp.1234" "$L/c.out" &&
	[ "$rc" -eq 0 ] && grep -qx "removed  $O/minimal/kubernetes/.kafka.yaml.asbgen-tmp.1234" "$L/r.out" &&
	[ ! -e "$O/minimal/kubernetes/.kafka.yaml.asbgen-tmp.1234" ] &&
	"$ASBGEN" render --check -q -o "$O" environments/minimal.yaml >/dev/null 2>&1; then
	ok "robust: a stale temporary: render --check lists it (exit 1), render removes it"
else
	notok "robust: a stale temporary: render --check lists it (exit 1), render removes it" \
		"check exit $rc_c, render exit $rc: $(cat "$L/c.out" "$L/r.out")"
fi

# links_refused NAME DIR LINK: render, render --check and diff of
# $L/minimal.yaml into DIR each exit 2 naming LINK (relative to DIR), and
# change nothing, outside or in DIR.
links_refused() {
	name=$1 d=$2 link=$3
	before=$(tree "$d"; tree "$L/elsewhere")
	msg="$d/$link: error: is a symbolic link; asbgen does not follow links in $d/minimal [out-symlink]"
	bad=
	for cmd in "render -q" "render --check" diff; do
		# shellcheck disable=SC2086 # the command's words
		"$ASBGEN" $cmd "$L/minimal.yaml" -o "$d" >"$L/o.out" 2>"$L/o.err"
		rc=$?
		if [ "$rc" -ne 2 ] || ! grep -qxF "$msg" "$L/o.err" || grep -q precious "$L/o.err" "$L/o.out"; then
			bad="$bad
$cmd: exit $rc: $(cat "$L/o.out" "$L/o.err")"
		fi
	done
	if [ -n "$bad" ]; then
		notok "$name" "expected exit 2 and: $msg$bad"
	elif [ "$(tree "$d"; tree "$L/elsewhere")" != "$before" ]; then
		notok "$name" "something changed"
	else
		ok "$name"
	fi
}
reset_elsewhere() {
	rm -rf "$L/elsewhere" && mkdir -p "$L/elsewhere" && printf 'precious: yes\n' >"$L/elsewhere/precious.txt" &&
		cp -R out/minimal/terraform/. "$L/elsewhere/"
}

# A recorded file below a linked directory (the record points through it).
O=$L/prune-link
reset_elsewhere
fresh_out "$O"
ln -s "$L/elsewhere" "$O/minimal/link"
echo link/precious.txt >>"$O/minimal/.asbgen-files"
links_refused "robust: a record entry through a linked directory: render, --check and diff exit 2 naming the link; nothing removed" \
	"$O" minimal/link

# A linked output directory: not written into, not read by --check or diff.
O=$L/dir-link
reset_elsewhere
fresh_out "$O"
rm -rf "$O/minimal/terraform"
ln -s "$L/elsewhere" "$O/minimal/terraform"
links_refused "robust: out/minimal/terraform a link: render, --check and diff exit 2 naming it; nothing written through it" \
	"$O" minimal/terraform

# A recorded file that is a link (diff would quote the target's lines).
O=$L/file-link
reset_elsewhere
fresh_out "$O"
rm "$O/minimal/terraform/dns.tfvars"
ln -s "$L/elsewhere/precious.txt" "$O/minimal/terraform/dns.tfvars"
links_refused "robust: a recorded file that is a link: render, --check and diff exit 2 naming it; not read, not replaced" \
	"$O" minimal/terraform/dns.tfvars
"$ASBGEN" diff "$L/minimal.yaml" --against "$O/minimal" >"$L/o.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -qxF "$O/minimal/terraform/dns.tfvars: error: is a symbolic link; asbgen does not follow links in $O/minimal [out-symlink]" "$L/o.out" &&
	! grep -q precious "$L/o.out"; then
	ok "robust: diff --against a folder with a recorded file that is a link: exit 2 naming it, not read"
else
	notok "robust: diff --against a folder with a recorded file that is a link: exit 2 naming it, not read" "exit $rc: $(cat "$L/o.out")"
fi

# The environment's directory itself a link.
O=$L/env-link
reset_elsewhere
mkdir -p "$O"
ln -s "$L/elsewhere" "$O/minimal"
before=$(tree "$L/elsewhere")
for cmd in "render -q" "render --check"; do
	# shellcheck disable=SC2086
	"$ASBGEN" $cmd "$L/minimal.yaml" -o "$O" >"$L/o.out" 2>&1
	rc=$?
	name="robust: $cmd into out/minimal that is a link: exit 2 naming it, nothing written"
	if [ "$rc" -eq 2 ] && grep -qxF "$O/minimal: error: is a symbolic link; asbgen does not follow links in $O/minimal [out-symlink]" "$L/o.out" &&
		[ "$(tree "$L/elsewhere")" = "$before" ]; then
		ok "$name"
	else
		notok "$name" "exit $rc: $(cat "$L/o.out")"
	fi
done

# Modes are 0644 and 0755 whatever the umask (022 leaves 0644 as it is,
# so files are not changed after they are made; 077 takes bits away).
for m in 000 022 077; do
	rm -rf "$L/umask"
	(umask $m && "$ASBGEN" render -q -o "$L/umask" environments/minimal.yaml environments/usdfdev.yaml) >/dev/null 2>&1
	rc=$?
	wrong=$(find "$L/umask" \( -type f ! -perm 644 \) -o \( -type d ! -perm 755 \) | head -5)
	if [ "$rc" -eq 0 ] && [ -z "$wrong" ] && [ -f "$L/umask/usdfdev/.asbgen-files" ]; then
		ok "robust: umask $m: files 0644, directories 0755"
	else
		notok "robust: umask $m: files 0644, directories 0755" "exit $rc; $(ls -ld $wrong)"
	fi
done

# Two renders into one directory at once: the second stops.
if command -v flock >/dev/null 2>&1; then
	O=$L/locked
	fresh_out "$O"
	before=$(tree "$O")
	flock "$O/minimal" "$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/o.out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qxF "$O/minimal: error: another asbgen render is writing here; nothing was changed [io]" "$L/o.out" &&
		[ "$(tree "$O")" = "$before" ]; then
		ok "robust: a render while another holds the directory's lock: exit 2, nothing changed"
	else
		notok "robust: a render while another holds the directory's lock: exit 2, nothing changed" "exit $rc: $(cat "$L/o.out")"
	fi
fi

# A fresh folder is made under a stand-in name and renamed into place
# whole.  When the rename finds the folder there (another render made it
# meanwhile: injected), the render stops and leaves nothing of its own; a
# stand-in a killed render left is removed by the next render, but not one
# another render holds locked.
if command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	O=$L/stage
	rm -rf "$O" && mkdir -p "$O"
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace=renameat2 -e inject=renameat2:error=EEXIST \
		"$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/o.out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qxF "$O/minimal: error: cannot put the new folder in place: File exists; nothing was changed [io]" "$L/o.out" &&
		[ -z "$(ls -A "$O")" ]; then
		ok "robust: a fresh folder made meanwhile by another render: exit 2, nothing left"
	else
		notok "robust: a fresh folder made meanwhile by another render: exit 2, nothing left" "exit $rc: $(cat "$L/o.out"; ls -A "$O")"
	fi
	# A file system without RENAME_NOREPLACE (EINVAL): a plain rename.
	rm -rf "$O" && mkdir -p "$O"
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace=renameat2 -e inject=renameat2:error=EINVAL \
		"$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/o.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(ls -A "$O")" = minimal ] && [ -f "$O/minimal/.asbgen-files" ]; then
		ok "robust: a fresh folder on a file system without RENAME_NOREPLACE: renamed into place"
	else
		notok "robust: a fresh folder on a file system without RENAME_NOREPLACE: renamed into place" "exit $rc: $(cat "$L/o.out"; ls -A "$O")"
	fi
fi
O=$L/stage2
rm -rf "$O" && mkdir -p "$O/.minimal.asbgen-tmp.0123456789abcdef/kubernetes" "$O/.minimal.asbgen-tmp.fedcba9876543210"
echo x >"$O/.minimal.asbgen-tmp.0123456789abcdef/kubernetes/kafka.yaml"
ln -s "$L/minimal.yaml" "$O/.minimal.asbgen-tmp.0123456789abcdef/link"
if command -v flock >/dev/null 2>&1; then
	flock "$O/.minimal.asbgen-tmp.fedcba9876543210" "$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/o.out" 2>&1
else
	"$ASBGEN" render -q -o "$O" "$L/minimal.yaml" >"$L/o.out" 2>&1
fi
rc=$?
if [ "$rc" -eq 0 ] && [ ! -e "$O/.minimal.asbgen-tmp.0123456789abcdef" ] && [ -f "$L/minimal.yaml" ] &&
	[ -f "$O/minimal/.asbgen-files" ] && { ! command -v flock >/dev/null 2>&1 || [ -d "$O/.minimal.asbgen-tmp.fedcba9876543210" ]; }; then
	ok "robust: a stand-in a killed render left is removed (its link not followed), a locked one kept"
else
	notok "robust: a stand-in a killed render left is removed (its link not followed), a locked one kept" "exit $rc: $(cat "$L/o.out"; ls -A "$O")"
fi

# Empty paths are usage errors (-o "" wrote to /<env>/).
# empty_path ARGS...: asbgen ARGS exits 2 with the message.
empty_path() {
	"$ASBGEN" "$@" >"$L/o.out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q 'needs a \(directory\|path\), not an empty string$' "$L/o.out"; then
		ok "robust: asbgen $*: an empty path is a usage error (exit 2)"
	else
		notok "robust: asbgen $*: an empty path is a usage error (exit 2)" "exit $rc: $(head -3 "$L/o.out")"
	fi
}
empty_path render -o "" environments/minimal.yaml
empty_path render --output= environments/minimal.yaml
empty_path render --templates "" environments/minimal.yaml
empty_path diff environments/minimal.yaml -o ""
empty_path diff environments/minimal.yaml --against ""
empty_path diff environments/minimal.yaml --templates=
empty_path diff environments/minimal.yaml --live --kubeconfig ""

# (d) A render killed at a system call of its write and prune phases
#     (strace fault injection: SIGKILL at the Nth call of a kind) leaves a
#     state that render --check describes truly (exit 0 only if out/ is the
#     clean render) and that the next render repairs completely: out/ byte
#     for byte a clean render, no temporary, modes 0644/0755.  The change:
#     a user added (a new file and a new directory, clients/), one removed
#     (pruned), files changed; then back (a directory pruned).  For each
#     kind, KILL_SAMPLES calls spread over the phase (first and last among
#     them): about 30 kill points, each with four renders.  And a fresh
#     folder (from E, empty: nothing there yet), which is made whole
#     under another name: killed, it is not there at all or complete.
K=$RB/kill
mkdir -p "$K/a" "$K/b" "$K/E"
{ cat environments/minimal.yaml; printf 'users:\n  - {name: bob, topics: ["*"]}\n  - {name: dave, topics: ["*"]}\n'; } >"$K/a/minimal.yaml"
{ sed 's|192.0.2.0/24|192.0.3.0/24|' environments/minimal.yaml
  printf 'users:\n  - {name: carol, topics: ["*"]}\n  - {name: dave, topics: ["*"]}\n'
  printf 'external:\n  bootstrap: {host: kafka.example.org}\n'; } >"$K/b/minimal.yaml"
"$ASBGEN" render -q -o "$K/A" "$K/a/minimal.yaml" >/dev/null 2>&1
"$ASBGEN" render -q -o "$K/B" "$K/b/minimal.yaml" >/dev/null 2>&1
KILL_KINDS="openat newfstatat flock getrandom write fchmod close mkdirat syncfs renameat unlinkat getdents64"
KILL_SAMPLES=${KILL_SAMPLES:-2}
kill_name="robust: SIGKILL at system calls of render's write and prune phases, then a render: out/ as a clean render, nothing left"
if ! command -v strace >/dev/null 2>&1 || ! strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	notok "$kill_name" "strace is not installed, or cannot trace here (sh tests/deps.sh installs it)"
else
	kill_points=0 leftovers=0 kbad=
	# A to B: every kind; B to A (the removal of a directory): the kinds of
	# pruning and renaming.
	for change in "A b B $KILL_KINDS" "B a A openat write renameat unlinkat getdents64" \
		"E a A openat flock getrandom write close mkdirat syncfs renameat getdents64"; do
		set -- $change
		from=$K/$1 spec=$K/$2/minimal.yaml clean=$K/$3
		shift 3
		kinds=$*
		rm -rf "$K/w" && cp -R "$from" "$K/w"
		# Which calls of each kind the write and prune phases make: those
		# from the opening of the output directory on.  --no-cache: a note
		# (render_cache.h) from an earlier run would add the calls that
		# check it, and the counts would differ from run to run.
		(cd "$K" && ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$K/trace" -e trace="$(echo $KILL_KINDS | tr ' ' ,)" \
			"$ASBGEN" render -q --no-cache -o w "$spec") >/dev/null 2>&1
		awk -v kinds="$kinds" -v want="$KILL_SAMPLES" '
			{ name = $2; sub(/\(.*/, "", name); c[name]++ }
			!on && /openat\(AT_FDCWD, "w[\/"]/ { on = 1 }
			on { if (!(name in first)) first[name] = c[name]; last[name] = c[name] }
			END {
				n = split(kinds, k, " ")
				for (i = 1; i <= n; i++) {
					x = k[i]
					if (!(x in first)) continue
					m = last[x] - first[x] + 1; s = m < want ? m : want
					for (j = 0; j < s; j++)
						print x, (s > 1 ? first[x] + int(j * (m - 1) / (s - 1)) : first[x])
				}
			}' "$K/trace" | sort -u >"$K/points"
		while read -r kind n; do
			rm -rf "$K/w" && cp -R "$from" "$K/w"
			# (the status through a file: the shell would print "Killed")
			(cd "$K" && ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace="$kind" \
				-e inject="$kind:signal=KILL:when=$n" "$ASBGEN" render -q --no-cache -o w "$spec"
			echo $? >"$K/rc") >/dev/null 2>&1
			rc=$(cat "$K/rc")
			if [ "$rc" -ne 137 ]; then
				kbad="$kbad
$1->$3 $kind #$n: not killed (exit $rc)"
				continue
			fi
			kill_points=$((kill_points + 1))
			if [ "$1" = E ] && [ -e "$K/w/minimal" ] && ! diff -r "$K/w/minimal" "$clean/minimal" >/dev/null 2>&1; then
				kbad="$kbad
$1->$3 $kind #$n: killed, the fresh folder is there but not complete"
			fi
			"$ASBGEN" render --check -o "$K/w" "$spec" >/dev/null 2>&1
			rc_c=$?
			same=1
			diff -r "$K/w" "$clean" >/dev/null 2>&1 && same=0
			[ "$rc_c" -eq "$same" ] || kbad="$kbad
$1->$3 $kind #$n: killed, render --check exits $rc_c, but out/ $([ $same -eq 0 ] && echo is || echo is not) the clean render"
			"$ASBGEN" render -q -o "$K/w" "$spec" >"$K/r.out" 2>&1 || kbad="$kbad
$1->$3 $kind #$n: the repair render failed: $(cat "$K/r.out")"
			"$ASBGEN" render --check -o "$K/w" "$spec" >"$K/r.out" 2>&1 || kbad="$kbad
$1->$3 $kind #$n: render --check after the repair: $(cat "$K/r.out")"
			{
				diff -rq "$K/w" "$clean"
				find "$K/w" -name '*.asbgen-tmp.*' -o \( -type f ! -perm 644 \) -o \( -type d ! -perm 755 \)
			} >"$K/left" 2>&1
			left=$(sort -u "$K/left" | wc -l)
			[ "$left" -eq 0 ] || kbad="$kbad
$1->$3 $kind #$n: left after the repair: $(sort -u "$K/left" | head -5)"
			leftovers=$((leftovers + left))
		done <"$K/points"
	done
	if [ -z "$kbad" ] && [ "$kill_points" -ge 20 ]; then
		ok "$kill_name ($kill_points kill points, $leftovers left)"
	else
		notok "$kill_name" "$kill_points kill points, $leftovers left$kbad"
	fi
fi
