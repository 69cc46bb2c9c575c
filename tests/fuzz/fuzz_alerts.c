/* fuzz_alerts.c - Alertmanager webhook parser: any bytes give GN_OK with
 * a well-formed batch, or a clean error that says why. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_alert_batch *b = NULL;
  gn_status s = gn_monitor_alerts_parse(ctx, (const char *)data, size, &b);
  if (s == GN_OK) {
    if (!b || !b->receiver || b->nalerts > GN_ALERTS_MAX_ALERTS) abort();
    for (size_t i = 0; i < b->nalerts; i++) {
      const gn_alert *a = &b->alerts[i];
      if (!a->name || !a->name[0] || (a->site && !a->site[0]) ||
          a->ends_at < 0)
        abort(); /* contract */
    }
    gn_alert_batch_free(ctx, b);
  } else if (b || gn_ctx_errmsg(ctx)[0] == '\0') {
    abort(); /* every failure must say why, and leave nothing */
  }
  gn_ctx_free(ctx);
  return 0;
}
