/* test_spawn.c - running a helper program: output, stderr, limits,
 * deadline, a command that does not exist. */
#include "spawn.h"
#include "unit.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static long long ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum spawn_result sh(const char *script, struct spawn_run *r, size_t max, int timeout_ms, char *err,
			    size_t errcap)
{
	static char *argv[4] = { "sh", "-c", NULL, NULL };
	argv[2] = (char *)script;
	*r = (struct spawn_run){ .argv = argv, .max_out = max, .err = err, .errcap = errcap, .timeout_ms = timeout_ms };
	return spawn_capture(r);
}

int main(void)
{
	struct spawn_run r;
	char err[8];
	CHECK("spawn: stdout collected, the first bytes of stderr kept",
	      sh("printf out; printf 'a long message' >&2; exit 4", &r, 100, 0, err, sizeof err) == SPAWN_OK &&
		      r.out_len == 3 && !strcmp(r.out, "out") && !strcmp(err, "a long ") &&
		      WIFEXITED(r.status) && WEXITSTATUS(r.status) == 4);
	free(r.out);
	CHECK("spawn: stdin is /dev/null (a prompt reads end of file at once)",
	      sh("read x || printf eof", &r, 100, 2000, NULL, 0) == SPAWN_OK && !strcmp(r.out, "eof"));
	free(r.out);
	CHECK("spawn: output longer than the limit: the child is stopped",
	      sh("yes", &r, 1 << 16, 0, NULL, 0) == SPAWN_TOO_LONG && r.out == NULL);
	long long t0 = ms();
	CHECK("spawn: the deadline stops a child that never answers",
	      sh("sleep 30", &r, 100, 200, NULL, 0) == SPAWN_TIMEOUT && r.out == NULL && ms() - t0 < 10000);
	char *none[] = { "no-such-program-asbgen", NULL };
	r = (struct spawn_run){ .argv = none, .max_out = 100 };
	CHECK("spawn: a program not on PATH is not started (ENOENT)",
	      spawn_capture(&r) == SPAWN_NOT_STARTED && r.spawn_errno == ENOENT);
	return UNIT_DONE();
}
