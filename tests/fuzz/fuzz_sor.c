/* fuzz_sor.c - SOR reader: any bytes give a trace whose JSON renders, or
 * a clean error that names the input. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_sor *sor = NULL;
  gn_status s = gn_sor_read_mem(ctx, data, size, "fuzz.sor", &sor);
  if (s == GN_OK) {
    const gn_sor_info *in = gn_sor_get_info(sor);
    size_t n = 0;
    const float *pts = gn_sor_get_samples(sor, &n);
    if (n && (!pts || n != in->points)) abort(); /* samples match points */
    if (n && pts[n - 1] != pts[n - 1]) abort();  /* read the last one */
    for (size_t i = 0; i < gn_sor_event_count(sor); i++)
      if (!gn_sor_get_event(sor, i)) abort();
    char *json = NULL;
    if (gn_sor_json(ctx, sor, &json) != GN_OK) abort();
    gn_free(ctx, json);
    gn_sor_free(sor);
  } else if (!strstr(gn_ctx_errmsg(ctx), "fuzz.sor")) {
    abort(); /* every failure must name the input */
  }
  gn_ctx_free(ctx);
  return 0;
}
