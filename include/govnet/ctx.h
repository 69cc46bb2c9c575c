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

/* Language of the messages recorded on a ctx. */
typedef enum gn_lang { GN_LANG_EN = 0, GN_LANG_FR = 1 } gn_lang;

/* Messages recorded on ctx from now on are in lang: those the message
 * catalogue holds (src/base/messages_fr.inc) are translated, the others
 * stay English. New contexts speak English. Since 0.6. */
GN_API void gn_ctx_set_lang(gn_ctx *ctx, gn_lang lang);
GN_API gn_lang gn_ctx_lang(const gn_ctx *ctx);

/* A language from a name or a POSIX locale: "fr", "FR", "fr_FR.UTF-8",
 * "fr_CA" give French; "en", "en_GB.UTF-8", "C", "POSIX", "C.UTF-8"
 * English. Returns 0, or -1 (and *out untouched) for anything else,
 * NULL or "". Since 0.6. */
GN_API int gn_lang_parse(const char *s, gn_lang *out);

/* The catalogue's translation of the English printf format fmt, with the
 * same conversions in the same order, or fmt itself when the catalogue
 * has none (or lang is English). Borrowed: static storage. Since 0.6. */
GN_API const char *gn_tr(gn_lang lang, const char *fmt);

/* Allocate through the ctx allocator (for clients that hand buffers to
 * the library with _take_ functions). NULL on failure. Since 0.1. */
GN_API void *gn_malloc(gn_ctx *ctx, size_t size);
GN_API void *gn_realloc(gn_ctx *ctx, void *ptr, size_t size);
GN_API void gn_free(gn_ctx *ctx, void *ptr);

#endif
