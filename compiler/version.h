/* version.h - the asbgen release, and comparing dotted versions. */
#ifndef ASBGEN_VERSION_H
#define ASBGEN_VERSION_H
#define ASBGEN_VERSION "0.1.0"

/* Compare dotted decimal versions numerically ("4.10.0" > "4.9.1"; missing
 * trailing components are zeros, so "1.0" == "1.0.0"): -1, 0 or 1, or
 * VERSION_INVALID when either is not digits separated by single dots. */
#define VERSION_INVALID (-2)
int version_cmp(const char *a, const char *b);

#endif
