/* tmpl_image.h - compiled templates as relocatable images.
 *
 * embedgen compiles each built-in template at build time and lays its
 * compiled tree (tnodes, sites, expressions, the value nodes they point
 * to, their strings) out in one block of bytes, each pointer written as an
 * offset into the block and listed in a relocation table.  Loading copies
 * the block into the compilation's arena and adds the copy's address to
 * each listed pointer: a start-up neither parses nor compiles a built-in
 * template, and what it gets is its own (evaluation writes its caches).
 *
 * The block holds the structs as this build lays them out: embedgen and
 * asbgen are built from the same headers by the same compiler, and
 * tmpl_image_layout() says so at run time.
 */
#ifndef ASBGEN_TMPL_IMAGE_H
#define ASBGEN_TMPL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct tnode;

/* A relocation: the byte offset of a pointer in the block, shifted left
 * by one, and the kind in bit 0. */
#define TMPL_RELOC_PTR 0u  /* the pointer holds an offset into the block */
#define TMPL_RELOC_FILE 1u /* a mark's file: the path the template is loaded from */

struct tmpl_image {
	const unsigned char *bytes; /* the root tnode first */
	uint32_t size;
	const uint32_t *relocs;
	uint32_t nrelocs;
	uint32_t layout;            /* tmpl_image_layout() of the build that laid it out */
};

/* A number that changes with any layout the block bakes in. */
uint32_t tmpl_image_layout(void);

/* Lay root's tree out (embedgen): bytes into *bytes, relocations into
 * *relocs (heap, *nrelocs of them).  Deterministic: the same tree gives
 * the same bytes.  false when a mark names a file other than `file` (the
 * template's): the loader could not name it. */
bool tmpl_image_build(const struct tnode *root, const char *file, struct buf *bytes, uint32_t **relocs,
		      size_t *nrelocs);

/* A copy of the image's tree in a, its marks naming file.  NULL when the
 * image was laid out by a build of another layout. */
struct tnode *tmpl_image_load(struct arena *a, const struct tmpl_image *im, const char *file);

#endif
