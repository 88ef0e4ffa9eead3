/* version.h - the asbgen release. */
#ifndef ASBGEN_VERSION_H
#define ASBGEN_VERSION_H
#define ASBGEN_VERSION "0.1.0"
#endif
