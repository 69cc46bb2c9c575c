/*
 * layout_meta.c - The cable-layout options a plan records in its meta,
 * so the store's import and the report lay the plan out as the design
 * pipeline did (same optics classes, same spare share).
 */
#include <string.h>

#include "govnet/io.h"
#include "io/text.h"
#include "util/internal.h"

gn_status gn_layout_opts_from_plan(gn_ctx *ctx, const gn_plan *p,
                                   gn_layout_opts *o) {
  const char *cls = gn_plan_get_meta(p, "optics");
  if (cls) {
    char a[16] = "";
    size_t na = strcspn(cls, ",");
    const char *comma = cls[na] == ',' ? cls + na + 1 : NULL;
    gn_optics_class ca = GN_OPTICS_COUNT;
    if (na < sizeof a) {
      memcpy(a, cls, na);
      ca = gn_optics_parse(a);
    }
    gn_optics_class cp = comma ? gn_optics_parse(comma) : o->protect;
    if (ca == GN_OPTICS_COUNT || cp == GN_OPTICS_COUNT)
      return gn__fail(ctx, GN_EFORMAT,
                      "plan meta optics '%s': expected ACCESS[,PROTECT] "
                      "(classes lr10, er40, zr80)", cls);
    o->access = ca;
    o->protect = cp;
  }
  const char *sp = gn_plan_get_meta(p, "layout_spare");
  if (sp) {
    double v;
    if (gn__parse_decimal(sp, &v) != 0 || v < 0 || v > 10)
      return gn__fail(ctx, GN_EFORMAT,
                      "plan meta layout_spare '%s': expected a number in "
                      "0..10", sp);
    o->spare = v;
  }
  return GN_OK;
}
