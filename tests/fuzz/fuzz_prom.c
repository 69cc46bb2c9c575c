/* fuzz_prom.c - Prometheus query_range answer parser: any bytes give
 * GN_OK with a well-formed matrix (every series named by its site, as
 * many times as values), or a clean error that says why. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_prom_matrix *m = NULL;
  gn_status s = gn_monitor_prom_parse(ctx, (const char *)data, size, &m);
  if (s == GN_OK) {
    if (!m) abort();
    for (size_t i = 0; i < m->nseries; i++) {
      const gn_prom_series *x = &m->series[i];
      if (!x->site || (x->n && (!x->t || !x->v))) abort(); /* contract */
      for (size_t k = 0; k < x->n; k++)
        if (x->v[k] != x->v[k]) abort(); /* no NaN gets through */
    }
    gn_prom_matrix_free(ctx, m);
  } else if (m || gn_ctx_errmsg(ctx)[0] == '\0') {
    abort(); /* every failure must say why, and leave nothing */
  }
  gn_ctx_free(ctx);
  return 0;
}
