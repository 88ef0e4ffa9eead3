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
