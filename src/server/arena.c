/*
 * arena.c - Per-request bump allocator.
 *
 * Design: a chain of blocks taken from the ctx allocator; allocation bumps
 * a pointer in the newest block, and gn__arena_cleanup frees the chain in
 * one sweep when the response has been sent, so handlers never free
 * individual strings. Blocks grow geometrically (4 KiB first).
 * Invariant: total <= limit; a request that needs more fails with
 * GN_ELIMIT instead of exhausting the server.
 * Threads: an arena belongs to one request, hence to one thread.
 */
#include <string.h>

#include "server/srv.h"
#include "util/internal.h"

struct gn__arena_block {
  gn__arena_block *next;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
};

void gn__arena_init(gn__arena *a, gn_ctx *ctx, size_t limit) {
  a->ctx = ctx;
  a->head = NULL;
  a->total = 0;
  a->limit = limit;
}

static gn__arena_block *arena_block_new(gn__arena *a, size_t need) {
  size_t cap = a->head ? a->head->cap * 2 : 4096;
  while (cap < need) cap *= 2;
  gn__arena_block *b = gn_malloc(a->ctx, sizeof(*b) + cap);
  if (!b) return NULL;
  b->next = a->head;
  b->cap = cap;
  b->used = 0;
  a->head = b;
  return b;
}

void *gn__arena_alloc(gn__arena *a, size_t n) {
  n = (n + 15u) & ~(size_t)15u;
  if (n == 0 || n > a->limit - a->total) {
    gn__fail(a->ctx, GN_ELIMIT, "request needs more than %zu bytes of memory",
             a->limit);
    return NULL;
  }
  gn__arena_block *b = a->head;
  if (!b || b->cap - b->used < n) b = arena_block_new(a, n);
  if (!b) {
    gn__fail(a->ctx, GN_ENOMEM, "out of memory in request arena");
    return NULL;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->total += n;
  return p;
}

char *gn__arena_strndup(gn__arena *a, const char *s, size_t n) {
  char *d = gn__arena_alloc(a, n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void gn__arena_cleanup(gn__arena *a) {
  gn__arena_block *b = a->head;
  while (b) {
    gn__arena_block *next = b->next;
    gn_free(a->ctx, b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}
