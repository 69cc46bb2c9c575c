/*
 * lease_tariff.c - The lease tariff: documented defaults (docs/lease.md)
 * and the "lease.*" keys of a price book file.
 *
 * The price book is one file for the whole network (docs/pricebook.md);
 * the plan's reader skips the "lease." keys and this reader skips every
 * other key, so each module checks its own keys strictly: a number, in
 * its range, given once, errors naming file:line:key.
 */
#include <math.h>
#include <string.h>

#include "io/text.h"
#include "lease/lease_int.h"

void gn_lease_tariff_init(gn_lease_tariff *t) {
  memset(t, 0, sizeof(*t));
  t->fiber_km_month = 25000;
  t->splice_once = 15000;
  t->odf_port_once = 30000;
  t->closure_once = 350000;
  t->termination_once = 60000;
  t->discount_36 = 0.10;
  t->discount_60 = 0.20;
  t->discount_120 = 0.30;
  t->reserve_share = 0.20;
  t->reserve_days = 30;
  t->sla_single_pct = 99.5;
  t->sla_diverse_pct = 99.9;
  t->penalty_share = 0.10;
  t->repair_hours = 8;
  t->max_loss_db = 24;
}

typedef struct key {
  const char *name;
  size_t off;
  double lo, hi;
  int integer;
} key;

#define K(n, f, lo, hi, i) {n, offsetof(gn_lease_tariff, f), lo, hi, i}
static const key keys[] = {
    K("lease.fiber_km_month", fiber_km_month, 1, 1e7, 0),
    K("lease.splice_once", splice_once, 0, 1e7, 0),
    K("lease.odf_port_once", odf_port_once, 0, 1e7, 0),
    K("lease.closure_once", closure_once, 0, 1e8, 0),
    K("lease.termination_once", termination_once, 0, 1e8, 0),
    K("lease.discount_36", discount_36, 0, 0.9, 0),
    K("lease.discount_60", discount_60, 0, 0.9, 0),
    K("lease.discount_120", discount_120, 0, 0.9, 0),
    K("lease.reserve_share", reserve_share, 0, 0.9, 0),
    K("lease.reserve_days", reserve_days, 1, 365, 1),
    K("lease.sla_single_pct", sla_single_pct, 90, 100, 0),
    K("lease.sla_diverse_pct", sla_diverse_pct, 90, 100, 0),
    K("lease.penalty_share", penalty_share, 0, 1, 0),
    K("lease.repair_hours", repair_hours, 0.5, 720, 0),
    K("lease.max_loss_db", max_loss_db, 1, 60, 0),
};
#define NKEYS (sizeof keys / sizeof keys[0])

typedef struct tread {
  gn_ctx *ctx;
  const char *path;
  gn_lease_tariff *t;
  unsigned char seen[NKEYS];
} tread;

/* One key = value line of the price book (io/kvfile.c splits and checks
 * the text); keys other than "lease." are the plan's. */
static gn_status kv_line(void *user, int line, char *k, char *v) {
  tread *r = user;
  gn_ctx *ctx = r->ctx;
  const char *path = r->path;
  if (strncmp(k, "lease.", 6) != 0) return GN_OK;
  size_t i = 0;
  while (i < NKEYS && strcmp(keys[i].name, k) != 0) i++;
  if (i == NKEYS)
    return gn__fail(ctx, GN_EFORMAT, "%s:%d: %s: unknown lease key", path,
                    line, k);
  if (r->seen[i])
    return gn__fail(ctx, GN_EFORMAT, "%s:%d: %s: given twice", path, line,
                    k);
  double x;
  if (gn__parse_decimal(v, &x) != 0)
    return gn__fail(ctx, GN_EFORMAT, "%s:%d: %s: '%s' is not a number", path,
                    line, k, v);
  if (x < keys[i].lo || x > keys[i].hi || (keys[i].integer && x != floor(x)))
    return gn__fail(ctx, GN_EFORMAT, "%s:%d: %s: %s is outside %g..%g%s", path,
                    line, k, v, keys[i].lo, keys[i].hi,
                    keys[i].integer ? " (a whole number)" : "");
  r->seen[i] = 1;
  char *field = (char *)r->t + keys[i].off;
  if (keys[i].integer) *(int *)field = (int)x;
  else *(double *)field = x;
  return GN_OK;
}

gn_status gn_lease_tariff_read(gn_ctx *ctx, const char *path,
                               gn_lease_tariff *t) {
  gn_ctx_clear(ctx);
  gn_lease_tariff work = *t;
  tread r = {ctx, path, &work, {0}};
  gn_status rs = gn__kv_file_read(ctx, path, "price book", kv_line, &r);
  if (rs == GN_OK && work.sla_diverse_pct < work.sla_single_pct)
    rs = gn__fail(ctx, GN_EFORMAT,
                  "%s: lease.sla_diverse_pct (%g) below lease.sla_single_pct "
                  "(%g)",
                  path, work.sla_diverse_pct, work.sla_single_pct);
  if (rs == GN_OK) *t = work;
  return rs;
}
