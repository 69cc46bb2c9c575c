/* heap.c - indexed binary min-heap (see heap.h). Keys live beside their
 * items, so a sift compares neighbouring memory instead of looking each
 * key up by node id (the heap is a third of a Steiner run's time). */
#include <string.h>

#include "base/heap.h"
#include "util/internal.h"

gn_status gn__heap_init(gn_ctx *ctx, gn__heap *h, size_t cap) {
  memset(h, 0, sizeof(*h));
  h->ctx = ctx;
  h->cap = cap;
  h->ent = gn_malloc(ctx, (cap + 1) * sizeof(gn__heap_ent));
  h->pos = gn_malloc(ctx, (cap + 1) * sizeof(uint32_t));
  if (!h->ent || !h->pos) {
    gn__heap_cleanup(h);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for a heap of %zu", cap);
  }
  memset(h->pos, 0xff, (cap + 1) * sizeof(uint32_t));
  return GN_OK;
}

void gn__heap_cleanup(gn__heap *h) {
  gn_free(h->ctx, h->ent);
  gn_free(h->ctx, h->pos);
  h->ent = NULL;
  h->pos = NULL;
}

static void sift_up(gn__heap *h, size_t i, gn__heap_ent x) {
  gn__heap_ent *a = h->ent;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (a[p].key <= x.key) break;
    a[i] = a[p];
    h->pos[a[i].v] = (uint32_t)i;
    i = p;
  }
  a[i] = x;
  h->pos[x.v] = (uint32_t)i;
}

static void sift_down(gn__heap *h, size_t i, gn__heap_ent x) {
  gn__heap_ent *a = h->ent;
  size_t n = h->n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && a[c + 1].key < a[c].key) c++;
    if (a[c].key >= x.key) break;
    a[i] = a[c];
    h->pos[a[i].v] = (uint32_t)i;
    i = c;
  }
  a[i] = x;
  h->pos[x.v] = (uint32_t)i;
}

void gn__heap_update(gn__heap *h, gn_id v, double key) {
  gn__heap_ent x = {key, v};
  uint32_t p = h->pos[v];
  if (p == GN__HEAP_ABSENT)
    sift_up(h, h->n++, x);
  else if (key < h->ent[p].key)
    sift_up(h, p, x);
}

gn_id gn__heap_pop(gn__heap *h) {
  gn_id top = h->ent[0].v;
  h->pos[top] = GN__HEAP_ABSENT;
  h->n--;
  if (h->n > 0) sift_down(h, 0, h->ent[h->n]);
  return top;
}

void gn__heap_clear(gn__heap *h) {
  for (size_t i = 0; i < h->n; i++) h->pos[h->ent[i].v] = GN__HEAP_ABSENT;
  h->n = 0;
}
