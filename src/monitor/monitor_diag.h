/*
 * monitor_diag.h - The diagnosis solver shared by monitor_diag.c (set-up:
 * classes, options, conflicts), monitor_search.c (the search) and
 * monitor_cand.c (candidates from solutions). Not API.
 */
#ifndef GOVNET_MONITOR_DIAG_H
#define GOVNET_MONITOR_DIAG_H

#include <string.h>

#include "monitor/monitor_int.h"

#define MAX_NODES 2000000
#define MAX_SOLUTIONS 256
#define MAX_MEMBERS 8 /* members of a class expanded into candidates */
#define MAX_GREEDY 16 /* fiber elements in a greedy explanation */
#define MAX_SET 16    /* fiber elements in any candidate */

enum { UP = 0, DOWN = 1 };

typedef struct cls {
  uint32_t *members; /* elements, heaviest first */
  uint32_t nmembers;
  uint32_t *circs; /* live circuits hit */
  uint32_t ncircs;
} cls;

typedef struct solver {
  gn_ctx *ctx;
  const gn_monitor_net *net;
  uint8_t *state;     /* [nsites] UP/DOWN */
  uint32_t *nlive;    /* [nsites] live circuits */
  uint32_t *nhit;     /* [nsites] live circuits hit */
  uint8_t *dev;       /* [nsites] device fault chosen */
  uint32_t *hit;      /* [ncirc] classes hitting the circuit */
  uint32_t *dcirc;    /* down live circuits */
  size_t ndcirc;
  uint32_t *dc_opt_off, *dc_opt; /* down circuit -> classes (CSR) */
  cls *cls;
  size_t ncls;
  size_t down_left;   /* down sites not yet explained */
  size_t unhit;       /* down circuits neither hit nor at a device */
  uint32_t *cls_ndown; /* [ncls] down circuits of each class */
  uint32_t maxcov;    /* most down circuits one option can explain */
  uint32_t *path;     /* chosen options: class i, or ncls + site */
  size_t npath;
  uint32_t *sols;     /* MAX_SOLUTIONS x budget option ids */
  size_t nsols;
  size_t budget, nodes;
  uint64_t *conflict; /* ncls x ncls bits: the pair kills an up site */
  int multi;          /* an up site at risk has 3+ live circuits */
  uint32_t *forced;   /* down sites without circuits: always devices */
  size_t nforced;
  size_t already;     /* down sites explained by recorded breaks */
  size_t ndown;       /* distinct down sites */
} solver;

static inline gn_status gn__diag_oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory diagnosing");
}

static inline void *gn__diag_alloc0(gn_ctx *ctx, size_t n, size_t es) {
  void *p = gn_malloc(ctx, n ? n * es : 1);
  if (p) memset(p, 0, n ? n * es : 1);
  return p;
}

static inline int gn__diag_covered(const solver *S, uint32_t s) {
  return S->dev[s] || S->nhit[s] == S->nlive[s];
}

/* Search for the smallest explanations (budgets 1..max_el, then greedy);
 * sets *minimal. Solutions land in S->sols (stride S->budget). */
void gn__diag_search(solver *S, int max_el, int *minimal);
/* Record the current path as a solution (deduplicated). */
void gn__diag_record(solver *S);
/* Apply option o fully (sign +1) or undo it; 0 if an up site died. */
int gn__diag_apply(solver *S, uint32_t o, int sign);
/* The best max_out candidates of the solutions into d. */
gn_status gn__diag_expand(solver *S, gn_diagnosis *d, int max_out);

#endif
