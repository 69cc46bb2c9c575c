/*
 * layout.h - The plan's circuits and cables as they will be built
 * (internal; the store's import writes exactly this layout as rows).
 *
 * Paths: each building's working path to its nearest hub or POP along
 * the tree, and a trench-disjoint protect path where the rings allow
 * one. Cables: a long-path decomposition of the working paths' tree
 * (from each hub or POP outward, a cable follows the child with the
 * longest run below it; other children start new cables), then the
 * remaining trenches in runs through nodes where exactly two of them
 * meet. A circuit's strands run on one fiber pair per cable stretch it
 * uses ("segment"): a fiber is spliced only where the circuit changes
 * cable, and passes uncut (express) through every other closure.
 * Closures: nodes with a splice, or where a building is served from
 * the middle of a cable (tap).
 */
#ifndef GOVNET_DESIGN_LAYOUT_H
#define GOVNET_DESIGN_LAYOUT_H

#include <stddef.h>

#include "govnet/design.h"
#include "govnet/graph.h"

typedef struct gn__lpath {
  size_t site, pop;
  int protect;
  size_t off, n;        /* trenches in l->ptr[off..off+n), POP -> site */
  size_t seg_off, nseg; /* segments in l->segs */
  double length_m;      /* fiber length (segments' spans + drop) */
  int splices;          /* per strand */
  double loss_db[2];    /* at 1310 and 1550 nm, without margin */
  gn_optics_class cls;
  int over;             /* over its class's reach or budget (margin incl.) */
} gn__lpath;

typedef struct gn__lseg {
  size_t cable;
  int fiber;            /* strand 0 uses fiber, strand 1 fiber + 1 */
  size_t from, to;      /* trench positions in the cable, from <= to */
  gn_id in_node, out_node;
  char near;            /* cable end ('a'/'b') the circuit enters from */
  double span_m;
} gn__lseg;

typedef struct gn__lcable {
  size_t off, n;        /* trenches in l->ctr[off..off+n), from end a */
  gn_id a, b;
  int size, used;
  double length_m;
} gn__lcable;

/* Ring trenches weigh their length plus this in every path search, so
 * a path takes a ring only where the tree offers no way. */
#define GN__RING_PENALTY 1e9

struct gn_layout {
  gn_ctx *ctx;
  const gn_plan *p;
  gn_layout_opts o;
  size_t nn, nt, ns, np;
  gn_graph *g;
  gn__lpath *paths;
  size_t npaths, cap_paths;
  size_t *ptr;
  size_t nptr, cap_ptr;
  gn__lcable *cables;
  size_t ncables;
  size_t *ctr, nctr;     /* trenches of all cables */
  size_t *cable_of, *pos_of; /* trench -> cable, position in it */
  gn__lseg *segs;
  size_t nsegs, cap_segs;
  unsigned char *closure; /* per node */
  long *pop_at;          /* node -> pop index + 1 */
  long *protect_of, *working_of; /* memo by node (see layout.c) */
  gn_layout_sizes *sizes;
  size_t nsizes;
  gn_layout_stats stats;
};

/* Working and protect paths of every connected building (layout_paths.c):
 * fills l->paths/l->ptr, builds l->g and l->pop_at; pred_out (l->nn
 * entries) gets the working forest (tree edge to the parent, GN_NONE at
 * POPs and unreached nodes). */
gn_status gn__layout_paths(gn_layout *l, gn_id *pred_out);

/* Shared by layout.c and layout_paths.c: a zeroed array of n elements
 * of es bytes (*rs = GN_ENOMEM naming `what` on failure), and the end of
 * trench e away from node `from`. */
void *gn__layout_zalloc(gn_layout *l, size_t n, size_t es, const char *what,
                        gn_status *rs);
gn_id gn__layout_far_end(const gn_layout *l, gn_id e, gn_id from);

#endif
