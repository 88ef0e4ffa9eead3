/* spawn.h - run a program without a shell and collect what it prints.
 *
 * For the helpers asbgen runs (git for diff --base, a kubeconfig's exec
 * credential plugin): argv as given (argv[0] looked up on PATH when it
 * has no '/'), stdin /dev/null so nothing can prompt, stdout collected in
 * full up to a limit, the first bytes of stderr kept (or none), both
 * pipes read together so a chatty child cannot block on the one not
 * being read.  An optional deadline kills the child (SIGKILL) when it
 * passes.
 */
#ifndef ASBGEN_SPAWN_H
#define ASBGEN_SPAWN_H

#include <stddef.h>

struct spawn_run {
	/* in */
	char *const *argv;
	char *const *envp;  /* NULL: asbgen's own environment */
	size_t max_out;     /* stdout longer than this is an error (SPAWN_TOO_LONG) */
	char *err;          /* the first errcap-1 bytes of stderr, NUL-terminated; NULL: discarded */
	size_t errcap;
	int timeout_ms;     /* 0: none */
	/* out */
	char *out;          /* stdout, NUL-terminated, malloc'd (caller frees); NULL on failure */
	size_t out_len;
	int status;         /* waitpid status when the child ran */
	int spawn_errno;    /* posix_spawn's error when it could not start (ENOENT: not found) */
};

enum spawn_result {
	SPAWN_OK,        /* it ran and ended: look at status */
	SPAWN_NOT_STARTED, /* spawn_errno says why */
	SPAWN_TOO_LONG,  /* stdout passed max_out: the child was killed */
	SPAWN_TIMEOUT,   /* the deadline passed: the child was killed */
	SPAWN_IO,        /* a pipe could not be made or read (errno) */
};

enum spawn_result spawn_capture(struct spawn_run *r);

#endif
