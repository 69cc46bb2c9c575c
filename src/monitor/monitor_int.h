/*
 * monitor_int.h - Internals shared by the src/monitor/ modules (not API).
 *
 * The fiber model is a set of compressed (CSR) incidence lists with
 * dense indices: sites, circuits, elements (trench, cable, closure).
 * Index types are uint32_t: a store with more than 4 billion rows of any
 * kind is refused at load.
 */
#ifndef GOVNET_MONITOR_INT_H
#define GOVNET_MONITOR_INT_H

#include <stdint.h>

#include "govnet/monitor.h"
#include "util/internal.h"

enum { GN__EL_TRENCH = 0, GN__EL_CABLE = 1, GN__EL_CLOSURE = 2 };

struct gn_monitor_net {
  gn_ctx *ctx;           /* allocator of the model (the load ctx) */
  size_t nsites, ncirc, nel;
  char **site_id;        /* [nsites] text ids, sorted (lookup by bsearch) */
  char **site_name;      /* [nsites] */
  uint32_t *site_circ_off; /* [nsites+1] site -> circuits */
  uint32_t *site_circ;
  uint32_t *circ_site;   /* [ncirc] */
  uint8_t *circ_dead;    /* [ncirc] runs over a fiber recorded broken */
  uint32_t *circ_el_off; /* [ncirc+1] circuit -> elements */
  uint32_t *circ_el;
  uint8_t *el_kind;      /* [nel] GN__EL_* */
  int64_t *el_id;        /* [nel] store id (fid) */
  double *el_weight;     /* [nel] likelihood weight */
  uint32_t *el_circ_off; /* [nel+1] element -> circuits (sorted) */
  uint32_t *el_circ;
};

/* The fiber model of st, kept on the connection while the store is
 * unchanged (monitor_cache.c). Borrowed: valid until the next call on st. */
gn_status gn__mon_net_get(gn_store *st, const gn_monitor_net **out);
/* After writes that leave the fiber records alone (inside the write
 * transaction, before commit): the kept model stays valid. */
void gn__mon_net_keep(gn_store *st);

/* Create or update the monitor's tables (module "monitor"). */
gn_status gn__mon_migrate(gn_store *st);
/* gn_monitor_assign_addresses without clearing the ctx error. */
gn_status gn__mon_assign(gn_store *st, const char *prefix, const char *user,
                         size_t *assigned);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t gn__mon_days_from_civil(int y, int m, int d);

/* Index of element (kind GN__EL_*, store id), or -1. */
long gn__mon_el_find(const gn_monitor_net *net, int kind, int64_t id);

/* GET base/api/v1/query_range for query over [start, end] by step
 * (seconds), validated (gn_monitor_prom_parse). monitor_prom.c. */
gn_status gn__mon_prom_range(gn_ctx *ctx, const char *base, const char *query,
                             int64_t start, int64_t end, int64_t step,
                             gn_prom_matrix **out);

/* probe_success of job govnet_cpe counted per site over windows of whole
 * steps covering [from, to): fn gets each window (start, len) with the
 * down and measured seconds (samples x step, 0s and all). Windows without
 * a sample are not reported. monitor_prom.c. */
typedef void (*gn__prom_window_fn)(void *closure, const char *site,
                                   int64_t start, int64_t len, int64_t down_s,
                                   int64_t measured_s);
gn_status gn__mon_prom_windows(gn_ctx *ctx, const char *url, int64_t from,
                               int64_t to, int64_t step,
                               gn__prom_window_fn fn, void *closure);

/* Index of site id s, or -1. */
long gn__mon_site_find(const gn_monitor_net *net, const char *s);

#endif
