/* version.c - comparing dotted versions (see version.h). */
#include "version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int version_cmp(const char *x, const char *y)
{
	while (*x || *y) {
		if (!isdigit((unsigned char)*x) || !isdigit((unsigned char)*y))
			return VERSION_INVALID;
		char *ex, *ey;
		unsigned long a = strtoul(x, &ex, 10), b = strtoul(y, &ey, 10);
		if (a != b)
			return a < b ? -1 : 1;
		x = ex;
		y = ey;
		if (*x == '.')
			x++;
		else if (*x)
			return VERSION_INVALID;
		if (*y == '.')
			y++;
		else if (*y)
			return VERSION_INVALID;
		if (!*x && *y)
			return strspn(y, "0.") == strlen(y) ? 0 : -1;
		if (*x && !*y)
			return strspn(x, "0.") == strlen(x) ? 0 : 1;
	}
	return 0;
}
