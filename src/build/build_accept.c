/*
 * build_accept.c - OTDR acceptance: a SOR trace against a fiber's design.
 *
 * Design: the fiber's route comes from the store's trace (fibers, drops,
 * splices in path order). Walking it from the launch end gives the
 * designed distance of every closure; the OTDR's end-of-fiber event gives
 * the measured length, and designed distances are scaled by measured /
 * designed length so that cable slack (a few % more fiber than trench)
 * does not push far events off their closures. An event is matched to
 * the nearest closure within max(match_m, match_pct % of its distance).
 * Launch end: the end with the ODF/OLT port (the POP), unless
 * from_far_end says the instrument was at the other end.
 * Ownership: everything is freed before return; the result is JSON text.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "build/build_int.h"

typedef struct mark {
  double at_m;
  char name[64];
} mark;

typedef struct route {
  mark *m;
  size_t n, cap;
  double length_m;
  double budget_db;
} route;

void gn_build_otdr_defaults(gn_build_otdr_limits *l) {
  l->splice_db = 0.15;
  l->connector_db = 0.5;
  l->length_tol_pct = 5;
  l->loss_margin_db = 0;
  l->match_m = 25;
  l->match_pct = 2;
  l->from_far_end = 0;
}

static int limits_ok(const gn_build_otdr_limits *l) {
  return l->splice_db > 0 && l->connector_db > 0 && l->length_tol_pct >= 0 &&
         l->loss_margin_db >= 0 && l->match_m >= 0 && l->match_pct >= 0 &&
         isfinite(l->splice_db + l->connector_db + l->length_tol_pct +
                  l->loss_margin_db + l->match_m + l->match_pct);
}

static gn_status closure_name(gn_store *st, int64_t closure, char *buf,
                              size_t n) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st, "SELECT name FROM closures WHERE fid=?1", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, closure);
  int rc = sqlite3_step(q);
  const char *name = rc == SQLITE_ROW ? gn__col_text(q, 0) : "";
  if (*name)
    snprintf(buf, n, "%s", name);
  else
    snprintf(buf, n, "closure %lld", (long long)closure);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "closure");
  gn__st_release(st, q);
  return rs;
}

/* The trace starts at the POP when one of its ends is an ODF/OLT port. */
static int starts_at_pop(const gn_trace *t) {
  const gn_trace_hop *a = &t->hops[0], *b = &t->hops[t->nhops - 1];
  int pa = a->kind == GN_HOP_PORT &&
           (strncmp(a->name, "ODF", 3) == 0 || strncmp(a->name, "OLT", 3) == 0);
  int pb = b->kind == GN_HOP_PORT &&
           (strncmp(b->name, "ODF", 3) == 0 || strncmp(b->name, "OLT", 3) == 0);
  return pa || !pb;
}

static gn_status build_route(gn_store *st, const gn_trace *t,
                             const gn_build_otdr_limits *l, double wl_nm,
                             route *r) {
  int forward = starts_at_pop(t) != l->from_far_end;
  double d = 0;
  for (size_t k = 0; k < t->nhops; k++) {
    const gn_trace_hop *h = &t->hops[forward ? k : t->nhops - 1 - k];
    if (h->kind == GN_HOP_FIBER || h->kind == GN_HOP_DROP) d += h->length_m;
    if (h->kind != GN_HOP_SPLICE) continue;
    if (GN__GROW(st->ctx, r->m, r->cap, r->n + 1) != GN_OK)
      return gn__fail(st->ctx, GN_ENOMEM, "route");
    mark *m = &r->m[r->n++];
    m->at_m = d;
    gn_status rs = closure_name(st, h->closure, m->name, sizeof(m->name));
    if (rs != GN_OK) return rs;
  }
  r->length_m = t->length_m;
  r->budget_db = fabs(wl_nm - 1550) < fabs(wl_nm - 1310) ? t->loss_1550_db
                                                         : t->loss_1310_db;
  return GN_OK;
}

/* ---- judging ------------------------------------------------------- */

typedef struct judge {
  const gn_build_otdr_limits *l;
  const route *r;
  double scale;    /* measured / designed length */
  gn__sb *ev;      /* events JSON */
  gn__sb *pb;      /* problems JSON */
  int nproblems;
} judge;

static void problem(judge *j, const char *fmt, ...) GN__PRINTF(2, 3);
static void problem(judge *j, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  gn__sb_puts(j->pb, j->nproblems++ ? ", " : "");
  gn__sb_jstr(j->pb, msg);
}

static const mark *nearest(const judge *j, double at_m, double *off_m) {
  const mark *best = NULL;
  *off_m = INFINITY;
  for (size_t i = 0; i < j->r->n; i++) {
    double off = fabs(j->r->m[i].at_m * j->scale - at_m);
    if (off < *off_m) {
      *off_m = off;
      best = &j->r->m[i];
    }
  }
  return best;
}

static void judge_event(judge *j, const gn_sor_event *e, size_t i, size_t n) {
  double at_m = e->distance_km * 1000;
  int reflective = e->type[0] == '1';
  int end = e->type[1] == 'E' || i + 1 == n;
  double limit = reflective ? j->l->connector_db : j->l->splice_db;
  double tol = fmax(j->l->match_m, at_m * j->l->match_pct / 100);
  double off = INFINITY;
  const mark *m = nearest(j, at_m, &off);
  const char *what = i == 0 && at_m <= tol ? "launch" : end ? "end" : NULL;
  if (off > tol) m = NULL;
  int bad = !what && e->splice_loss_db > limit;
  gn__sb_printf(j->ev, "%s{\"distance_km\": %.4f, \"loss_db\": %.3f, ",
                i ? ", " : "", e->distance_km, e->splice_loss_db);
  gn__sb_puts(j->ev, "\"at\": ");
  gn__sb_jstr(j->ev, what ? what : m ? m->name : NULL);
  gn__sb_printf(j->ev, ", \"ok\": %s}", bad ? "false" : "true");
  if (bad && m)
    problem(j, "%s: %.2f dB, over %.2f dB", m->name, e->splice_loss_db, limit);
  else if (bad)
    problem(j, "event at %.3f km: %.2f dB, over %.2f dB, no closure within %.0f m",
            e->distance_km, e->splice_loss_db, limit, tol);
}

/* Measured length: the end-of-fiber event, else the last event. */
static double measured_m(const gn_sor *sor) {
  size_t n = gn_sor_event_count(sor);
  for (size_t i = 0; i < n; i++)
    if (gn_sor_get_event(sor, i)->type[1] == 'E')
      return gn_sor_get_event(sor, i)->distance_km * 1000;
  return n ? gn_sor_get_event(sor, n - 1)->distance_km * 1000 : NAN;
}

static int judge_length(judge *j, double meas, gn__sb *b) {
  double design = j->r->length_m;
  double pct = design > 0 ? (meas - design) / design * 100 : NAN;
  int ok = isfinite(pct) && fabs(pct) <= j->l->length_tol_pct;
  gn__sb_printf(b, "\"length\": {\"design_m\": %.1f, \"measured_m\": ", design);
  gn__sb_num(b, isfinite(meas) ? round(meas * 10) / 10 : NAN);
  gn__sb_printf(b, ", \"tolerance_pct\": %g, \"ok\": %s}, ",
                j->l->length_tol_pct, ok ? "true" : "false");
  if (!isfinite(meas))
    problem(j, "length: the trace has no end-of-fiber event");
  else if (!ok)
    problem(j, "length: %.0f m measured, %.0f m designed (%+.1f %%, over %g %%)",
            meas, design, pct, j->l->length_tol_pct);
  return ok;
}

static int judge_loss(judge *j, const gn_sor *sor, gn__sb *b) {
  double loss = gn_sor_get_info(sor)->total_loss_db;
  int estimated = !isfinite(loss) || loss <= 0;
  if (estimated) { /* instrument gave no summary: sum the events */
    loss = 0;
    for (size_t i = 0; i + 1 < gn_sor_event_count(sor); i++)
      loss += fmax(0, gn_sor_get_event(sor, i)->splice_loss_db);
  }
  double max = j->r->budget_db + j->l->loss_margin_db;
  int ok = loss <= max;
  gn__sb_printf(b,
                "\"loss\": {\"budget_db\": %.3f, \"measured_db\": %.3f,"
                " \"estimated\": %s, \"margin_db\": %g, \"ok\": %s}, ",
                j->r->budget_db, loss, estimated ? "true" : "false",
                j->l->loss_margin_db, ok ? "true" : "false");
  if (!ok)
    problem(j, "total loss: %.2f dB, over the %.2f dB budget", loss, max);
  return ok;
}

static gn_status judge_all(gn_store *st, int64_t fiber, const gn_sor *sor,
                           const char *file, const route *r,
                           const gn_build_otdr_limits *l, char **json,
                           int *pass) {
  gn__sb b, ev, pb;
  gn__sb_init(&b, st->ctx);
  gn__sb_init(&ev, st->ctx);
  gn__sb_init(&pb, st->ctx);
  double meas = measured_m(sor);
  judge j = {l, r, 1, &ev, &pb, 0};
  if (isfinite(meas) && r->length_m > 0 && meas / r->length_m > 0.5 &&
      meas / r->length_m < 2)
    j.scale = meas / r->length_m;
  gn__sb_printf(&b, "{\"fiber\": %lld, \"file\": ", (long long)fiber);
  gn__sb_jstr(&b, file);
  gn__sb_puts(&b, ", \"wavelength_nm\": ");
  gn__sb_num(&b, gn_sor_get_info(sor)->wavelength_nm);
  gn__sb_puts(&b, ", ");
  int ok = judge_length(&j, meas, &b);
  ok &= judge_loss(&j, sor, &b);
  size_t n = gn_sor_event_count(sor);
  for (size_t i = 0; i < n; i++) judge_event(&j, gn_sor_get_event(sor, i), i, n);
  *pass = ok && j.nproblems == 0;
  gn__sb_printf(&b, "\"closures\": %zu, \"pass\": %s, \"events\": [", r->n,
                *pass ? "true" : "false");
  gn__sb_add(&b, ev.p ? ev.p : "", ev.n);
  gn__sb_puts(&b, "], \"problems\": [");
  gn__sb_add(&b, pb.p ? pb.p : "", pb.n);
  gn__sb_puts(&b, "]}");
  b.oom |= ev.oom | pb.oom;
  gn__sb_cleanup(&ev);
  gn__sb_cleanup(&pb);
  gn_status rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

static gn_status keep(gn_store *st, int64_t fiber, const gn_sor *sor,
                      const char *file, const char *user, int pass,
                      double len_m, const char *json) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st,
      "INSERT INTO build_otdr(fiber,file,at,who,wavelength_nm,length_m,"
      "total_loss_db,pass,result) VALUES(?1,?2,strftime('%Y-%m-%dT%H:%M:%SZ',"
      "'now'),?3,?4,?5,?6,?7,?8)",
      &q);
  if (rs != GN_OK) return rs;
  const gn_sor_info *in = gn_sor_get_info(sor);
  sqlite3_bind_int64(q, 1, fiber);
  sqlite3_bind_text(q, 2, file, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, user && *user ? user : "unknown", -1, SQLITE_TRANSIENT);
  if (isfinite(in->wavelength_nm)) sqlite3_bind_double(q, 4, in->wavelength_nm);
  if (isfinite(len_m)) sqlite3_bind_double(q, 5, len_m);
  if (isfinite(in->total_loss_db)) sqlite3_bind_double(q, 6, in->total_loss_db);
  sqlite3_bind_int(q, 7, pass);
  sqlite3_bind_text(q, 8, json, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "keep measurement");
  gn__st_release(st, q);
  char obj[48];
  snprintf(obj, sizeof(obj), "fiber %lld", (long long)fiber);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "build.otdr.attach", obj, NULL,
                      pass ? "{\"pass\":true}" : "{\"pass\":false}");
  return rs;
}

gn_status gn_build_otdr_attach(gn_store *st, int64_t fiber, const gn_sor *sor,
                               const char *file, const gn_build_otdr_limits *lim,
                               const char *user, char **json) {
  gn_ctx *ctx = st->ctx;
  gn_ctx_clear(ctx);
  *json = NULL;
  gn_build_otdr_limits l;
  gn_build_otdr_defaults(&l);
  if (lim) l = *lim;
  if (!limits_ok(&l)) return gn__fail(ctx, GN_EINVAL, "otdr limits: must be >= 0");
  gn_status rs = gn__build_ready(st);
  gn_trace *t = NULL;
  if (rs == GN_OK) rs = gn_store_trace_fiber(st, fiber, NULL, &t);
  if (rs == GN_OK && t->nhops == 0)
    rs = gn__fail(ctx, GN_ENOTFOUND, "fiber %lld has no route", (long long)fiber);
  route r;
  memset(&r, 0, sizeof(r));
  if (rs == GN_OK)
    rs = build_route(st, t, &l, gn_sor_get_info(sor)->wavelength_nm, &r);
  gn_trace_free(ctx, t);
  int pass = 0;
  if (rs == GN_OK) rs = judge_all(st, fiber, sor, file, &r, &l, json, &pass);
  gn_free(ctx, r.m);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs == GN_OK) {
    rs = keep(st, fiber, sor, file, user, pass, measured_m(sor), *json);
    rs = rs == GN_OK ? gn__st_commit(st) : rs;
    if (rs != GN_OK) gn__st_rollback(st);
  }
  if (rs != GN_OK) {
    gn_free(ctx, *json);
    *json = NULL;
  }
  return rs;
}
