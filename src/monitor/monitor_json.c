/*
 * monitor_json.c - A diagnosis as JSON, and its free.
 */
#include "monitor/monitor_int.h"
#include "store/store_int.h"

static void ids(gn__sb *b, const char *name, const int64_t *v, size_t n) {
  gn__sb_printf(b, ",\"%s\":[", name);
  for (size_t i = 0; i < n; i++)
    gn__sb_printf(b, "%s%lld", i ? "," : "", (long long)v[i]);
  gn__sb_puts(b, "]");
}

static void strs(gn__sb *b, const char *name, char *const *v, size_t n) {
  gn__sb_printf(b, ",\"%s\":[", name);
  for (size_t i = 0; i < n; i++) {
    if (i) gn__sb_puts(b, ",");
    gn__sb_jstr(b, v[i]);
  }
  gn__sb_puts(b, "]");
}

gn_status gn_diagnosis_json(gn_ctx *ctx, const gn_diagnosis *d, char **json) {
  gn_ctx_clear(ctx);
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__sb_puts(&b, "{\"candidates\":[");
  for (size_t i = 0; i < d->ncandidates; i++) {
    const gn_diag_candidate *c = &d->candidates[i];
    gn__sb_printf(&b, "%s{\"kind\":\"%s\"", i ? "," : "",
                  c->kind == GN_DIAG_CUT ? "cut" : "device");
    ids(&b, "trenches", c->trenches, c->ntrenches);
    ids(&b, "cables", c->cables, c->ncables);
    ids(&b, "closures", c->closures, c->nclosures);
    strs(&b, "devices", c->devices, c->ndevices);
    gn__sb_printf(&b, ",\"explains\":%zu,\"weight\":", c->explains);
    gn__sb_num(&b, c->weight);
    strs(&b, "protected", c->protected_sites, c->nprotected);
    gn__sb_puts(&b, "}");
  }
  gn__sb_printf(&b, "],\"down\":%zu,\"minimal\":%s}", d->ndown,
                d->minimal ? "true" : "false");
  return gn__sb_finish(&b, json);
}

static void free_strs(gn_ctx *ctx, char **v, size_t n) {
  for (size_t i = 0; i < n; i++) gn_free(ctx, v[i]);
  gn_free(ctx, v);
}

void gn_diagnosis_free(gn_ctx *ctx, gn_diagnosis *d) {
  if (!d) return;
  for (size_t i = 0; i < d->ncandidates; i++) {
    gn_diag_candidate *c = &d->candidates[i];
    gn_free(ctx, c->trenches);
    gn_free(ctx, c->cables);
    gn_free(ctx, c->closures);
    free_strs(ctx, c->devices, c->ndevices);
    free_strs(ctx, c->protected_sites, c->nprotected);
  }
  gn_free(ctx, d->candidates);
  gn_free(ctx, d);
}
