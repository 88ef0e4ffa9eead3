/* spawn.c - run a program and collect its output (see spawn.h). */
#include "spawn.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read both pipes until both close or something goes wrong. */
static enum spawn_result drain(struct spawn_run *r, int fo, int fe)
{
	size_t cap = 0, elen = 0;
	struct pollfd p[2] = { { fo, POLLIN, 0 }, { fe, POLLIN, 0 } };
	int open_fds = 2;
	long long deadline = r->timeout_ms > 0 ? now_ms() + r->timeout_ms : 0;
	char tmp[8192];
	while (open_fds) {
		int wait = -1;
		if (deadline) {
			long long left = deadline - now_ms();
			if (left <= 0)
				return SPAWN_TIMEOUT;
			wait = left > 1000000 ? 1000000 : (int)left;
		}
		int n = poll(p, 2, wait);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return SPAWN_IO;
		}
		for (int k = 0; k < 2 && n > 0; k++) {
			if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(p[k].fd, tmp, sizeof tmp);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				p[k].fd = -1;
				open_fds--;
				continue;
			}
			if (k == 0) {
				if (r->out_len + (size_t)got > r->max_out)
					return SPAWN_TOO_LONG;
				if (r->out_len + (size_t)got + 1 > cap) {
					cap = (r->out_len + (size_t)got + 1) * 2;
					r->out = xrealloc(r->out, cap);
				}
				memcpy(r->out + r->out_len, tmp, (size_t)got);
				r->out_len += (size_t)got;
				r->out[r->out_len] = '\0';
			} else if (r->err && elen + 1 < r->errcap) {
				size_t m = (size_t)got < r->errcap - 1 - elen ? (size_t)got : r->errcap - 1 - elen;
				memcpy(r->err + elen, tmp, m);
				elen += m;
				r->err[elen] = '\0';
			}
		}
	}
	return SPAWN_OK;
}

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/* Can argv[0] be run: errno-style 0, ENOENT or EACCES.  posix_spawnp
 * says so itself with glibc, but not where vfork is a fork (under
 * valgrind, the child just exits 127), so look first, as execvp would. */
static int findable(const char *cmd)
{
	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0 ? 0 : errno;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/bin:/bin";
	int why = ENOENT;
	char buf[4096];
	for (const char *p = path;;) {
		size_t n = strcspn(p, ":");
		int len = snprintf(buf, sizeof buf, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
		if (len > 0 && (size_t)len < sizeof buf) {
			if (access(buf, X_OK) == 0)
				return 0;
			if (errno == EACCES)
				why = EACCES;
		}
		if (!p[n])
			return why;
		p += n + 1;
	}
}

enum spawn_result spawn_capture(struct spawn_run *r)
{
	r->out = NULL;
	r->out_len = 0;
	r->status = 0;
	r->spawn_errno = 0;
	if (r->err && r->errcap)
		r->err[0] = '\0';
	if ((r->spawn_errno = findable(r->argv[0])) != 0)
		return SPAWN_NOT_STARTED;
	int po[2], pe[2];
	if (pipe(po) != 0)
		return SPAWN_IO;
	if (pipe(pe) != 0) {
		int e = errno;
		close(po[0]);
		close(po[1]);
		errno = e;
		return SPAWN_IO;
	}
	/* No other child of asbgen's may hold these ends open. */
	int fds[4] = { po[0], po[1], pe[0], pe[1] };
	for (int i = 0; i < 4; i++)
		(void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0 && (rc = posix_spawnattr_init(&at)) != 0)
		posix_spawn_file_actions_destroy(&fa);
	if (rc == 0) {
		/* Each step fails only for lack of memory: stop at the first.
		 * dup2 clears O_CLOEXEC on the child's 1 and 2.  A process
		 * group of its own, so that a kill reaches what it started
		 * (a plugin that is a shell script around another program). */
		if ((rc = posix_spawn_file_actions_adddup2(&fa, po[1], 1)) == 0 &&
		    (rc = posix_spawn_file_actions_adddup2(&fa, pe[1], 2)) == 0 &&
		    (rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
		    (rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP)) == 0 &&
		    (rc = posix_spawnattr_setpgroup(&at, 0)) == 0)
			rc = posix_spawnp(&pid, r->argv[0], &fa, &at, r->argv, r->envp ? r->envp : environ);
		posix_spawn_file_actions_destroy(&fa);
		posix_spawnattr_destroy(&at);
	}
	close(po[1]);
	close(pe[1]);
	if (rc != 0) {
		close(po[0]);
		close(pe[0]);
		r->spawn_errno = rc;
		return SPAWN_NOT_STARTED;
	}
	enum spawn_result res = drain(r, po[0], pe[0]);
	int e = errno;
	close(po[0]);
	close(pe[0]);
	if (res != SPAWN_OK)
		kill(-pid, SIGKILL);
	reap(pid, &r->status);
	if (res != SPAWN_OK) {
		free(r->out);
		r->out = NULL;
		r->out_len = 0;
		errno = e;
		return res;
	}
	if (!r->out) {
		r->out = xmalloc(1);
		r->out[0] = '\0';
	}
	return SPAWN_OK;
}
