/*
 * store_import.c - A plan becomes as-designed records, in one transaction.
 *
 * Design: the layout first, rows second. gn_layout_build (src/design/
 * layout.c, the same code the plan's summary uses, so the figures agree)
 * gives each building its working path to the nearest hub or POP and a
 * trench-disjoint protect path where the rings allow, the cables
 * (continuous runs from the hubs outward, longest first; ring trenches
 * in runs of their own) and, per circuit, one fiber pair in each cable
 * stretch it uses. Rows are then written with prepared statements:
 * nodes, sites, POPs (an OLT at a POP, a switch at a hub), trenches,
 * cables, fibers (a used fiber records the stretch it is lit over:
 * span_from/span_to/span_m and its end nodes), ODF panels at the POP
 * ends of cables, circuits with their fibers, splices only where a
 * circuit changes cable (express fibers pass closures uncut), closures
 * where there is a splice or a building is tapped mid-cable, CPE ports
 * and the circuit -> trench index. Everything happens inside one
 * BEGIN IMMEDIATE ... COMMIT: a crash or kill leaves the file unchanged.
 * Fiber ids of one cable are consecutive (AUTOINCREMENT inside one
 * transaction), so fiber k of cable c is fiber0[c] + k - 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/io.h"
#include "io/text.h"
#include "design/layout.h"
#include "store/store_int.h"

typedef struct imp {
  gn_store *st;
  gn_ctx *ctx;
  const gn_plan *p;
  gn_layout *L;
  size_t nn, nt, ns, np;
  int64_t *fiber0, *odf0[2], *closure, *site_fid, *pop_fid, *olt, *cpe;
  int *cpe_ports, *olt_ports;
  sqlite3_stmt *s_fiber, *s_splice, *s_port, *s_cf, *s_ct, *s_closure,
      *s_span;
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
  size_t nc = m->L->ncables;
  m->fiber0 = zalloc(m, nc, sizeof(int64_t), &rs);
  m->odf0[0] = zalloc(m, nc, sizeof(int64_t), &rs);
  m->odf0[1] = zalloc(m, nc, sizeof(int64_t), &rs);
  m->closure = zalloc(m, m->nn, sizeof(int64_t), &rs);
  m->site_fid = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe_ports = zalloc(m, m->ns, sizeof(int), &rs);
  m->pop_fid = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt_ports = zalloc(m, m->np, sizeof(int), &rs);
  return rs;
}

static void free_all(imp *m) {
  void *arrs[] = {m->fiber0,   m->odf0[0], m->odf0[1], m->closure,
                  m->site_fid, m->cpe,     m->cpe_ports, m->pop_fid,
                  m->olt,      m->olt_ports};
  for (size_t i = 0; i < sizeof(arrs) / sizeof(arrs[0]); i++)
    gn_free(m->ctx, arrs[i]);
  sqlite3_stmt *ss[] = {m->s_fiber, m->s_splice, m->s_port, m->s_cf,
                        m->s_ct,    m->s_closure, m->s_span};
  for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++) sqlite3_finalize(ss[i]);
  gn_layout_free(m->L);
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
    rs = gn__st_site_text(m->ctx, x->id, x->name, x->phase);
    if (rs != GN_OK) break; /* nothing invalid is ever stored */
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
                     "INSERT INTO equipment(kind,name,pop) VALUES(?,?,?)",
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
    int hub = gn_pop_is_hub(x); /* a hub's aggregation switch */
    snprintf(name, sizeof(name), "%s %s", hub ? "Switch" : "OLT", x->id);
    sqlite3_bind_text(e, 1, hub ? "switch" : "olt", -1, SQLITE_STATIC);
    sqlite3_bind_text(e, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(e, 3, m->pop_fid[i]);
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
  int size = m->L->cables[t].size;
  for (int k = 1; k <= size; k++) {
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
  m->stats.fibers += (size_t)size;
  return GN_OK;
}

/* The cable's line from end a to end b (shared points once). */
static gn_status cable_line(imp *m, const gn__lcable *c, gn__sb *b) {
  double *ll = NULL;
  size_t n = 0, cap = 0;
  gn_id v = c->a;
  for (size_t k = 0; k < c->n; k++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, m->L->ctr[c->off + k]);
    int rev = t->a != v;
    for (size_t j = k ? 1 : 0; j < t->ncoords; j++) {
      size_t q = rev ? t->ncoords - 1 - j : j;
      if (GN__GROW(m->ctx, ll, cap, 2 * n + 2) != GN_OK) {
        gn_free(m->ctx, ll);
        return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
      }
      ll[2 * n] = t->coords[2 * q];
      ll[2 * n + 1] = t->coords[2 * q + 1];
      n++;
    }
    v = rev ? t->a : t->b;
  }
  gn__gpkg_line(b, ll, n);
  gn_free(m->ctx, ll);
  return b->oom ? gn__fail(m->ctx, GN_ENOMEM, "out of memory") : GN_OK;
}

static gn_status put_cable(imp *m, sqlite3_stmt *c, sqlite3_stmt *ct,
                           size_t ci) {
  const gn__lcable *ch = &m->L->cables[ci];
  int64_t first = gn_plan_trench_get(m->p, m->L->ctr[ch->off])->id;
  char name[64];
  snprintf(name, sizeof(name), "C%lld-%d", (long long)first, ch->size);
  gn__sb b;
  gn__sb_init(&b, m->ctx);
  gn_status rs = cable_line(m, ch, &b);
  if (rs == GN_OK) sqlite3_bind_blob(c, 1, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
  sqlite3_bind_text(c, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(c, 3, first);
  sqlite3_bind_int(c, 4, ch->size);
  sqlite3_bind_int(c, 5, (ch->size + 11) / 12);
  sqlite3_bind_double(c, 6, ch->length_m);
  sqlite3_bind_int64(c, 7, ch->a);
  sqlite3_bind_int64(c, 8, ch->b);
  if (rs == GN_OK) rs = step(m, c, "insert cable");
  int64_t cable = sqlite3_last_insert_rowid(m->st->db);
  for (size_t k = 0; rs == GN_OK && k < ch->n; k++) {
    sqlite3_bind_int64(ct, 1, cable);
    sqlite3_bind_int64(ct, 2, (int64_t)k);
    sqlite3_bind_int64(ct, 3,
                       gn_plan_trench_get(m->p, m->L->ctr[ch->off + k])->id);
    rs = step(m, ct, "insert cable trench");
  }
  if (rs == GN_OK) rs = put_fibers(m, ci, cable);
  return rs;
}

static gn_status put_cables(imp *m) {
  sqlite3_stmt *s = NULL, *c = NULL, *ct = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO trenches(fid,geom,a_node,b_node,length_m,redundant,"
      "road_class,sites_downstream,phase,min_x,min_y,max_x,max_y)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", &s);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO cables(geom,name,trench,fiber_count,tubes,"
                     "length_m,a_node,b_node) VALUES(?,?,?,?,?,?,?,?)", &c);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO cable_trenches VALUES(?,?,?)", &ct);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++)
    rs = put_trench(m, s, gn_plan_trench_get(m->p, i));
  for (size_t i = 0; rs == GN_OK && i < m->L->ncables; i++)
    rs = put_cable(m, c, ct, i);
  sqlite3_finalize(s);
  sqlite3_finalize(c);
  sqlite3_finalize(ct);
  m->stats.trenches = m->nt;
  m->stats.cables = m->L->ncables;
  return rs;
}

/* An ODF panel at each POP end of each cable; port k holds fiber k. */
/* busy[fiber0-relative index] bit e+1: the fiber's end ('a' e=0, 'b'
 * e=1) is taken by a splice or a CPE (its ODF port stays unpatched). */
static unsigned char *busy_ends(imp *m, gn_status *rs) {
  size_t total = 0;
  for (size_t c = 0; c < m->L->ncables; c++) total += (size_t)m->L->cables[c].size;
  unsigned char *busy = zalloc(m, total, 1, rs);
  if (!busy) return NULL;
  size_t *base = zalloc(m, m->L->ncables, sizeof(size_t), rs);
  if (!base) {
    gn_free(m->ctx, busy);
    return NULL;
  }
  for (size_t c = 1; c < m->L->ncables; c++)
    base[c] = base[c - 1] + (size_t)m->L->cables[c - 1].size;
  for (size_t i = 0; i < m->L->npaths; i++) {
    const gn__lpath *pa = &m->L->paths[i];
    for (size_t k = 0; k < pa->nseg; k++) {
      const gn__lseg *sg = &m->L->segs[pa->seg_off + k];
      int near = sg->near == 'a' ? 1 : 2, far = near == 1 ? 2 : 1;
      unsigned char bits = (unsigned char)(far | (k > 0 ? near : 0));
      for (int strand = 0; strand < 2; strand++)
        busy[base[sg->cable] + (size_t)sg->fiber - 1 + (size_t)strand] |= bits;
    }
  }
  for (size_t c = 0; c < m->L->ncables; c++) m->odf0[0][c] = (int64_t)base[c];
  gn_free(m->ctx, base);
  return busy;
}

static gn_status put_odfs(imp *m) {
  sqlite3_stmt *e = NULL;
  unsigned char *busy = NULL;
  gn_status rs = GN_OK;
  busy = busy_ends(m, &rs);
  if (rs != GN_OK) return rs;
  size_t *base = zalloc(m, m->L->ncables, sizeof(size_t), &rs);
  for (size_t c = 0; rs == GN_OK && c < m->L->ncables; c++)
    base[c] = (size_t)m->odf0[0][c];
  if (rs == GN_OK) memset(m->odf0[0], 0, m->L->ncables * sizeof(int64_t));
  if (rs == GN_OK) rs = gn__st_prep(
      m->st,
      "INSERT INTO equipment(kind,name,pop,cable) VALUES('odf',?,?,"
      "(SELECT fid FROM cables WHERE trench=?))", &e);
  for (size_t i = 0; rs == GN_OK && i < m->L->ncables; i++) {
    const gn__lcable *cb = &m->L->cables[i];
    gn_id ends[2] = {cb->a, cb->b};
    int64_t first = gn_plan_trench_get(m->p, m->L->ctr[cb->off])->id;
    for (int end = 0; rs == GN_OK && end < 2; end++) {
      long pi = m->L->pop_at[ends[end]];
      if (!pi) continue;
      char name[200];
      snprintf(name, sizeof(name), "ODF %s/C%lld",
               gn_plan_pop_get(m->p, (size_t)pi - 1)->id, (long long)first);
      sqlite3_bind_text(e, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(e, 2, m->pop_fid[pi - 1]);
      sqlite3_bind_int64(e, 3, first);
      rs = step(m, e, "insert odf");
      int64_t eq = sqlite3_last_insert_rowid(m->st->db);
      for (int k = 1; rs == GN_OK && k <= cb->size; k++) {
        sqlite3_bind_int64(m->s_port, 1, eq);
        sqlite3_bind_int(m->s_port, 2, k);
        if (!(busy[base[i] + (size_t)k - 1] & (end ? 2 : 1))) {
          sqlite3_bind_int64(m->s_port, 3, m->fiber0[i] + k - 1);
          sqlite3_bind_text(m->s_port, 4, end ? "b" : "a", -1, SQLITE_STATIC);
        }
        rs = step(m, m->s_port, "insert odf port");
        if (k == 1) m->odf0[end][i] = sqlite3_last_insert_rowid(m->st->db);
        m->stats.ports++;
      }
    }
  }
  sqlite3_finalize(e);
  gn_free(m->ctx, busy);
  gn_free(m->ctx, base);
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

/* The stretch a used fiber is lit over (trace lengths, impact, check). */
static gn_status put_span(imp *m, int64_t f, const gn__lseg *sg) {
  gn_id a = sg->near == 'a' ? sg->in_node : sg->out_node;
  gn_id b = sg->near == 'a' ? sg->out_node : sg->in_node;
  sqlite3_bind_int64(m->s_span, 1, (int64_t)sg->from);
  sqlite3_bind_int64(m->s_span, 2, (int64_t)sg->to);
  sqlite3_bind_double(m->s_span, 3, sg->span_m);
  sqlite3_bind_int64(m->s_span, 4, a);
  sqlite3_bind_int64(m->s_span, 5, b);
  sqlite3_bind_int64(m->s_span, 6, f);
  return step(m, m->s_span, "record fiber span");
}

/* One strand of a circuit: a fiber per segment POP -> site, spliced
 * where the circuit changes cable. *odf gets the ODF port at the POP,
 * *last and *last_end the fiber end at the site. */
static gn_status put_strand(imp *m, int64_t cid, int strand,
                            const gn__lpath *pa, int64_t *odf, int64_t *last,
                            char *last_end) {
  int64_t prev = 0;
  char prev_end = 'a';
  gn_status rs = GN_OK;
  for (size_t k = 0; rs == GN_OK && k < pa->nseg; k++) {
    const gn__lseg *sg = &m->L->segs[pa->seg_off + k];
    const gn__lcable *cb = &m->L->cables[sg->cable];
    int64_t f = m->fiber0[sg->cable] + sg->fiber - 1 + strand;
    char near = sg->near;
    if (k == 0) {
      gn_id end_node = near == 'a' ? cb->a : cb->b;
      int64_t o0 = m->odf0[near == 'a' ? 0 : 1][sg->cable];
      if (end_node != sg->in_node || !o0)
        return gn__fail(m->ctx, GN_EINTERNAL, "circuit of site %s does not "
                        "start at a cable end at its POP",
                        gn_plan_site_get(m->p, pa->site)->id);
      *odf = o0 + (f - m->fiber0[sg->cable]);
    } else {
      rs = splice(m, sg->in_node, prev, prev_end, f, near);
    }
    if (rs == GN_OK) rs = put_span(m, f, sg);
    sqlite3_bind_int64(m->s_cf, 1, cid);
    sqlite3_bind_int(m->s_cf, 2, strand);
    sqlite3_bind_int(m->s_cf, 3, (int)k);
    sqlite3_bind_int64(m->s_cf, 4, f);
    if (rs == GN_OK) rs = step(m, m->s_cf, "insert circuit fiber");
    prev = f;
    prev_end = near == 'a' ? 'b' : 'a';
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
                             const gn__lpath *pa) {
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
                       gn_plan_trench_get(m->p, m->L->ptr[pa->off + i])->id);
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
  for (size_t i = 0; rs == GN_OK && i < m->L->npaths; i++) {
    const gn__lpath *pa = &m->L->paths[i];
    if (pa->n == 0) continue; /* building at the POP or hub itself */
    rs = put_circuit(m, sc, ss, pa);
    if (pa->protect) m->stats.protected_sites++;
  }
  /* taps: buildings served from the middle of a cable */
  for (size_t v = 0; rs == GN_OK && v < m->nn; v++) {
    int64_t cl;
    if (m->L->closure[v]) rs = closure_at(m, (gn_id)v, &cl);
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
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "UPDATE fibers SET span_from=?,span_to=?,span_m=?,"
                     "span_a_node=?,span_b_node=? WHERE fid=?", &m->s_span);
  return rs;
}

/* The plan's cost: its metadata "cost_fcfa" when the planner wrote one,
 * else the sum of its trenches' cost_fcfa; *source NULL = never priced. */
static double plan_cost(const gn_plan *p, const char **source) {
  const char *v = gn_plan_get_meta(p, "cost_fcfa");
  double c = 0;
  *source = "plan";
  if (v && gn__parse_decimal(v, &c) == 0 && c >= 0) return c;
  c = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    double t = gn_plan_trench_get(p, i)->cost_fcfa;
    if (isfinite(t) && t > 0) c += t;
  }
  *source = c > 0 ? "trenches" : NULL;
  return c;
}

static gn_status put_cost(imp *m) {
  const char *source = NULL;
  double cost = plan_cost(m->p, &source);
  if (!source) return GN_OK;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(m->st,
                             "INSERT OR REPLACE INTO gn_meta VALUES"
                             "('import.cost_fcfa',?),('import.cost_source',?)",
                             &s);
  if (rs != GN_OK) return rs;
  char buf[64];
  snprintf(buf, sizeof buf, "%.2f", cost);
  sqlite3_bind_text(s, 1, buf, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
  rs = step(m, s, "insert cost");
  sqlite3_finalize(s);
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
  if (v && strcmp(v, GN_PLAN_FORMAT_VERSION) != 0)
    return gn__fail(m->ctx, GN_EFORMAT,
                    "plan format version %s is not supported (expected %s)", v,
                    GN_PLAN_FORMAT_VERSION);
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
  if (rs == GN_OK) rs = put_cost(m);
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
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = check_plan(&m);
  gn_layout_opts lo;
  gn_layout_opts_init(&lo);
  if (rs == GN_OK) rs = gn_layout_opts_from_plan(st->ctx, plan, &lo);
  if (rs == GN_OK) rs = gn_layout_build(plan, &lo, &m.L);
  if (rs == GN_OK) rs = alloc_all(&m);
  if (rs == GN_OK) rs = import_rows(&m, user);
  free_all(&m);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  if (rs == GN_OK && stats) *stats = m.stats;
  return rs;
}
