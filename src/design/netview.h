/*
 * netview.h - The plan's trench network seen from the core (internal).
 *
 * Vertices are plan nodes, except that every POP node is merged into one
 * core vertex (index nv - 1): several POPs are one core. A DFS from the
 * core gives a spanning tree (parent trench per vertex), the bridges
 * (Tarjan low-link, parallel trenches are not bridges) and, per vertex,
 * whether a bridge lies on its tree path to the core. Used by the
 * single-cut analysis, resilience and sizing.
 */
#ifndef GOVNET_CORE_NETVIEW_H
#define GOVNET_CORE_NETVIEW_H

#include <stddef.h>

#include "govnet/plan.h"

#define GN__NO_TRENCH ((size_t)-1)

typedef struct gn__net {
  gn_ctx *ctx;
  const gn_plan *p;
  size_t nv, core;
  unsigned char *is_pop;    /* per plan node (nv entries) */
  size_t *off, *adj;        /* CSR: trench indices around each vertex */
  size_t *parent_tr;        /* tree trench to the parent, or GN__NO_TRENCH */
  size_t *order;            /* DFS preorder of reached vertices */
  size_t nreached;
  unsigned char *bridge;    /* per trench */
  unsigned char *exposed;   /* per vertex: bridge on path, or unreached */
  double *dist_m;           /* tree distance from the core */
} gn__net;

/* Build the view over the trenches not masked by skip (NULL: all).
 * Errors: GN_EINVAL (no POP with a node), GN_ENOMEM. */
gn_status gn__net_build(gn_ctx *ctx, const gn_plan *p,
                        const unsigned char *skip, gn__net *net);
void gn__net_cleanup(gn__net *net);

/* Vertex of plan node v (the core for POP nodes). */
size_t gn__net_vertex(const gn__net *net, gn_id v);
/* The other end (vertex) of trench t seen from vertex v. */
size_t gn__net_other(const gn__net *net, size_t t, size_t v);

#endif
