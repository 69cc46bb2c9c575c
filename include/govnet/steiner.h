/*
 * steiner.h - Steiner tree in graphs: the solver behind every trench plan,
 * and the STP (SteinLib / PACE 2018) file reader.
 *
 * The solver connects all terminals with a minimum-weight tree over the
 * graph's edges (edge weight = cost). It is heuristic: reductions, a
 * constructive shortest-path heuristic and local search with restarts
 * under a time limit; deterministic for a given seed and options.
 * Threads: reentrant; one ctx per thread.
 */
#ifndef GOVNET_STEINER_H
#define GOVNET_STEINER_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/export.h"
#include "govnet/graph.h"

typedef struct gn_steiner_opts {
  double time_limit_s; /* wall-clock budget; <= 0 means the default */
  uint64_t seed;       /* random seed; same seed, same answer */
  int quality;         /* 0 fast, 1 default, 2 quality (more time) */
  int threads;         /* independent searches run in parallel, each with
                        * its own seed and the full work budget; the best
                        * tree wins (ties: the first), so the answer is
                        * deterministic. 1 (default) .. 8. With > 1 the
                        * ctx's allocator must be thread-safe. */
  int bound;           /* 1: also prove a lower bound (dual ascent, with
                        * its own work budget equal to the search's) and
                        * delete the edges its reduced costs exclude;
                        * gn_steiner_result_lower_bound(). 0 (default):
                        * no bound. Since 0.5. */
} gn_steiner_opts;

/* Fill opts with defaults. Since 0.1. */
GN_API void gn_steiner_opts_init(gn_steiner_opts *opts);

typedef struct gn_steiner_result gn_steiner_result;

/* Solve for a finalized graph g and nterm terminals (node ids, duplicates
 * allowed). Errors: GN_EINVAL (no terminal, id out of range),
 * GN_EINFEASIBLE (terminals in different components; the message names
 * one unreachable terminal), GN_ENOMEM. Caller frees *out with
 * gn_steiner_result_free(). Since 0.1. */
GN_API gn_status gn_steiner_solve(gn_ctx *ctx, const gn_graph *g,
                                  const gn_id *terminals, size_t nterm,
                                  const gn_steiner_opts *opts,
                                  gn_steiner_result **out);

GN_API void gn_steiner_result_free(gn_steiner_result *r);

/* Edges of the tree (edge ids of g); pointer to internal storage. */
GN_API const gn_id *gn_steiner_result_edges(const gn_steiner_result *r,
                                            size_t *n);

/* Sum of the tree's edge weights. */
GN_API double gn_steiner_result_cost(const gn_steiner_result *r);

/* A certified lower bound on the optimum (dual ascent, Wong 1984): no
 * tree connecting the terminals costs less. 0 when none was computed
 * (a single terminal). The certified gap of the result is
 * cost / lower_bound - 1. Needs opts.bound. Since 0.5. */
GN_API double gn_steiner_result_lower_bound(const gn_steiner_result *r);

/* Read an STP file: a graph with abstract nodes (STP node k is node k-1)
 * and the terminal list. Errors name the file and line: GN_EIO (cannot
 * open), GN_EFORMAT (missing section, bad edge, node out of range,
 * negative weight, no terminals). Caller frees *g with gn_graph_free()
 * and *terminals with gn_free(ctx, ...). Since 0.1. */
GN_API gn_status gn_stp_read(gn_ctx *ctx, const char *path, gn_graph **g,
                             gn_id **terminals, size_t *nterm);

/* Write g (edge weight = weight) and the terminals (duplicates written
 * once) as an STP file that gn_stp_read reads back to the same instance;
 * name goes to the Comment section. The file is replaced atomically.
 * Errors: GN_EINVAL (no terminal, terminal out of range, negative or
 * non-finite weight), GN_EIO naming the file. Since 0.5. */
GN_API gn_status gn_stp_write(gn_ctx *ctx, const char *path,
                              const gn_graph *g, const gn_id *terms,
                              size_t nterm, const char *name);

#endif
