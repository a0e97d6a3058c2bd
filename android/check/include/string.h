/* See assert.h beside this file: the libc functions ring's C calls. */
#ifndef SPSE_CHECK_STRING_H
#define SPSE_CHECK_STRING_H
#include <stddef.h>
void *memcpy(void *destination, const void *source, size_t size);
void *memmove(void *destination, const void *source, size_t size);
void *memset(void *destination, int value, size_t size);
int memcmp(const void *left, const void *right, size_t size);
#endif
