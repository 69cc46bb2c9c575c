/*
 * lease_net.c - The network as the lease router sees it (lease_int.h):
 * nodes, cables between their end nodes, every fiber with its use, and
 * the module's tables.
 *
 * Design: three ordered scans (nodes, cables, fibers with their circuit
 * role and live lease) fill flat arrays; ids map to indices by binary
 * search over the sorted ids. The government's reserve is derived, not
 * stored: per cable, ceil(reserve_share x non-circuit fibers) of the
 * highest-numbered free fibers, so it follows the tariff and the circuits
 * as they are now.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lease/lease_int.h"

const char *const gn__use_names[GN__USE_COUNT] = {
    "spare", "government", "protect", "leased", "reserved", "broken",
    "maintenance"};

static const gn__st_migration lease_steps[] = {
    {"leases and their fibers",
     "CREATE TABLE lease_leases(id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " operator TEXT NOT NULL, state TEXT NOT NULL CHECK(state IN"
     " ('reserved','active','terminated','expired')), a_end TEXT NOT NULL,"
     " b_end TEXT NOT NULL, nfibers INTEGER NOT NULL, diverse INTEGER NOT"
     " NULL DEFAULT 0, term_months INTEGER NOT NULL, length_m REAL NOT NULL,"
     " loss_db_1310 REAL NOT NULL, loss_db_1550 REAL NOT NULL, new_splices"
     " INTEGER NOT NULL, price_fcfa_month REAL NOT NULL, price_fcfa_once"
     " REAL NOT NULL, sla_pct REAL NOT NULL, created TEXT NOT NULL,"
     " reserved_until TEXT, start_date TEXT, end_date TEXT, quote TEXT NOT"
     " NULL);"
     "CREATE INDEX lease_leases_operator ON lease_leases(operator);"
     "CREATE TABLE lease_fibers(lease INTEGER NOT NULL REFERENCES"
     " lease_leases(id), route INTEGER NOT NULL, seq INTEGER NOT NULL,"
     " fiber INTEGER NOT NULL REFERENCES fibers(fid), cable INTEGER NOT NULL,"
     " live INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(lease, seq));"
     "CREATE UNIQUE INDEX lease_fibers_live ON lease_fibers(fiber)"
     " WHERE live = 1;"
     "CREATE INDEX lease_fibers_cable ON lease_fibers(cable);",
     NULL},
};

gn_status gn__lease_tables(gn_store *st) {
  gn_status rs = gn__st_module_migrate(
      st, "lease", lease_steps, sizeof lease_steps / sizeof lease_steps[0]);
  if (rs != GN_OK || st->readonly) return rs;
  /* stale reservations give their fibers back */
  int64_t n = 0;
  int found = 0;
  rs = gn__st_int(st,
                  "SELECT count(*) FROM lease_leases WHERE state='reserved'"
                  " AND reserved_until < strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                  0, &n, &found);
  if (rs != GN_OK || n == 0) return rs;
  rs = gn__st_begin(st);
  if (rs == GN_OK)
    rs = gn__st_exec(
        st,
        "UPDATE lease_fibers SET live=0 WHERE lease IN (SELECT id FROM"
        " lease_leases WHERE state='reserved' AND reserved_until <"
        " strftime('%Y-%m-%dT%H:%M:%SZ','now'));"
        "UPDATE lease_leases SET state='expired' WHERE state='reserved' AND"
        " reserved_until < strftime('%Y-%m-%dT%H:%M:%SZ','now');");
  if (rs == GN_OK)
    rs = gn__st_audit(st, "govnet", "lease.expire", "leases", NULL, NULL);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

uint32_t gn__lease_node(const gn__lnet *net, int64_t id) {
  const int64_t *p =
      bsearch(&id, net->node_id, net->nnodes, sizeof(int64_t), cmp_i64);
  return p ? (uint32_t)(p - net->node_id) : UINT32_MAX;
}

uint32_t gn__lease_cable(const gn__lnet *net, int64_t id) {
  uint32_t lo = 0, hi = net->ncables;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (net->cables[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < net->ncables && net->cables[lo].id == id ? lo : UINT32_MAX;
}

static gn_status load_nodes(gn_store *st, gn__lnet *net) {
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT count(*) FROM nodes", 0, &n, &found);
  if (rs != GN_OK) return rs;
  gn_ctx *ctx = net->ctx;
  size_t cnt = (size_t)n ? (size_t)n : 1;
  net->node_id = gn_malloc(ctx, cnt * sizeof(int64_t));
  net->lon = gn_malloc(ctx, cnt * sizeof(double));
  net->lat = gn_malloc(ctx, cnt * sizeof(double));
  net->closure = gn_malloc(ctx, cnt);
  if (!net->node_id || !net->lon || !net->lat || !net->closure)
    return gn__fail(ctx, GN_ENOMEM, "lease: out of memory (nodes)");
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st,
                   "SELECT n.id, n.lon, n.lat, (SELECT count(*) FROM closures"
                   " c WHERE c.node=n.id) FROM nodes n ORDER BY n.id",
                   &s);
  if (rs != GN_OK) return rs;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW && net->nnodes < (uint32_t)n) {
    uint32_t i = net->nnodes++;
    net->node_id[i] = sqlite3_column_int64(s, 0);
    net->lon[i] = sqlite3_column_double(s, 1);
    net->lat[i] = sqlite3_column_double(s, 2);
    net->closure[i] = sqlite3_column_int(s, 3) > 0;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "nodes");
  sqlite3_finalize(s);
  return rs;
}

/* A cable as routing sees it: one piece per trench (cable_trenches
 * order), so a building or closure in the middle of a continuous cable
 * (express fibers) is reachable; the pieces of a cable share its id and
 * its fibers (a fiber lit over part of the cable counts as used on all
 * of it). */
static gn_status load_cables(gn_store *st, gn__lnet *net) {
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT count(*) FROM cable_trenches", 0, &n,
                            &found);
  if (rs != GN_OK) return rs;
  net->cables = gn_malloc(net->ctx, ((size_t)n + 1) * sizeof(gn__lcable));
  if (!net->cables)
    return gn__fail(net->ctx, GN_ENOMEM, "lease: out of memory (cables)");
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(st,
                   "SELECT c.fid, t.a_node, t.b_node, t.length_m FROM cables c"
                   " JOIN cable_trenches ct ON ct.cable=c.fid JOIN trenches t"
                   " ON t.fid=ct.trench ORDER BY c.fid, ct.seq",
                   &s);
  if (rs != GN_OK) return rs;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW && net->ncables < (uint32_t)n) {
    gn__lcable c;
    memset(&c, 0, sizeof c);
    c.id = sqlite3_column_int64(s, 0);
    c.a = gn__lease_node(net, sqlite3_column_int64(s, 1));
    c.b = gn__lease_node(net, sqlite3_column_int64(s, 2));
    c.length_m = sqlite3_column_double(s, 3);
    if (c.a == UINT32_MAX || c.b == UINT32_MAX) continue; /* db check says */
    net->cables[net->ncables++] = c;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "cables");
  sqlite3_finalize(s);
  return rs;
}

/* The later pieces of a cable take its fibers and counts. */
static void share_pieces(gn__lnet *net) {
  for (uint32_t i = 1; i < net->ncables; i++) {
    gn__lcable *c = &net->cables[i];
    const gn__lcable *p = &net->cables[i - 1];
    if (c->id != p->id) continue;
    c->first = p->first;
    c->n = p->n;
    c->spare = p->spare;
    memcpy(c->count, p->count, sizeof c->count);
  }
}

static uint8_t use_of(const char *role, const char *lease_state, int broken) {
  if (role[0] == 'w') return GN__USE_GOVERNMENT;
  if (role[0] == 'p') return GN__USE_PROTECT;
  if (lease_state[0] == 'a') return GN__USE_LEASED;
  if (lease_state[0] == 'r') return GN__USE_RESERVED;
  if (broken) return GN__USE_BROKEN;
  return GN__USE_SPARE;
}

/* Fibers in (cable, number) order with their use. A reservation past its
 * date counts as free even before gn__lease_tables marks it expired. */
static gn_status load_fibers(gn_store *st, gn__lnet *net) {
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT count(*) FROM fibers", 0, &n, &found);
  if (rs != GN_OK) return rs;
  net->fibers = gn_malloc(net->ctx, ((size_t)n + 1) * sizeof(gn__lfiber));
  if (!net->fibers)
    return gn__fail(net->ctx, GN_ENOMEM, "lease: out of memory (fibers)");
  sqlite3_stmt *s = NULL;
  rs = gn__st_prep(
      st,
      /* one row per fiber: circuit_fibers.fiber is unique, and so is a
       * live lease fiber */
      "SELECT f.fid, f.cable, f.number, f.broken, coalesce(c.role,''),"
      " coalesce(l.state,'') FROM fibers f LEFT JOIN circuit_fibers cf ON"
      " cf.fiber=f.fid LEFT JOIN circuits c ON c.fid=cf.circuit LEFT JOIN"
      " lease_fibers lf ON lf.fiber=f.fid AND lf.live=1 LEFT JOIN"
      " lease_leases l ON l.id=lf.lease AND (l.state='active' OR"
      " l.reserved_until >= strftime('%Y-%m-%dT%H:%M:%SZ','now')) ORDER BY"
      " f.cable, f.number",
      &s);
  if (rs != GN_OK) return rs;
  int rc;
  uint32_t ci = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW && net->nfibers < (uint32_t)n) {
    int64_t cable = sqlite3_column_int64(s, 1);
    while (ci < net->ncables && net->cables[ci].id < cable) ci++;
    if (ci == net->ncables || net->cables[ci].id != cable) continue;
    gn__lcable *c = &net->cables[ci];
    if (c->n == 0) c->first = net->nfibers;
    gn__lfiber *f = &net->fibers[net->nfibers++];
    f->id = sqlite3_column_int64(s, 0);
    f->number = sqlite3_column_int(s, 2);
    f->use = use_of(gn__col_text(s, 4), gn__col_text(s, 5),
                    sqlite3_column_int(s, 3));
    c->n++;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "fibers");
  sqlite3_finalize(s);
  return rs;
}

/* The reserve: the highest-numbered free fibers, ceil(share x the cable's
 * non-circuit fibers); then the counts by use. */
static void mark_reserve(gn__lnet *net, const gn_lease_tariff *t) {
  for (uint32_t i = 0; i < net->ncables; i++) {
    gn__lcable *c = &net->cables[i];
    if (i > 0 && net->cables[i - 1].id == c->id) continue; /* a piece */
    uint32_t noncircuit = 0;
    for (uint32_t k = 0; k < c->n; k++) {
      uint8_t u = net->fibers[c->first + k].use;
      noncircuit += u != GN__USE_GOVERNMENT && u != GN__USE_PROTECT;
    }
    uint32_t want = (uint32_t)ceil(t->reserve_share * noncircuit - 1e-9);
    for (uint32_t k = c->n; k-- > 0 && want > 0;) {
      gn__lfiber *f = &net->fibers[c->first + k];
      if (f->use != GN__USE_SPARE) continue;
      f->use = GN__USE_MAINTENANCE;
      want--;
    }
    for (uint32_t k = 0; k < c->n; k++) c->count[net->fibers[c->first + k].use]++;
    c->spare = c->count[GN__USE_SPARE];
  }
  share_pieces(net);
}

static gn_status build_adjacency(gn__lnet *net) {
  net->adj_off = gn_malloc(net->ctx, ((size_t)net->nnodes + 1) * sizeof(uint32_t));
  net->adj = gn_malloc(net->ctx, ((size_t)net->ncables * 2 + 1) * sizeof(uint32_t));
  if (!net->adj_off || !net->adj)
    return gn__fail(net->ctx, GN_ENOMEM, "lease: out of memory (adjacency)");
  memset(net->adj_off, 0, ((size_t)net->nnodes + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < net->ncables; i++) {
    net->adj_off[net->cables[i].a + 1]++;
    net->adj_off[net->cables[i].b + 1]++;
  }
  for (uint32_t v = 0; v < net->nnodes; v++) net->adj_off[v + 1] += net->adj_off[v];
  uint32_t *fill = gn_malloc(net->ctx, ((size_t)net->nnodes + 1) * sizeof(uint32_t));
  if (!fill) return gn__fail(net->ctx, GN_ENOMEM, "lease: out of memory");
  memcpy(fill, net->adj_off, ((size_t)net->nnodes + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < net->ncables; i++) {
    net->adj[fill[net->cables[i].a]++] = i;
    net->adj[fill[net->cables[i].b]++] = i;
  }
  gn_free(net->ctx, fill);
  return GN_OK;
}

gn_status gn__lease_net_load(gn_store *st, const gn_lease_tariff *t,
                             gn__lnet *net) {
  memset(net, 0, sizeof(*net));
  net->ctx = st->ctx;
  gn_status rs = load_nodes(st, net);
  if (rs == GN_OK) rs = load_cables(st, net);
  if (rs == GN_OK) rs = load_fibers(st, net);
  if (rs == GN_OK) mark_reserve(net, t);
  if (rs == GN_OK) rs = build_adjacency(net);
  if (rs != GN_OK) gn__lease_net_free(net);
  return rs;
}

void gn__lease_net_free(gn__lnet *net) {
  gn_ctx *ctx = net->ctx;
  if (!ctx) return;
  gn_free(ctx, net->node_id);
  gn_free(ctx, net->lon);
  gn_free(ctx, net->lat);
  gn_free(ctx, net->closure);
  gn_free(ctx, net->cables);
  gn_free(ctx, net->fibers);
  gn_free(ctx, net->adj_off);
  gn_free(ctx, net->adj);
  memset(net, 0, sizeof(*net));
}

typedef struct lcache {
  gn__lnet net;
  int64_t stamp;
  double reserve_share;
} lcache;

static void lcache_free(gn_ctx *ctx, void *p) {
  lcache *c = p;
  gn__lease_net_free(&c->net);
  gn_free(ctx, c);
}

gn_status gn__lease_net_get(gn_store *st, const gn_lease_tariff *t,
                            const gn__lnet **out) {
  int64_t stamp = 0;
  gn_status rs = gn__st_stamp(st, &stamp);
  if (rs != GN_OK) return rs;
  lcache *c = st->ext[GN__EXT_LEASE];
  if (c && c->stamp == stamp && c->reserve_share == t->reserve_share) {
    *out = &c->net;
    return GN_OK;
  }
  if (!c) {
    c = gn_malloc(st->ctx, sizeof(*c));
    if (!c) return gn__fail(st->ctx, GN_ENOMEM, "lease: out of memory");
    memset(c, 0, sizeof(*c));
    st->ext[GN__EXT_LEASE] = c;
    st->ext_free[GN__EXT_LEASE] = lcache_free;
  }
  gn__lease_net_free(&c->net);
  c->stamp = 0;
  rs = gn__lease_net_load(st, t, &c->net);
  if (rs != GN_OK) return rs;
  c->stamp = stamp;
  c->reserve_share = t->reserve_share;
  *out = &c->net;
  return GN_OK;
}
