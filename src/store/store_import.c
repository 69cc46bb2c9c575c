/*
 * store_import.c - A plan becomes as-designed records, in one transaction.
 *
 * Design: paths first, rows second. A multi-source Dijkstra from the POP
 * nodes over the trench graph (redundant ring trenches heavily penalised)
 * gives each building its working path along the plan's tree; when the
 * plan has redundant trenches, a second Dijkstra with the working path's
 * trenches blocked gives a trench-disjoint protect path. The fiber demand
 * per trench (2 strands per circuit) then fixes each cable's size (the
 * plan's, or computed, grown to the demand). Rows are then written with
 * prepared statements: nodes, sites, POPs, trenches, cables, fibers, ODF
 * panels at the POPs, an OLT per POP, circuits with their fibers, splices
 * in closures created where consecutive fibers meet, CPE ports, and the
 * derived circuit -> trench index. Everything happens inside one
 * BEGIN IMMEDIATE ... COMMIT: a crash or kill leaves the file unchanged.
 * Fiber ids of one cable are consecutive (AUTOINCREMENT inside one
 * transaction), so fiber k of trench t is fiber0[t] + k - 1.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define BLOCKED 1e15
#define RING_PENALTY 1e9

typedef struct path {
  size_t site, pop;
  int protect;
  size_t off, n; /* trenches in imp.ptr[off..off+n), POP -> site order */
} path;

typedef struct imp {
  gn_store *st;
  gn_ctx *ctx;
  const gn_plan *p;
  size_t nn, nt, ns, np;
  gn_graph *g;
  path *paths;
  size_t npaths, cap_paths;
  size_t *ptr; /* trench indices of all paths */
  size_t nptr, cap_ptr;
  int *demand, *size, *used;
  int64_t *fiber0, *odf0[2], *closure, *site_fid, *pop_fid, *olt, *cpe;
  int *cpe_ports, *olt_ports;
  long *pop_at; /* node -> pop index + 1 (0 none) */
  long *protect_of; /* node -> protect path index + 1, -1 none, 0 unknown */
  sqlite3_stmt *s_fiber, *s_splice, *s_port, *s_cf, *s_ct, *s_closure;
  gn_store_import_stats stats;
} imp;

static gn_status step(imp *m, sqlite3_stmt *s, const char *what) {
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return GN_OK;
  return gn__st_err(m->st, rc, what);
}

static void *zalloc(imp *m, size_t n, size_t es, gn_status *rs) {
  void *p = gn_malloc(m->ctx, n * es + 1);
  if (!p) {
    *rs = gn__fail(m->ctx, GN_ENOMEM, "out of memory importing a plan");
    return NULL;
  }
  memset(p, 0, n * es + 1);
  return p;
}

static gn_status alloc_all(imp *m) {
  gn_status rs = GN_OK;
  m->demand = zalloc(m, m->nt, sizeof(int), &rs);
  m->size = zalloc(m, m->nt, sizeof(int), &rs);
  m->used = zalloc(m, m->nt, sizeof(int), &rs);
  m->fiber0 = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->odf0[0] = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->odf0[1] = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->closure = zalloc(m, m->nn, sizeof(int64_t), &rs);
  m->site_fid = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe_ports = zalloc(m, m->ns, sizeof(int), &rs);
  m->pop_fid = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt_ports = zalloc(m, m->np, sizeof(int), &rs);
  m->pop_at = zalloc(m, m->nn, sizeof(long), &rs);
  m->protect_of = zalloc(m, m->nn, sizeof(long), &rs);
  return rs;
}

static void free_all(imp *m) {
  void *arrs[] = {m->demand, m->size,     m->used,   m->fiber0,   m->odf0[0],
                  m->odf0[1], m->closure, m->site_fid, m->cpe,    m->cpe_ports,
                  m->pop_fid, m->olt,     m->olt_ports, m->pop_at, m->paths,
                  m->ptr,     m->protect_of};
  for (size_t i = 0; i < sizeof(arrs) / sizeof(arrs[0]); i++)
    gn_free(m->ctx, arrs[i]);
  sqlite3_stmt *ss[] = {m->s_fiber, m->s_splice, m->s_port,
                        m->s_cf,    m->s_ct,     m->s_closure};
  for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++) sqlite3_finalize(ss[i]);
  gn_graph_free(m->g);
}

/* ---- paths --------------------------------------------------------- */

static gn_status build_graph(imp *m) {
  gn_status rs = gn_graph_create(m->ctx, m->nn, m->nt, &m->g);
  if (rs == GN_OK) rs = gn_graph_add_nodes(m->g, m->nn);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    double len = t->length_m > 0 ? t->length_m : 0;
    gn_edge e = {t->a, t->b, len + (t->redundant ? RING_PENALTY : 0), len,
                 t->id, t->road_class};
    rs = gn_graph_add_edge(m->g, &e, NULL);
  }
  if (rs == GN_OK) rs = gn_graph_finalize(m->g);
  return rs;
}

/* Append the path from node v back to a source along pred (node -> POP
 * order reversed into POP -> site order). */
static gn_status add_path(imp *m, size_t site, int protect, gn_id v,
                          const gn_id *pred) {
  size_t start = m->nptr;
  while (pred[v] != GN_NONE) {
    gn_id e = pred[v];
    if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + 1) != GN_OK)
      return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
    m->ptr[m->nptr++] = e;
    const gn_edge *ed = gn_graph_edge(m->g, e);
    v = ed->u == v ? ed->v : ed->u;
  }
  for (size_t i = start, j = m->nptr; i + 1 < j; i++, j--) {
    size_t tmp = m->ptr[i];
    m->ptr[i] = m->ptr[j - 1];
    m->ptr[j - 1] = tmp;
  }
  if (GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  path *pa = &m->paths[m->npaths++];
  pa->site = site;
  pa->protect = protect;
  pa->pop = (size_t)(m->pop_at[v] - 1);
  pa->off = start;
  pa->n = m->nptr - start;
  for (size_t i = 0; i < pa->n; i++) m->demand[m->ptr[start + i]] += 2;
  return GN_OK;
}

/* A copy of path src for another site (same node, same protect path). */
static gn_status copy_path(imp *m, size_t site, size_t src) {
  path pa = m->paths[src];
  if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + pa.n) != GN_OK ||
      GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  memcpy(m->ptr + m->nptr, m->ptr + pa.off, pa.n * sizeof(size_t));
  for (size_t i = 0; i < pa.n; i++) m->demand[m->ptr[pa.off + i]] += 2;
  pa.site = site;
  pa.off = m->nptr;
  m->nptr += pa.n;
  m->paths[m->npaths++] = pa;
  return GN_OK;
}

static gn_status protect_path(imp *m, size_t site, const path *w, double *dist,
                              gn_id *pred, const gn_id *src, size_t nsrc) {
  const gn_plan_site *s = gn_plan_site_get(m->p, site);
  for (size_t i = 0; i < w->n; i++)
    gn_graph_set_weight(m->g, (gn_id)m->ptr[w->off + i], BLOCKED);
  gn_status rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  for (size_t i = 0; i < w->n; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, m->ptr[w->off + i]);
    gn_graph_set_weight(m->g, (gn_id)m->ptr[w->off + i],
                        t->length_m + (t->redundant ? RING_PENALTY : 0));
  }
  if (rs != GN_OK || dist[s->node] >= BLOCKED / 2) return rs;
  return add_path(m, site, 1, s->node, pred);
}

static int has_ring(const gn_plan *p) {
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->redundant) return 1;
  return 0;
}

static gn_status compute_paths(imp *m) {
  gn_status rs = GN_OK;
  double *dist = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *pred = zalloc(m, m->nn, sizeof(gn_id), &rs);
  double *d2 = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *p2 = zalloc(m, m->nn, sizeof(gn_id), &rs);
  gn_id *src = zalloc(m, m->np, sizeof(gn_id), &rs);
  size_t nsrc = 0;
  for (size_t i = 0; rs == GN_OK && i < m->np; i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(m->p, i);
    if (pp->node == GN_NONE) continue;
    m->pop_at[pp->node] = (long)i + 1;
    src[nsrc++] = pp->node;
  }
  if (rs == GN_OK) rs = build_graph(m);
  if (rs == GN_OK) rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  int ring = has_ring(m->p);
  for (size_t i = 0; rs == GN_OK && i < m->ns; i++) {
    const gn_plan_site *s = gn_plan_site_get(m->p, i);
    if (s->node == GN_NONE || s->status != GN_SITE_CONNECTED ||
        !isfinite(dist[s->node]))
      continue;
    rs = add_path(m, i, 0, s->node, pred);
    if (rs != GN_OK || !ring || m->paths[m->npaths - 1].n == 0) continue;
    path w = m->paths[m->npaths - 1];
    long *memo = &m->protect_of[s->node]; /* 0 unknown, -1 none, k+1 */
    if (*memo > 0) {
      rs = copy_path(m, i, (size_t)*memo - 1);
      continue;
    }
    if (*memo < 0) continue;
    size_t before = m->npaths;
    rs = protect_path(m, i, &w, d2, p2, src, nsrc);
    *memo = m->npaths > before ? (long)m->npaths : -1;
  }
  gn_free(m->ctx, dist);
  gn_free(m->ctx, pred);
  gn_free(m->ctx, d2);
  gn_free(m->ctx, p2);
  gn_free(m->ctx, src);
  return rs;
}

/* ---- sizing -------------------------------------------------------- */

static int round_size(int need) {
  static const int sizes[] = {12, 24, 48, 72, 96, 144, 288};
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    if (need <= sizes[i]) return sizes[i];
  return (need + 143) / 144 * 144;
}

static void size_cables(imp *m) {
  for (size_t i = 0; i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    int sz = t->cable_size;
    if (sz <= 0) sz = round_size((t->sites_downstream * 2 * 3 + 1) / 2);
    if (sz < m->demand[i]) sz = round_size(m->demand[i]);
    m->size[i] = sz;
  }
}

/* ---- rows ---------------------------------------------------------- */

static gn_status put_nodes(imp *m) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(m->st, "INSERT INTO nodes VALUES(?,?,?)", &s);
  for (size_t i = 0; rs == GN_OK && i < m->nn; i++) {
    const gn_plan_node *nd = gn_plan_node_get(m->p, (gn_id)i);
    sqlite3_bind_int64(s, 1, (int64_t)i);
    sqlite3_bind_double(s, 2, nd->lon);
    sqlite3_bind_double(s, 3, nd->lat);
    rs = step(m, s, "insert node");
  }
  sqlite3_finalize(s);
  return rs;
}

static void bind_point(sqlite3_stmt *s, int col, gn_ctx *ctx, double lon,
                       double lat) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__gpkg_point(&b, lon, lat);
  if (!b.oom) sqlite3_bind_blob(s, col, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
}

static gn_status put_sites(imp *m) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO sites(geom,site_id,name,category,priority,critical,phase,"
      "node,drop_m,lon,lat) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
      &s);
  for (size_t i = 0; rs == GN_OK && i < m->ns; i++) {
    const gn_plan_site *x = gn_plan_site_get(m->p, i);
    bind_point(s, 1, m->ctx, x->lon, x->lat);
    sqlite3_bind_text(s, 2, x->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, x->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, gn_category_name(x->category), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, x->priority);
    sqlite3_bind_int(s, 6, x->critical);
    sqlite3_bind_text(s, 7, x->phase, -1, SQLITE_STATIC);
    if (x->node != GN_NONE) sqlite3_bind_int64(s, 8, x->node);
    sqlite3_bind_double(s, 9, isfinite(x->drop_m) ? x->drop_m : 0);
    sqlite3_bind_double(s, 10, x->lon);
    sqlite3_bind_double(s, 11, x->lat);
    rs = step(m, s, "insert site");
    if (rs != GN_OK)
      gn__fail(m->ctx, rs, "site %s: cannot store", x->id);
    m->site_fid[i] = sqlite3_last_insert_rowid(m->st->db);
  }
  sqlite3_finalize(s);
  m->stats.sites = m->ns;
  return rs;
}

static gn_status put_pops(imp *m) {
  sqlite3_stmt *s = NULL, *e = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT INTO pops(geom,pop_id,name,node) VALUES(?,?,?,?)", &s);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO equipment(kind,name,pop) VALUES('olt',?,?)",
                     &e);
  for (size_t i = 0; rs == GN_OK && i < m->np; i++) {
    const gn_plan_pop *x = gn_plan_pop_get(m->p, i);
    bind_point(s, 1, m->ctx, x->lon, x->lat);
    sqlite3_bind_text(s, 2, x->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, x->name, -1, SQLITE_STATIC);
    if (x->node != GN_NONE) sqlite3_bind_int64(s, 4, x->node);
    rs = step(m, s, "insert pop");
    m->pop_fid[i] = sqlite3_last_insert_rowid(m->st->db);
    char name[160];
    snprintf(name, sizeof(name), "OLT %s", x->id);
    sqlite3_bind_text(e, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(e, 2, m->pop_fid[i]);
    if (rs == GN_OK) rs = step(m, e, "insert olt");
    m->olt[i] = sqlite3_last_insert_rowid(m->st->db);
  }
  sqlite3_finalize(s);
  sqlite3_finalize(e);
  m->stats.pops = m->np;
  return rs;
}

static gn_status bind_line(sqlite3_stmt *s, int col, gn_ctx *ctx,
                           const gn_plan_trench *t) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__gpkg_line(&b, t->coords, t->ncoords);
  if (b.oom) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  sqlite3_bind_blob(s, col, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
  return GN_OK;
}

static gn_status put_trench(imp *m, sqlite3_stmt *s, const gn_plan_trench *t) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (size_t k = 0; k < t->ncoords; k++) {
    x0 = fmin(x0, t->coords[2 * k]);
    x1 = fmax(x1, t->coords[2 * k]);
    y0 = fmin(y0, t->coords[2 * k + 1]);
    y1 = fmax(y1, t->coords[2 * k + 1]);
  }
  sqlite3_bind_int64(s, 1, t->id);
  gn_status rs = bind_line(s, 2, m->ctx, t);
  sqlite3_bind_int64(s, 3, t->a);
  sqlite3_bind_int64(s, 4, t->b);
  sqlite3_bind_double(s, 5, t->length_m);
  sqlite3_bind_int(s, 6, t->redundant);
  sqlite3_bind_text(s, 7, gn_road_class_name(t->road_class), -1,
                    SQLITE_STATIC);
  sqlite3_bind_int(s, 8, t->sites_downstream);
  sqlite3_bind_text(s, 9, t->phase, -1, SQLITE_STATIC);
  sqlite3_bind_double(s, 10, x0);
  sqlite3_bind_double(s, 11, y0);
  sqlite3_bind_double(s, 12, x1);
  sqlite3_bind_double(s, 13, y1);
  if (rs == GN_OK) rs = step(m, s, "insert trench");
  if (rs != GN_OK)
    return gn__fail(m->ctx, rs, "trench %lld: cannot store (duplicate id?)",
                    (long long)t->id);
  return GN_OK;
}

static gn_status put_fibers(imp *m, size_t t, int64_t cable) {
  for (int k = 1; k <= m->size[t]; k++) {
    int tube = (k - 1) / 12 + 1;
    sqlite3_bind_int64(m->s_fiber, 1, cable);
    sqlite3_bind_int(m->s_fiber, 2, k);
    sqlite3_bind_int(m->s_fiber, 3, tube);
    sqlite3_bind_text(m->s_fiber, 4, gn__tia598(tube), -1, SQLITE_STATIC);
    sqlite3_bind_text(m->s_fiber, 5, gn__tia598((k - 1) % 12 + 1), -1,
                      SQLITE_STATIC);
    gn_status rs = step(m, m->s_fiber, "insert fiber");
    if (rs != GN_OK) return rs;
    int64_t id = sqlite3_last_insert_rowid(m->st->db);
    if (k == 1) m->fiber0[t] = id;
    if (id != m->fiber0[t] + k - 1)
      return gn__fail(m->ctx, GN_EINTERNAL, "fiber ids not consecutive");
  }
  m->stats.fibers += (size_t)m->size[t];
  return GN_OK;
}

static gn_status put_cables(imp *m) {
  sqlite3_stmt *s = NULL, *c = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO trenches(fid,geom,a_node,b_node,length_m,redundant,"
      "road_class,sites_downstream,phase,min_x,min_y,max_x,max_y)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", &s);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO cables(geom,name,trench,fiber_count,tubes,"
                     "length_m) VALUES(?,?,?,?,?,?)", &c);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    rs = put_trench(m, s, t);
    if (rs != GN_OK) break;
    char name[64];
    snprintf(name, sizeof(name), "C%lld-%d", (long long)t->id, m->size[i]);
    rs = bind_line(c, 1, m->ctx, t);
    sqlite3_bind_text(c, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(c, 3, t->id);
    sqlite3_bind_int(c, 4, m->size[i]);
    sqlite3_bind_int(c, 5, (m->size[i] + 11) / 12);
    sqlite3_bind_double(c, 6, t->length_m);
    if (rs == GN_OK) rs = step(m, c, "insert cable");
    if (rs == GN_OK)
      rs = put_fibers(m, i, sqlite3_last_insert_rowid(m->st->db));
  }
  sqlite3_finalize(s);
  sqlite3_finalize(c);
  m->stats.trenches = m->stats.cables = m->nt;
  return rs;
}

/* An ODF panel at each POP end of each cable; port k holds fiber k. */
static gn_status put_odfs(imp *m) {
  sqlite3_stmt *e = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO equipment(kind,name,pop,cable) SELECT 'odf',?,?,fid FROM"
      " cables WHERE trench=?", &e);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    gn_id ends[2] = {t->a, t->b};
    for (int end = 0; rs == GN_OK && end < 2; end++) {
      long pi = m->pop_at[ends[end]];
      if (!pi) continue;
      char name[160];
      snprintf(name, sizeof(name), "ODF %s/C%lld",
               gn_plan_pop_get(m->p, (size_t)pi - 1)->id, (long long)t->id);
      sqlite3_bind_text(e, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(e, 2, m->pop_fid[pi - 1]);
      sqlite3_bind_int64(e, 3, t->id);
      rs = step(m, e, "insert odf");
      int64_t eq = sqlite3_last_insert_rowid(m->st->db);
      for (int k = 1; rs == GN_OK && k <= m->size[i]; k++) {
        sqlite3_bind_int64(m->s_port, 1, eq);
        sqlite3_bind_int(m->s_port, 2, k);
        sqlite3_bind_int64(m->s_port, 3, m->fiber0[i] + k - 1);
        sqlite3_bind_text(m->s_port, 4, end ? "b" : "a", -1, SQLITE_STATIC);
        rs = step(m, m->s_port, "insert odf port");
        if (k == 1) m->odf0[end][i] = sqlite3_last_insert_rowid(m->st->db);
        m->stats.ports++;
      }
    }
  }
  sqlite3_finalize(e);
  return rs;
}

static gn_status closure_at(imp *m, gn_id node, int64_t *out) {
  if (!m->closure[node]) {
    const gn_plan_node *nd = gn_plan_node_get(m->p, node);
    char name[32];
    snprintf(name, sizeof(name), "SC-%u", node);
    bind_point(m->s_closure, 1, m->ctx, nd->lon, nd->lat);
    sqlite3_bind_text(m->s_closure, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(m->s_closure, 3, node);
    gn_status rs = step(m, m->s_closure, "insert closure");
    if (rs != GN_OK) return rs;
    m->closure[node] = sqlite3_last_insert_rowid(m->st->db);
    m->stats.closures++;
  }
  *out = m->closure[node];
  return GN_OK;
}

static gn_status put_port(imp *m, int64_t eq, int num, int64_t fiber,
                          char end, int64_t peer, int64_t *out) {
  sqlite3_bind_int64(m->s_port, 1, eq);
  sqlite3_bind_int(m->s_port, 2, num);
  if (fiber) sqlite3_bind_int64(m->s_port, 3, fiber);
  if (fiber) sqlite3_bind_text(m->s_port, 4, end == 'a' ? "a" : "b", -1,
                               SQLITE_STATIC);
  if (peer) sqlite3_bind_int64(m->s_port, 5, peer);
  gn_status rs = step(m, m->s_port, "insert port");
  *out = sqlite3_last_insert_rowid(m->st->db);
  m->stats.ports++;
  return rs;
}

static gn_status splice(imp *m, gn_id node, int64_t fa, char ea, int64_t fb,
                        char eb) {
  int64_t cl = 0;
  gn_status rs = closure_at(m, node, &cl);
  if (rs != GN_OK) return rs;
  char sa[2] = {ea, 0}, sb[2] = {eb, 0};
  sqlite3_bind_int64(m->s_splice, 1, cl);
  sqlite3_bind_int64(m->s_splice, 2, fa);
  sqlite3_bind_text(m->s_splice, 3, sa, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(m->s_splice, 4, fb);
  sqlite3_bind_text(m->s_splice, 5, sb, -1, SQLITE_TRANSIENT);
  m->stats.splices++;
  return step(m, m->s_splice, "insert splice");
}

/* One strand of a circuit: fibers POP -> site, splices between them.
 * *odf gets the ODF port at the POP, *last and *last_end the fiber end at the
 * site. */
static gn_status put_strand(imp *m, int64_t cid, int strand, const path *pa,
                            int64_t *odf, int64_t *last, char *last_end) {
  gn_id cur = gn_plan_pop_get(m->p, pa->pop)->node;
  int64_t prev = 0;
  char prev_end = 'a';
  gn_status rs = GN_OK;
  for (size_t i = 0; rs == GN_OK && i < pa->n; i++) {
    size_t t = m->ptr[pa->off + i];
    const gn_plan_trench *tr = gn_plan_trench_get(m->p, t);
    int64_t f = m->fiber0[t] + m->used[t]++;
    char near = tr->a == cur ? 'a' : 'b';
    if (i == 0)
      *odf = m->odf0[near == 'a' ? 0 : 1][t] + (f - m->fiber0[t]);
    else
      rs = splice(m, cur, prev, prev_end, f, near);
    sqlite3_bind_int64(m->s_cf, 1, cid);
    sqlite3_bind_int(m->s_cf, 2, strand);
    sqlite3_bind_int(m->s_cf, 3, (int)i);
    sqlite3_bind_int64(m->s_cf, 4, f);
    if (rs == GN_OK) rs = step(m, m->s_cf, "insert circuit fiber");
    prev = f;
    prev_end = near == 'a' ? 'b' : 'a';
    cur = near == 'a' ? tr->b : tr->a;
  }
  *last = prev;
  *last_end = prev_end;
  return rs;
}

static gn_status cpe_of(imp *m, size_t site, int64_t *out) {
  if (!m->cpe[site]) {
    sqlite3_stmt *s = NULL;
    gn_status rs = gn__st_prep(
        m->st, "INSERT INTO equipment(kind,name,site) VALUES('cpe',?,?)", &s);
    char name[160];
    snprintf(name, sizeof(name), "CPE %s", gn_plan_site_get(m->p, site)->id);
    if (rs == GN_OK) {
      sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 2, m->site_fid[site]);
      rs = step(m, s, "insert cpe");
    }
    sqlite3_finalize(s);
    if (rs != GN_OK) return rs;
    m->cpe[site] = sqlite3_last_insert_rowid(m->st->db);
  }
  *out = m->cpe[site];
  return GN_OK;
}

static gn_status put_circuit(imp *m, sqlite3_stmt *sc, sqlite3_stmt *ss,
                             const path *pa) {
  const gn_plan_site *site = gn_plan_site_get(m->p, pa->site);
  char name[200];
  snprintf(name, sizeof(name), "%s/%s", site->id,
           pa->protect ? "protect" : "working");
  sqlite3_bind_text(sc, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(sc, 2, m->site_fid[pa->site]);
  sqlite3_bind_text(sc, 3, pa->protect ? "protect" : "working", -1,
                    SQLITE_STATIC);
  sqlite3_bind_int64(sc, 4, m->pop_fid[pa->pop]);
  gn_status rs = step(m, sc, "insert circuit");
  int64_t cid = sqlite3_last_insert_rowid(m->st->db), cpe = 0;
  if (rs == GN_OK) rs = cpe_of(m, pa->site, &cpe);
  for (int strand = 0; rs == GN_OK && strand < 2; strand++) {
    int64_t odf = 0, last = 0, olt_port = 0, cpe_port = 0;
    char last_end = 'a';
    rs = put_strand(m, cid, strand, pa, &odf, &last, &last_end);
    if (rs == GN_OK)
      rs = put_port(m, m->olt[pa->pop], ++m->olt_ports[pa->pop], 0, 0, odf,
                    &olt_port);
    if (rs == GN_OK)
      rs = put_port(m, cpe, ++m->cpe_ports[pa->site], last, last_end, 0,
                    &cpe_port);
    sqlite3_bind_int64(ss, 1, cid);
    sqlite3_bind_int(ss, 2, strand);
    sqlite3_bind_int64(ss, 3, odf);
    sqlite3_bind_int64(ss, 4, cpe_port);
    if (rs == GN_OK) rs = step(m, ss, "insert circuit strand");
  }
  for (size_t i = 0; rs == GN_OK && i < pa->n; i++) {
    sqlite3_bind_int64(m->s_ct, 1,
                       gn_plan_trench_get(m->p, m->ptr[pa->off + i])->id);
    sqlite3_bind_int64(m->s_ct, 2, cid);
    rs = step(m, m->s_ct, "insert circuit trench");
  }
  m->stats.circuits++;
  return rs;
}

static gn_status put_circuits(imp *m) {
  sqlite3_stmt *sc = NULL, *ss = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT INTO circuits(name,site,role,pop) VALUES(?,?,?,?)", &sc);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO circuit_strands VALUES(?,?,?,?)",
                     &ss);
  for (size_t i = 0; rs == GN_OK && i < m->npaths; i++) {
    if (m->paths[i].n == 0) continue; /* building at the POP itself */
    rs = put_circuit(m, sc, ss, &m->paths[i]);
    if (m->paths[i].protect) m->stats.protected_sites++;
  }
  sqlite3_finalize(sc);
  sqlite3_finalize(ss);
  return rs;
}

static gn_status prepare(imp *m) {
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO fibers(cable,number,tube,tube_colour,fiber_colour)"
      " VALUES(?,?,?,?,?)", &m->s_fiber);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO splices(closure,fiber_a,end_a,fiber_b,end_b)"
                     " VALUES(?,?,?,?,?)", &m->s_splice);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO ports(equipment,number,fiber,fiber_end,peer)"
                     " VALUES(?,?,?,?,?)", &m->s_port);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO circuit_fibers VALUES(?,?,?,?)",
                     &m->s_cf);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT OR IGNORE INTO circuit_trenches VALUES(?,?)",
                     &m->s_ct);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO closures(geom,name,node) VALUES(?,?,?)",
                     &m->s_closure);
  return rs;
}

static gn_status put_meta(imp *m, const char *user) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT OR REPLACE INTO gn_meta VALUES('plan.' || ?, ?)", &s);
  for (size_t i = 0; rs == GN_OK && i < gn_plan_meta_count(m->p); i++) {
    const char *k, *v;
    gn_plan_meta_at(m->p, i, &k, &v);
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, v, -1, SQLITE_STATIC);
    rs = step(m, s, "insert meta");
  }
  sqlite3_finalize(s);
  const gn_store_import_stats *x = &m->stats;
  gn__sb b;
  gn__sb_init(&b, m->ctx);
  gn__sb_printf(&b,
                "{\"sites\":%zu,\"pops\":%zu,\"trenches\":%zu,\"cables\":%zu,"
                "\"fibers\":%zu,\"closures\":%zu,\"splices\":%zu,\"ports\":%zu,",
                x->sites, x->pops, x->trenches, x->cables, x->fibers,
                x->closures, x->splices, x->ports);
  gn__sb_printf(&b, "\"circuits\":%zu,\"protected_sites\":%zu}", x->circuits,
                x->protected_sites);
  char *json = NULL;
  if (rs == GN_OK) rs = gn__sb_finish(&b, &json);
  gn__sb_cleanup(&b);
  if (rs == GN_OK)
    rs = gn__st_audit(m->st, user, "import-plan", "plan", NULL, json);
  if (rs == GN_OK && gn__st_prep(m->st,
                                 "INSERT OR REPLACE INTO gn_meta VALUES"
                                 "('import.stats',?),('import.at',"
                                 "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                                 &s) == GN_OK) {
    sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
    rs = step(m, s, "insert meta");
    sqlite3_finalize(s);
  }
  gn_free(m->ctx, json);
  return rs;
}

static gn_status check_plan(imp *m) {
  const char *v = gn_plan_get_meta(m->p, "plan_version");
  if (v && strcmp(v, "1") != 0)
    return gn__fail(m->ctx, GN_EFORMAT,
                    "plan format version %s is not supported (expected 1)", v);
  if (m->np == 0) return gn__fail(m->ctx, GN_EINVAL, "plan has no POP");
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(m->st, "SELECT count(*) FROM trenches", 0, &n,
                            &found);
  if (rs == GN_OK && n > 0)
    return gn__fail(m->ctx, GN_ECONFLICT,
                    "store already holds a network (%lld trenches)",
                    (long long)n);
  return rs;
}

static gn_status import_rows(imp *m, const char *user) {
  gn_status rs = prepare(m);
  if (rs == GN_OK) rs = put_nodes(m);
  if (rs == GN_OK) rs = put_sites(m);
  if (rs == GN_OK) rs = put_pops(m);
  if (rs == GN_OK) rs = put_cables(m);
  if (rs == GN_OK) rs = put_odfs(m);
  if (rs == GN_OK) rs = put_circuits(m);
  if (rs == GN_OK) rs = put_meta(m, user);
  return rs;
}

gn_status gn_store_import_plan(gn_store *st, const gn_plan *plan,
                               const char *user,
                               gn_store_import_stats *stats) {
  gn_ctx_clear(st->ctx);
  imp m;
  memset(&m, 0, sizeof(m));
  m.st = st;
  m.ctx = st->ctx;
  m.p = plan;
  m.nn = gn_plan_node_count(plan);
  m.nt = gn_plan_trench_count(plan);
  m.ns = gn_plan_site_count(plan);
  m.np = gn_plan_pop_count(plan);
  gn_status rs = alloc_all(&m);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) {
    free_all(&m);
    return rs;
  }
  rs = check_plan(&m);
  if (rs == GN_OK) rs = compute_paths(&m);
  if (rs == GN_OK) size_cables(&m);
  if (rs == GN_OK) rs = import_rows(&m, user);
  free_all(&m);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  if (rs == GN_OK && stats) *stats = m.stats;
  return rs;
}
