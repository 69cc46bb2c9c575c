/*
 * ctx.c - The library context: allocator and first-error-wins message.
 * Invariant: errmsg is always NUL-terminated; errcode == GN_OK iff no
 * failure was recorded since the last clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/ctx.h"
#include "util/internal.h"

struct gn_ctx {
  gn_realloc_fn realloc_fn;
  void *ud;
  gn_status errcode;
  gn_lang lang;
  char errmsg[512];
};

static void *std_realloc(void *ud, void *ptr, size_t size) {
  (void)ud;
  if (size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, size);
}

gn_status gn_ctx_create_with(gn_realloc_fn fn, void *ud, gn_ctx **out) {
  *out = NULL;
  gn_ctx *ctx = fn(ud, NULL, sizeof(*ctx));
  if (!ctx) return GN_ENOMEM;
  memset(ctx, 0, sizeof(*ctx));
  ctx->realloc_fn = fn;
  ctx->ud = ud;
  *out = ctx;
  return GN_OK;
}

gn_status gn__ctx_sibling(gn_ctx *ctx, gn_ctx **out) {
  gn_status st = gn_ctx_create_with(ctx->realloc_fn, ctx->ud, out);
  if (st == GN_OK) (*out)->lang = ctx->lang;
  return st;
}

gn_status gn_ctx_create(gn_ctx **out) {
  return gn_ctx_create_with(std_realloc, NULL, out);
}

void gn_ctx_free(gn_ctx *ctx) {
  if (!ctx) return;
  ctx->realloc_fn(ctx->ud, ctx, 0);
}

const char *gn_ctx_errmsg(const gn_ctx *ctx) { return ctx->errmsg; }
void gn_ctx_set_lang(gn_ctx *ctx, gn_lang lang) {
  ctx->lang = lang == GN_LANG_FR ? GN_LANG_FR : GN_LANG_EN;
}
gn_lang gn_ctx_lang(const gn_ctx *ctx) { return ctx->lang; }
gn_status gn_ctx_errcode(const gn_ctx *ctx) { return ctx->errcode; }

void gn_ctx_clear(gn_ctx *ctx) {
  ctx->errcode = GN_OK;
  ctx->errmsg[0] = '\0';
}

void *gn_malloc(gn_ctx *ctx, size_t size) {
  if (size == 0) size = 1;
  return ctx->realloc_fn(ctx->ud, NULL, size);
}

void *gn_realloc(gn_ctx *ctx, void *ptr, size_t size) {
  if (size == 0) size = 1;
  return ctx->realloc_fn(ctx->ud, ptr, size);
}

void gn_free(gn_ctx *ctx, void *ptr) {
  if (ptr) ctx->realloc_fn(ctx->ud, ptr, 0);
}

gn_status gn__vfail(gn_ctx *ctx, gn_status s, const char *fmt, va_list ap) {
  if (ctx->errcode != GN_OK) return s; /* first message wins */
  ctx->errcode = s;
  /* the catalogue's formats have the English one's conversions (tested) */
  vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), gn_tr(ctx->lang, fmt), ap);
  return s;
}

gn_status gn__fail(gn_ctx *ctx, gn_status s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gn__vfail(ctx, s, fmt, ap);
  va_end(ap);
  return s;
}

char *gn__strdup(gn_ctx *ctx, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = gn_malloc(ctx, n);
  if (d) memcpy(d, s, n);
  return d;
}

gn_status gn__grow(gn_ctx *ctx, void **arr, size_t *cap, size_t need,
                   size_t es) {
  if (need <= *cap) return GN_OK;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / es) return gn__fail(ctx, GN_ENOMEM, "array too large");
    ncap *= 2;
  }
  void *p = gn_realloc(ctx, *arr, ncap * es);
  if (!p) return gn__fail(ctx, GN_ENOMEM, "out of memory growing an array");
  *arr = p;
  *cap = ncap;
  return GN_OK;
}
