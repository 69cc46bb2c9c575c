/* heap.c - indexed binary min-heap (see heap.h). */
#include <string.h>

#include "base/heap.h"
#include "util/internal.h"

gn_status gn__heap_init(gn_ctx *ctx, gn__heap *h, size_t cap) {
  memset(h, 0, sizeof(*h));
  h->ctx = ctx;
  h->cap = cap;
  h->items = gn_malloc(ctx, (cap + 1) * sizeof(gn_id));
  h->key = gn_malloc(ctx, (cap + 1) * sizeof(double));
  h->pos = gn_malloc(ctx, (cap + 1) * sizeof(uint32_t));
  if (!h->items || !h->key || !h->pos) {
    gn__heap_cleanup(h);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for a heap of %zu", cap);
  }
  memset(h->pos, 0xff, (cap + 1) * sizeof(uint32_t));
  return GN_OK;
}

void gn__heap_cleanup(gn__heap *h) {
  gn_free(h->ctx, h->items);
  gn_free(h->ctx, h->key);
  gn_free(h->ctx, h->pos);
  h->items = NULL;
  h->key = NULL;
  h->pos = NULL;
}

static void sift_up(gn__heap *h, size_t i) {
  gn_id v = h->items[i];
  double k = h->key[v];
  while (i > 0) {
    size_t p = (i - 1) / 2;
    gn_id pv = h->items[p];
    if (h->key[pv] <= k) break;
    h->items[i] = pv;
    h->pos[pv] = (uint32_t)i;
    i = p;
  }
  h->items[i] = v;
  h->pos[v] = (uint32_t)i;
}

static void sift_down(gn__heap *h, size_t i) {
  gn_id v = h->items[i];
  double k = h->key[v];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && h->key[h->items[c + 1]] < h->key[h->items[c]]) c++;
    if (h->key[h->items[c]] >= k) break;
    h->items[i] = h->items[c];
    h->pos[h->items[i]] = (uint32_t)i;
    i = c;
  }
  h->items[i] = v;
  h->pos[v] = (uint32_t)i;
}

void gn__heap_update(gn__heap *h, gn_id v, double key) {
  if (h->pos[v] == GN__HEAP_ABSENT) {
    h->key[v] = key;
    h->items[h->n] = v;
    h->pos[v] = (uint32_t)h->n;
    h->n++;
    sift_up(h, h->n - 1);
  } else if (key < h->key[v]) {
    h->key[v] = key;
    sift_up(h, h->pos[v]);
  }
}

gn_id gn__heap_pop(gn__heap *h) {
  gn_id top = h->items[0];
  h->pos[top] = GN__HEAP_ABSENT;
  h->n--;
  if (h->n > 0) {
    h->items[0] = h->items[h->n];
    h->pos[h->items[0]] = 0;
    sift_down(h, 0);
  }
  return top;
}

void gn__heap_clear(gn__heap *h) {
  for (size_t i = 0; i < h->n; i++) h->pos[h->items[i]] = GN__HEAP_ABSENT;
  h->n = 0;
}
