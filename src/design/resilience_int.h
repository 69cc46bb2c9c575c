/*
 * resilience_int.h - State of the ring augmentation shared by
 * resilience.c (both modes) and resilience_streets.c (rings routed along
 * the planner's street work graph). Internal to src/core.
 *
 * The candidate graph's vertices are plan nodes in points mode and the
 * street work graph's nodes in street mode; pnode/vert map between them
 * (NULL in points mode: the identity). Every candidate edge that carries
 * a trench knows it (tr_of_edge); a trench is one edge in points mode
 * and a chain of street edges in street mode.
 */
#ifndef GOVNET_CORE_RESILIENCE_INT_H
#define GOVNET_CORE_RESILIENCE_INT_H

#include "base/heap.h"
#include "design/netview.h"
#include "govnet/design.h"

typedef struct gn__cgraph {
  gn_graph *g;
  size_t *tr_of_edge;  /* graph edge -> trench, GN__NO_TRENCH if none */
  size_t cap_toe;
  gn_id *pnode;        /* street mode: vertex -> plan node or GN_NONE */
  gn_id *vert;         /* street mode: plan node -> vertex */
  size_t cap_vert;
  const gn_graph *w;   /* street mode: the work graph (edge shapes) */
} gn__cgraph;

typedef struct gn__aug {
  gn_ctx *ctx;
  gn_plan *p;
  const gn_resilience_opts *o;
  gn__cgraph c;
  size_t nv;           /* candidate vertices */
  double *dist;
  gn_id *pred;
  unsigned char *mark; /* per net vertex: 1 site's side, 2 core's side */
  size_t cap_mark;
  unsigned char *forb; /* per trench: forbidden (a bridge being protected) */
  size_t cap_forb;
  unsigned char *is_pop; /* per plan node of the plan as given */
  size_t nis_pop;        /* its length (street mode adds nodes) */
  gn_id *touched;      /* vertices whose dist was set by the last search */
  size_t ntouched;
  gn__heap heap;
  int64_t next_id;
  gn_resilience_report *r;
  size_t cap_fails;
  const char *site_phase; /* phase of the site being protected */
} gn__aug;

/* Phase label of a new ring trench: the pass's phase, else (one pass
 * over a phased plan) that of the site it protects. */
static inline char *gn__ring_phase(const gn__aug *a) {
  return (char *)(a->o->phase ? a->o->phase : a->site_phase);
}

/* Street mode: candidate graph = copy of the street net's work graph,
 * trench edges at weight 0, the others at length x price. */
gn_status gn__rs_cgraph_build(gn__aug *a, const gn_street_net *sn);

/* Street mode: 1 if vertex v lies on the core's side (a->mark, a->forb
 * set for the current search). */
int gn__rs_core_side(const gn__aug *a, const gn__net *net, gn_id v);

/* Street mode: turn the street edges of the path src..hit (a->pred) that
 * carry no trench into redundant trenches, one per run of one road
 * class, splitting a trench where a run ends inside it. */
gn_status gn__rs_build_path(gn__aug *a, gn_id src, gn_id hit);

/* Street mode: *yes = 1 if removing one street edge of trench t leaves
 * vertex src without any street route to a POP (a true dead end). */
gn_status gn__rs_street_bridge(gn__aug *a, size_t t, gn_id src, int *yes);

/* Street mode: split trench t at each inner street node where another
 * street meets it; *nsplit = number of splits. */
gn_status gn__rs_split_junctions(gn__aug *a, size_t t, size_t *nsplit);

#endif
