/*
 * heap.h - Indexed binary min-heap over node ids (decrease-key), the
 * priority queue of every Dijkstra in the library. Internal.
 * Invariant: pos[v] is v's slot in `ent`, or GN__HEAP_ABSENT.
 */
#ifndef GOVNET_CORE_HEAP_H
#define GOVNET_CORE_HEAP_H

#include <math.h>
#include <stddef.h>

#include "govnet/graph.h"

#define GN__HEAP_ABSENT ((uint32_t)0xffffffffu)

typedef struct gn__heap_ent {
  double key;
  gn_id v;
} gn__heap_ent;

typedef struct gn__heap {
  gn_ctx *ctx;
  gn__heap_ent *ent; /* the heap: keys beside their node ids */
  uint32_t *pos;     /* by node id */
  size_t n, cap;
} gn__heap;

gn_status gn__heap_init(gn_ctx *ctx, gn__heap *h, size_t cap);
void gn__heap_cleanup(gn__heap *h);
/* Insert v or lower its key (a higher key is ignored). */
void gn__heap_update(gn__heap *h, gn_id v, double key);
gn_id gn__heap_pop(gn__heap *h);
/* Empty the heap in O(size) so it can be reused. */
void gn__heap_clear(gn__heap *h);
static inline int gn__heap_empty(const gn__heap *h) { return h->n == 0; }
static inline double gn__heap_top_key(const gn__heap *h) {
  return h->ent[0].key;
}
/* v's key while v is in the heap, else +infinity. */
static inline double gn__heap_key(const gn__heap *h, gn_id v) {
  return h->pos[v] != GN__HEAP_ABSENT ? h->ent[h->pos[v]].key : INFINITY;
}

#endif
