/*
 * lease_int.h - Internals of the lease module (not API).
 *
 * lease_net is the network as the lease router sees it: nodes (the
 * store's network nodes), cables as undirected edges between their end
 * nodes, and every fiber with its use. It is loaded from the store in a
 * few queries (lease_net.c) and only read afterwards, so quotes never
 * hold a write lock; reservations reload it inside their write
 * transaction, so what they check is what they commit.
 */
#ifndef GOVNET_LEASE_INT_H
#define GOVNET_LEASE_INT_H

#include "govnet/lease.h"
#include "store/store_int.h"

typedef enum {
  GN__USE_SPARE = 0,
  GN__USE_GOVERNMENT,
  GN__USE_PROTECT,
  GN__USE_LEASED,
  GN__USE_RESERVED,
  GN__USE_BROKEN,
  GN__USE_MAINTENANCE,
  GN__USE_COUNT
} gn__fiber_use;

extern const char *const gn__use_names[GN__USE_COUNT];

typedef struct gn__lfiber {
  int64_t id;
  int number;
  uint8_t use;
} gn__lfiber;

typedef struct gn__lcable {
  int64_t id;
  uint32_t a, b;        /* node indices */
  double length_m;
  uint32_t first, n;    /* its fibers: net->fibers[first .. first+n) */
  uint32_t spare;       /* fibers of use SPARE */
  uint32_t count[GN__USE_COUNT];
} gn__lcable;

typedef struct gn__lnet {
  gn_ctx *ctx;
  int64_t *node_id;     /* sorted store node ids */
  double *lon, *lat;
  uint8_t *closure;     /* 1 if the node has a closure */
  uint32_t nnodes;
  gn__lcable *cables;   /* sorted by id */
  uint32_t ncables;
  gn__lfiber *fibers;
  uint32_t nfibers;
  uint32_t *adj_off, *adj; /* node -> incident cable indices (CSR) */
} gn__lnet;

/* The network of st with every fiber's use under t, kept on the
 * connection (store ext slot) and reloaded only when the store changed
 * (gn__st_stamp) or the reserve share differs. Borrowed: valid until the
 * next call on st. */
gn_status gn__lease_net_get(gn_store *st, const gn_lease_tariff *t,
                            const gn__lnet **out);

/* Load the network with every fiber's use (reserve from t). */
gn_status gn__lease_net_load(gn_store *st, const gn_lease_tariff *t,
                             gn__lnet *net);
void gn__lease_net_free(gn__lnet *net);
/* Index of a store node id, or UINT32_MAX. */
uint32_t gn__lease_node(const gn__lnet *net, int64_t id);
/* Index of a cable id, or UINT32_MAX. */
uint32_t gn__lease_cable(const gn__lnet *net, int64_t id);

/* The penalty on billed FCFA at avail_pct against sla_pct: every
 * started 0.1 % below costs t->penalty_share of it, capped at it
 * (lease_occupancy.c). */
double gn__lease_penalty(const gn_lease_tariff *t, double billed,
                         double sla_pct, double avail_pct);

/* Create the module's tables if needed; expire stale reservations when
 * writable. */
gn_status gn__lease_tables(gn_store *st);

/* A quote: the fibers picked (route and cable of each), the figures
 * and the quote as a JSON object; arrays and text are ctx-allocated. */
typedef struct gn__lquote {
  int nroutes;
  int64_t *fibers;      /* fiber ids, route by route, cable by cable */
  int *fiber_route;     /* route of each fiber */
  int64_t *fiber_cable; /* cable of each fiber */
  size_t nfibers;
  double length_m, loss_1310, loss_1550;
  int new_splices;
  double price_month, price_once, sla_pct;
  char *json;           /* the quote as a JSON object */
} gn__lquote;

gn_status gn__lease_make_quote(gn_store *st, const gn__lnet *net,
                               const gn_lease_tariff *t,
                               const gn_lease_request *r, gn__lquote *q);
void gn__lease_quote_free(gn_ctx *ctx, gn__lquote *q);

/* One lease as a JSON object (lease_json.c); with operator_ set, another
 * operator's lease is GN_ENOTFOUND. */
gn_status gn__lease_row_json(gn_store *st, int64_t id, const char *operator_,
                             char **json);

/* Monthly price after the term discount. */
double gn__lease_month_price(const gn_lease_tariff *t, double fiber_km,
                             int term_months);

#endif
