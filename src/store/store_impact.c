/*
 * store_impact.c - What a cut takes down: circuits and buildings ranked
 * by priority, with the survival of a protected path; OTDR fault location.
 *
 * Design: the derived index circuit_trenches (trench -> circuits, kept by
 * the import and every circuit edit, verified by gn_store_check) turns a
 * cut into one indexed lookup per cut trench. A building is protected
 * when one of its circuits (working or protect) avoids every cut trench
 * and runs over no broken fiber. A cable cut takes the circuits whose
 * fibers are in that cable. The OTDR form traces the fiber from the port,
 * converts the measured optical distance to trench metres (cable length =
 * trench length * cable_factor, slack loops at the start/end and at each
 * closure), names the fiber's trench and interpolates the map point.
 * Ranking: health, admin, education, other; then critical, priority
 * (desc), id.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/geo.h"
#include "store/store_int.h"

typedef struct acc {
  gn_store *st;
  gn_ctx *ctx;
  gn_impact *imp;
  size_t cap_sites, cap_circ, cap_tr;
  int64_t *cut;    /* sorted unique cut circuit ids */
  size_t ncut, cap_cut;
  int64_t *down;   /* sorted circuits over a broken fiber */
  size_t ndown;
} acc;

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static gn_status oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory computing impact");
}

static gn_status add_trench(acc *a, int64_t t) {
  gn_impact *m = a->imp;
  for (size_t i = 0; i < m->ntrenches; i++)
    if (m->trenches[i] == t) return GN_OK;
  if (GN__GROW(a->ctx, m->trenches, a->cap_tr, m->ntrenches + 1) != GN_OK)
    return oom(a->ctx);
  m->trenches[m->ntrenches++] = t;
  return GN_OK;
}

/* Add the circuits returned by q (bound) to the cut set. Columns: circuit,
 * name, role, site_id. */
static gn_status collect(acc *a, sqlite3_stmt *q) {
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t c = sqlite3_column_int64(q, 0);
    if (GN__GROW(a->ctx, a->cut, a->cap_cut, a->ncut + 1) != GN_OK)
      return oom(a->ctx);
    a->cut[a->ncut++] = c;
  }
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(a->st, rc, "impact");
}

static gn_status cut_trenches(acc *a, const int64_t *ids, size_t n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      a->st, "SELECT circuit FROM circuit_trenches WHERE trench=?", &q);
  for (size_t i = 0; rs == GN_OK && i < n; i++) {
    int64_t x;
    int found;
    rs = gn__st_int(a->st, "SELECT fid FROM trenches WHERE fid=?", ids[i], &x,
                    &found);
    if (rs == GN_OK && !found)
      rs = gn__fail(a->ctx, GN_ENOTFOUND, "trench %lld not found",
                    (long long)ids[i]);
    if (rs == GN_OK) rs = add_trench(a, ids[i]);
    sqlite3_bind_int64(q, 1, ids[i]);
    if (rs == GN_OK) rs = collect(a, q);
  }
  gn__st_release(a->st, q);
  return rs;
}

static gn_status cut_cable(acc *a, int64_t cable) {
  int64_t trench;
  int found;
  gn_status rs = gn__st_int(a->st, "SELECT trench FROM cables WHERE fid=?",
                            cable, &trench, &found);
  if (rs == GN_OK && !found)
    return gn__fail(a->ctx, GN_ENOTFOUND, "cable %lld not found",
                    (long long)cable);
  sqlite3_stmt *q = NULL;
  if (rs == GN_OK)
    rs = gn__st_cached(a->st,
                       "SELECT trench FROM cable_trenches WHERE cable=?"
                       " ORDER BY seq", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, cable);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW)
    rs = add_trench(a, sqlite3_column_int64(q, 0));
  gn__st_release(a->st, q);
  q = NULL;
  if (rs == GN_OK)
    rs = gn__st_cached(a->st,
                     "SELECT DISTINCT x.circuit FROM circuit_fibers x JOIN"
                     " fibers f ON f.fid=x.fiber WHERE f.cable=?", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, cable);
  rs = collect(a, q);
  gn__st_release(a->st, q);
  return rs;
}

/* ---- OTDR ------------------------------------------------------------ */

/* Point at along_m (trench metres) from end `from` of trench t. */
static gn_status locate(acc *a, int64_t t, char from, double along_m) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      a->st, "SELECT geom, length_m FROM trenches WHERE fid=?", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, t);
  double *ll = NULL;
  size_t n = 0;
  double len = 0;
  if (sqlite3_step(q) == SQLITE_ROW) {
    rs = gn__gpkg_line_decode(a->ctx, sqlite3_column_blob(q, 0),
                              (size_t)sqlite3_column_bytes(q, 0), &ll, &n);
    len = sqlite3_column_double(q, 1);
  }
  gn__st_release(a->st, q);
  if (rs != GN_OK || n == 0) {
    gn_free(a->ctx, ll);
    return rs == GN_OK ? gn__fail(a->ctx, GN_ENOTFOUND, "trench geometry")
                       : rs;
  }
  double geo = gn_geo_line_length_m(ll, n);
  double target = len > 0 ? along_m * geo / len : 0, acc_m = 0;
  a->imp->lon = ll[from == 'a' ? 0 : 2 * n - 2];
  a->imp->lat = ll[from == 'a' ? 1 : 2 * n - 1];
  for (size_t k = 0; k + 1 < n; k++) {
    size_t i = from == 'a' ? k : n - 1 - k, j = from == 'a' ? k + 1 : n - 2 - k;
    double d = gn_geo_distance_m(ll[2 * i], ll[2 * i + 1], ll[2 * j],
                                 ll[2 * j + 1]);
    double f = d > 0 ? fmin(1.0, (target - acc_m) / d) : 1.0;
    a->imp->lon = ll[2 * i] + f * (ll[2 * j] - ll[2 * i]);
    a->imp->lat = ll[2 * i + 1] + f * (ll[2 * j + 1] - ll[2 * i + 1]);
    if (acc_m + d >= target) break;
    acc_m += d;
  }
  gn_free(a->ctx, ll);
  a->imp->has_point = 1;
  a->imp->along_m = from == 'a' ? along_m : len - along_m;
  return GN_OK;
}

/* The trench of cable at along_m metres from its end `from`, the end of
 * that trench the walk enters by, and the metres into it. */
/* An express fiber is lit over part of its cable only (span_*): the
 * walk starts where the fiber's lit stretch does. */
static gn_status in_cable(acc *a, int64_t fiber, char from, double along_m,
                          int64_t *trench, char *tfrom, double *t_along) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      a->st,
      "SELECT ct.trench, t.a_node, t.b_node, t.length_m,"
      " coalesce(f.span_a_node, c.a_node), coalesce(f.span_b_node, c.b_node)"
      " FROM fibers f JOIN cables c ON c.fid=f.cable JOIN cable_trenches ct"
      " ON ct.cable=c.fid AND ct.seq BETWEEN coalesce(f.span_from,0) AND"
      " coalesce(f.span_to,1e18) JOIN trenches t ON t.fid=ct.trench WHERE"
      " f.fid=?1 ORDER BY CASE ?2 WHEN 'a' THEN ct.seq ELSE -ct.seq END", &q);
  if (rs != GN_OK) return rs;
  gn__bind_id_end(q, fiber, from);
  int64_t cur = -1;
  *trench = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (cur < 0) cur = sqlite3_column_int64(q, from == 'a' ? 4 : 5);
    int64_t ta = sqlite3_column_int64(q, 1), tb = sqlite3_column_int64(q, 2);
    double len = sqlite3_column_double(q, 3);
    *trench = sqlite3_column_int64(q, 0);
    *tfrom = ta == cur ? 'a' : 'b';
    *t_along = fmin(along_m, len);
    if (along_m <= len) break;
    along_m -= len;
    cur = ta == cur ? tb : ta;
  }
  gn__st_release(a->st, q);
  if (!*trench)
    return gn__fail(a->ctx, GN_ENOTFOUND, "fiber %lld lies in no trench",
                    (long long)fiber);
  return GN_OK;
}

static gn_status otdr(acc *a, const gn_impact_query *q) {
  double factor = q->cable_factor > 0 ? q->cable_factor : 1.02;
  double slack_c = q->slack_closure_m > 0 ? q->slack_closure_m : 15.0;
  double slack_e = q->slack_end_m > 0 ? q->slack_end_m : 10.0;
  if (!(q->otdr_distance_m >= 0))
    return gn__fail(a->ctx, GN_EINVAL, "OTDR distance must be >= 0 m");
  gn_trace *t = NULL;
  gn_status rs = gn_store_trace_port(a->st, q->otdr_port, NULL, &t);
  if (rs != GN_OK) return rs;
  int rev = t->nhops > 0 && t->hops[t->nhops - 1].kind == GN_HOP_PORT &&
            t->hops[t->nhops - 1].id == q->otdr_port;
  double d = slack_e;
  int64_t trench = 0, fiber = 0;
  char from = 'a';
  double along = -1;
  for (size_t k = 0; k < t->nhops && along < 0; k++) {
    const gn_trace_hop *h = &t->hops[rev ? t->nhops - 1 - k : k];
    if (h->kind == GN_HOP_SPLICE) d += slack_c;
    if (h->kind != GN_HOP_FIBER) continue;
    trench = h->trench;
    fiber = h->id;
    from = rev ? h->to_end : h->from_end;
    double fl = h->length_m * factor;
    if (q->otdr_distance_m <= d + fl)
      along = fmax(0.0, (q->otdr_distance_m - d) / factor);
    d += fl;
  }
  gn_trace_free(a->ctx, t);
  if (along < 0 && trench && q->otdr_distance_m <= d + slack_e)
    return gn__fail(a->ctx, GN_EINVAL,
                    "OTDR distance %.1f m is in the far-end slack (fiber"
                    " ends at %.1f m optical): check the far-end connector",
                    q->otdr_distance_m, d);
  if (along < 0)
    return gn__fail(a->ctx, GN_EINVAL,
                    "OTDR distance %.1f m is beyond the fiber's end (%.1f m"
                    " optical)", q->otdr_distance_m, d + slack_e);
  char tfrom = 'a';
  double t_along = 0;
  rs = in_cable(a, fiber, from, along, &trench, &tfrom, &t_along);
  if (rs == GN_OK) rs = locate(a, trench, tfrom, t_along);
  if (rs == GN_OK) rs = cut_trenches(a, &trench, 1);
  return rs;
}

/* ---- sites and circuits --------------------------------------------- */

static int in_set(const int64_t *set, size_t n, int64_t c) {
  return n && bsearch(&c, set, n, sizeof(int64_t), cmp_i64) != NULL;
}

static gn_status load_down(acc *a) {
  return gn__st_broken_circuits(a->st, &a->down, &a->ndown);
}

/* Circuits that run over a broken fiber (sorted): the partial index
 * fibers_broken keeps this cheap, there are usually none. */
gn_status gn__st_broken_circuits(gn_store *st, int64_t **out, size_t *n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st,
      "SELECT DISTINCT x.circuit FROM fibers f INDEXED BY fibers_broken"
      " CROSS JOIN circuit_fibers x ON x.fiber=f.fid WHERE f.broken"
      " ORDER BY 1", &q);
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    if (GN__GROW(st->ctx, *out, cap, *n + 1) != GN_OK)
      rs = oom(st->ctx);
    else
      (*out)[(*n)++] = sqlite3_column_int64(q, 0);
  }
  gn__st_release(st, q);
  return rs;
}

/* A new affected site from the circuit row q; protected when one of its
 * circuits is neither cut nor over a broken fiber. */
static gn_status add_site(acc *a, sqlite3_stmt *q, int64_t site_fid,
                          sqlite3_stmt *sib, int ncut) {
  gn_impact *m = a->imp;
  if (GN__GROW(a->ctx, m->sites, a->cap_sites, m->nsites + 1) != GN_OK)
    return oom(a->ctx);
  gn_impact_site *s = &m->sites[m->nsites++];
  memset(s, 0, sizeof(*s));
  s->id = gn__strdup(a->ctx, gn__col_text(q, 3));
  s->name = gn__strdup(a->ctx, gn__col_text(q, 4));
  s->category = gn_category_parse(gn__col_text(q, 5));
  s->priority = sqlite3_column_int(q, 6);
  s->critical = sqlite3_column_int(q, 7);
  s->ncircuits_cut = ncut;
  if (!s->id || !s->name) return oom(a->ctx);
  sqlite3_bind_int64(sib, 1, site_fid);
  while (sqlite3_step(sib) == SQLITE_ROW) {
    int64_t c = sqlite3_column_int64(sib, 0);
    if (!in_set(a->cut, a->ncut, c) && !in_set(a->down, a->ndown, c))
      s->protected_ = 1;
  }
  sqlite3_reset(sib);
  return GN_OK;
}

static gn_status add_circuit(acc *a, sqlite3_stmt *q, int64_t id) {
  gn_impact *m = a->imp;
  if (GN__GROW(a->ctx, m->circuits, a->cap_circ, m->ncircuits + 1) != GN_OK)
    return oom(a->ctx);
  gn_impact_circuit *c = &m->circuits[m->ncircuits++];
  c->id = id;
  c->name = gn__strdup(a->ctx, gn__col_text(q, 0));
  c->role = gn__strdup(a->ctx, gn__col_text(q, 1));
  c->site_id = gn__strdup(a->ctx, gn__col_text(q, 3));
  if (!c->name || !c->role || !c->site_id) return oom(a->ctx);
  return GN_OK;
}

/* Cut circuits in site order (ORDER BY site), so each affected site is
 * one run of consecutive rows. */
static gn_status fill(acc *a) {
  sqlite3_stmt *q = NULL, *sib = NULL;
  gn_status rs = load_down(a);
  if (rs == GN_OK)
    rs = gn__st_cached(
        a->st,
        "SELECT c.name, c.role, c.site, s.site_id, coalesce(s.name,''),"
        " s.category, s.priority, s.critical, c.fid FROM circuits c JOIN"
        " sites s ON s.fid=c.site WHERE c.fid IN (SELECT value FROM"
        " json_each(?)) ORDER BY c.site, c.fid", &q);
  if (rs == GN_OK)
    rs = gn__st_cached(a->st, "SELECT fid FROM circuits WHERE site=?", &sib);
  gn__sb ids;
  gn__sb_init(&ids, a->ctx);
  gn__sb_puts(&ids, "[");
  for (size_t i = 0; i < a->ncut; i++)
    gn__sb_printf(&ids, "%s%lld", i ? "," : "", (long long)a->cut[i]);
  gn__sb_puts(&ids, "]");
  if (rs == GN_OK && ids.oom) rs = oom(a->ctx);
  if (rs == GN_OK) sqlite3_bind_text(q, 1, ids.p, (int)ids.n, SQLITE_STATIC);
  int64_t cur_site = -1;
  size_t first = 0;
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    int64_t site = sqlite3_column_int64(q, 2);
    if (site != cur_site) {
      first = a->imp->ncircuits;
      rs = add_site(a, q, site, sib, 0);
      cur_site = site;
    }
    if (rs == GN_OK) rs = add_circuit(a, q, sqlite3_column_int64(q, 8));
    if (rs == GN_OK)
      a->imp->sites[a->imp->nsites - 1].ncircuits_cut =
          (int)(a->imp->ncircuits - first);
  }
  gn__st_release(a->st, q);
  gn__st_release(a->st, sib);
  gn__sb_cleanup(&ids);
  return rs;
}

static int cat_rank(gn_category c) {
  switch (c) {
    case GN_CAT_HEALTH: return 0;
    case GN_CAT_ADMIN: return 1;
    case GN_CAT_EDUCATION: return 2;
    default: return 3;
  }
}

static int cmp_site(const void *pa, const void *pb) {
  const gn_impact_site *x = pa, *y = pb;
  int d = cat_rank(x->category) - cat_rank(y->category);
  if (d) return d;
  if (x->critical != y->critical) return y->critical - x->critical;
  if (x->priority != y->priority) return y->priority - x->priority;
  return strcmp(x->id, y->id);
}

static gn_status cut_geojson(acc *a) {
  gn_impact *m = a->imp;
  gn__sb b;
  gn__sb_init(&b, a->ctx);
  gn__sb_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(a->st, "SELECT geom FROM trenches WHERE fid=?", &q);
  for (size_t i = 0; rs == GN_OK && i < m->ntrenches; i++) {
    sqlite3_bind_int64(q, 1, m->trenches[i]);
    if (sqlite3_step(q) == SQLITE_ROW) {
      gn__sb_printf(&b, "%s{\"type\":\"Feature\",\"properties\":{\"trench\":"
                        "%lld},\"geometry\":", i ? "," : "",
                    (long long)m->trenches[i]);
      gn__gpkg_geojson(&b, sqlite3_column_blob(q, 0),
                       (size_t)sqlite3_column_bytes(q, 0));
      gn__sb_puts(&b, "}");
    }
    sqlite3_reset(q);
  }
  gn__st_release(a->st, q);
  if (m->has_point)
    gn__sb_printf(&b,
                  "%s{\"type\":\"Feature\",\"properties\":{\"fault\":true,"
                  "\"trench\":%lld,\"along_m\":%.1f},\"geometry\":{\"type\":"
                  "\"Point\",\"coordinates\":[%.7f,%.7f]}}",
                  m->ntrenches ? "," : "", (long long)m->trenches[0],
                  m->along_m, m->lon, m->lat);
  gn__sb_puts(&b, "]}");
  if (rs == GN_OK) return gn__sb_finish(&b, &m->cut_geojson);
  gn__sb_cleanup(&b);
  return rs;
}

static gn_status compute(acc *a, const gn_impact_query *q) {
  gn_status rs;
  if (q->kind == GN_CUT_TRENCHES) {
    if (!q->ids || q->nids == 0)
      return gn__fail(a->ctx, GN_EINVAL, "impact: no trench given");
    rs = cut_trenches(a, q->ids, q->nids);
  } else if (q->kind == GN_CUT_CABLE) {
    if (!q->ids || q->nids != 1)
      return gn__fail(a->ctx, GN_EINVAL, "impact: give exactly one cable");
    rs = cut_cable(a, q->ids[0]);
  } else if (q->kind == GN_CUT_OTDR) {
    rs = otdr(a, q);
  } else {
    rs = gn__fail(a->ctx, GN_EINVAL, "impact: unknown cut kind");
  }
  if (rs != GN_OK) return rs;
  if (a->ncut > 1) qsort(a->cut, a->ncut, sizeof(int64_t), cmp_i64);
  size_t u = 0;
  for (size_t i = 0; i < a->ncut; i++)
    if (u == 0 || a->cut[u - 1] != a->cut[i]) a->cut[u++] = a->cut[i];
  a->ncut = u;
  rs = fill(a);
  if (rs == GN_OK && a->imp->nsites > 1) /* qsort(NULL, 0) is UB */
    qsort(a->imp->sites, a->imp->nsites, sizeof(gn_impact_site), cmp_site);
  if (rs == GN_OK) rs = cut_geojson(a);
  return rs;
}

gn_status gn_store_impact(gn_store *st, const gn_impact_query *q,
                          gn_impact **out) {
  gn_ctx_clear(st->ctx);
  *out = NULL;
  acc a;
  memset(&a, 0, sizeof(a));
  a.st = st;
  a.ctx = st->ctx;
  a.imp = gn_malloc(st->ctx, sizeof(gn_impact));
  if (!a.imp) return oom(st->ctx);
  memset(a.imp, 0, sizeof(gn_impact));
  gn_status rs = compute(&a, q);
  gn_free(a.ctx, a.cut);
  gn_free(a.ctx, a.down);
  if (rs != GN_OK) {
    gn_impact_free(st->ctx, a.imp);
    return rs;
  }
  *out = a.imp;
  return GN_OK;
}

void gn_impact_free(gn_ctx *ctx, gn_impact *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nsites; i++) {
    gn_free(ctx, m->sites[i].id);
    gn_free(ctx, m->sites[i].name);
  }
  for (size_t i = 0; i < m->ncircuits; i++) {
    gn_free(ctx, m->circuits[i].name);
    gn_free(ctx, m->circuits[i].role);
    gn_free(ctx, m->circuits[i].site_id);
  }
  gn_free(ctx, m->sites);
  gn_free(ctx, m->circuits);
  gn_free(ctx, m->trenches);
  gn_free(ctx, m->cut_geojson);
  gn_free(ctx, m);
}

gn_status gn_impact_json(gn_ctx *ctx, const gn_impact *m, char **json) {
  gn_ctx_clear(ctx);
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__sb_puts(&b, "{\"sites\":[");
  for (size_t i = 0; i < m->nsites; i++) {
    const gn_impact_site *s = &m->sites[i];
    gn__sb_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    gn__sb_jstr(&b, s->id);
    gn__sb_puts(&b, ",\"name\":");
    gn__sb_jstr(&b, s->name);
    gn__sb_printf(&b,
                  ",\"category\":\"%s\",\"priority\":%d,\"critical\":%s,"
                  "\"protected\":%s,\"circuits_cut\":%d}",
                  gn_category_name(s->category), s->priority,
                  s->critical ? "true" : "false",
                  s->protected_ ? "true" : "false", s->ncircuits_cut);
  }
  gn__sb_puts(&b, "],\"circuits\":[");
  for (size_t i = 0; i < m->ncircuits; i++) {
    const gn_impact_circuit *c = &m->circuits[i];
    gn__sb_printf(&b, "%s{\"id\":%lld,\"name\":", i ? "," : "",
                  (long long)c->id);
    gn__sb_jstr(&b, c->name);
    gn__sb_puts(&b, ",\"site\":");
    gn__sb_jstr(&b, c->site_id);
    gn__sb_puts(&b, ",\"role\":");
    gn__sb_jstr(&b, c->role);
    gn__sb_puts(&b, "}");
  }
  gn__sb_puts(&b, "],\"trenches\":[");
  for (size_t i = 0; i < m->ntrenches; i++)
    gn__sb_printf(&b, "%s%lld", i ? "," : "", (long long)m->trenches[i]);
  gn__sb_puts(&b, "],\"point\":");
  if (m->has_point)
    gn__sb_printf(&b, "[%.7f,%.7f],\"along_m\":%.1f", m->lon, m->lat,
                  m->along_m);
  else
    gn__sb_puts(&b, "null");
  gn__sb_puts(&b, ",\"cut\":");
  gn__sb_puts(&b, m->cut_geojson ? m->cut_geojson : "null");
  gn__sb_puts(&b, "}");
  return gn__sb_finish(&b, json);
}
