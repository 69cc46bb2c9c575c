/*
 * internal.h - Helpers shared by libgovnet modules (not API).
 *
 * gn__fail records the first error message of a call on the ctx and
 * returns the status, so failure sites read `return gn__fail(...)`.
 * GN__VEC is a typed growable array allocated through the ctx allocator.
 */
#ifndef GOVNET_INTERNAL_H
#define GOVNET_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"

#if defined(__GNUC__)
#define GN__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GN__PRINTF(a, b)
#endif

gn_status gn__fail(gn_ctx *ctx, gn_status s, const char *fmt, ...)
    GN__PRINTF(3, 4);
gn_status gn__vfail(gn_ctx *ctx, gn_status s, const char *fmt, va_list ap);

/* Copy of s through the ctx allocator (NULL in, NULL out). */
char *gn__strdup(gn_ctx *ctx, const char *s);

/* Grow *arr (element size es) to hold at least need elements; doubles. */
/* A new context with ctx's allocator, for a worker thread (contexts are
 * one per thread; the allocator must then be thread-safe, as the default
 * one is). Free with gn_ctx_free(). */
gn_status gn__ctx_sibling(gn_ctx *ctx, gn_ctx **out);

gn_status gn__grow(gn_ctx *ctx, void **arr, size_t *cap, size_t need,
                   size_t es);

#define GN__GROW(ctx, arr, cap, need) \
  gn__grow((ctx), (void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
