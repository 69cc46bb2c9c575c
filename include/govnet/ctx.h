/*
 * ctx.h - The library context: allocator, error message, limits.
 *
 * libgovnet has no mutable globals. Everything a call needs beyond its
 * arguments lives in a gn_ctx, passed explicitly; objects remember the ctx
 * they were created with. Use one gn_ctx per thread at a time.
 *
 * Errors: a failing call returns a gn_status and records a one-line
 * message on the ctx. gn_ctx_errmsg() returns it; the pointer is internal
 * storage, valid until the next call that uses this ctx. The first message
 * recorded during a public call wins; each public entry point clears it.
 */
#ifndef GOVNET_CTX_H
#define GOVNET_CTX_H

#include <stddef.h>

#include "govnet/export.h"
#include "govnet/status.h"

typedef struct gn_ctx gn_ctx;

/* Allocator hooks, like lua_Alloc: realloc semantics; size 0 frees.
 * Must return NULL on failure (the library then returns GN_ENOMEM). */
typedef void *(*gn_realloc_fn)(void *ud, void *ptr, size_t size);

/* Create a context with the C library allocator. Caller frees with
 * gn_ctx_free(). Returns GN_OK or GN_ENOMEM (*out is NULL). Since 0.1. */
GN_API gn_status gn_ctx_create(gn_ctx **out);

/* Create a context with a custom allocator (fn must not be NULL). Since 0.1. */
GN_API gn_status gn_ctx_create_with(gn_realloc_fn fn, void *ud, gn_ctx **out);

/* Free a context. NULL is a harmless no-op. Since 0.1. */
GN_API void gn_ctx_free(gn_ctx *ctx);

/* Message of the last failure, or "" if none. Borrowed: valid until the
 * next call on ctx. Since 0.1. */
GN_API const char *gn_ctx_errmsg(const gn_ctx *ctx);

/* Status of the last failure, GN_OK if none. Since 0.1. */
GN_API gn_status gn_ctx_errcode(const gn_ctx *ctx);

/* Clear the recorded error. Since 0.1. */
GN_API void gn_ctx_clear(gn_ctx *ctx);

/* Allocate through the ctx allocator (for clients that hand buffers to
 * the library with _take_ functions). NULL on failure. Since 0.1. */
GN_API void *gn_malloc(gn_ctx *ctx, size_t size);
GN_API void *gn_realloc(gn_ctx *ctx, void *ptr, size_t size);
GN_API void gn_free(gn_ctx *ctx, void *ptr);

#endif
