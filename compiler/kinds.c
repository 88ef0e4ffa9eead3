/* kinds.c - the kinds of output (see kinds.h). */
#include "kinds.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Bit i is names[i]; KIND_KUBERNETES is bit 0. */
static const char *const names[] = { "kubernetes", "helm", "terraform", "clients" };
#define NKINDS (sizeof names / sizeof names[0])

const char kinds_list[] = "kubernetes, helm, terraform, clients";

bool kinds_parse(const char *cmd, const char *arg, kind_set *set)
{
	*set = 0;
	for (const char *p = arg;; p++) {
		size_t n = strcspn(p, ",");
		size_t k = 0;
		while (k < NKINDS && !(strlen(names[k]) == n && !strncmp(p, names[k], n)))
			k++;
		if (k == NKINDS) {
			const char *near = suggest_closest(p, n, names, NKINDS);
			fprintf(stderr, "asbgen %s: --only: '%.*s' is not a kind of output (%s)", cmd, (int)n, p,
				kinds_list);
			if (near)
				fprintf(stderr, "; did you mean '%s'?", near);
			fputc('\n', stderr);
			return false;
		}
		*set |= 1u << k;
		p += n;
		if (!*p)
			return true;
	}
}

bool kinds_match(kind_set set, const char *rel)
{
	if (!set)
		return true;
	if (!rel)
		return set & KIND_KUBERNETES;
	size_t n = strcspn(rel, "/");
	if (!rel[n])
		return false; /* at the top: no kind */
	for (size_t k = 0; k < NKINDS; k++)
		if (strlen(names[k]) == n && !strncmp(rel, names[k], n))
			return set & (1u << k);
	return false;
}

bool kinds_is_kustomization(const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	return !strcmp(base, "kustomization.yaml") || !strcmp(base, "kustomization.yml") ||
	       !strcmp(base, "Kustomization");
}
