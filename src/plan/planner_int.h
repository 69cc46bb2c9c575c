/*
 * planner_int.h - State shared by planner.c (snapping, work graph) and
 * plan_tree.c (Steiner tree -> plan). Internal to src/core.
 */
#ifndef GOVNET_CORE_PLANNER_INT_H
#define GOVNET_CORE_PLANNER_INT_H

#include "plan/snap.h"
#include "govnet/planner.h"

/* A point to attach to the work graph: a POP or a connectable site. */
typedef struct gn__snap_req {
  gn__snap_hit hit;
  size_t owner;  /* site or POP index in the plan */
  int is_pop;
  gn_id wnode;   /* node of the work graph, set by the split */
} gn__snap_req;

typedef struct gn__planner {
  gn_ctx *ctx;
  const gn_graph *g;           /* streets, borrowed */
  gn_plan *plan;
  const gn_planner_opts *o;
  gn_id *comp;                 /* component of each street node */
  size_t ncomp;
  size_t *comp_size;
  uint8_t *comp_keep, *edge_ok;
  gn__seg_grid grid;
  gn__snap_req *req;
  size_t nreq, cap_req;
  gn_graph *w;                 /* work graph: kept components + splits */
  gn_id *old2new;
  gn_id root;                  /* POP node or virtual root in w */
  gn_id vroot;                 /* GN_NONE with a single POP */
  gn_street_net *net;          /* kept for street rings, NULL if not asked */
  int *edge_phase;             /* per work edge: index in o->phases that
                                  dug it, -1; NULL without phases */
} gn__planner;

/* The work graph a street plan was cut from (planner.h), kept so that
 * resilience can route rings along the streets (resilience_streets.c). */
struct gn_street_net {
  gn_ctx *ctx;
  gn_graph *w;            /* work graph, owned; weight = length x price */
  gn_id vroot;            /* virtual root (several POPs) or GN_NONE */
  gn_id *pnode;           /* per work node: plan node or GN_NONE */
  size_t *tr_of_edge;     /* per work edge: plan trench or (size_t)-1 */
  const gn_plan *plan;    /* the plan it was made for */
  size_t nnodes, ntrenches; /* that plan's counts when made */
};

/* Turn the tree (edge ids of pl->w) into plan nodes, trenches and the
 * sites'/POPs' nodes. */
gn_status gn__plan_from_tree(gn__planner *pl, const gn_id *tree, size_t nt);

#endif
