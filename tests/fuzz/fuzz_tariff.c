/* fuzz_tariff.c - the lease tariff keys of a price book: any bytes give
 * GN_OK with every value in its documented range, or an error that says
 * why and leaves the tariff unchanged. */
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".txt", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_lease_tariff t, before;
  gn_lease_tariff_init(&t);
  before = t;
  gn_status s = gn_lease_tariff_read(ctx, path, &t);
  if (s == GN_OK) {
    if (!(t.fiber_km_month >= 1) || !isfinite(t.fiber_km_month) ||
        t.reserve_share < 0 || t.reserve_share > 0.9 || t.reserve_days < 1 ||
        t.sla_diverse_pct < t.sla_single_pct || !(t.max_loss_db >= 1))
      abort(); /* a value outside its range got through */
  } else if (gn_ctx_errmsg(ctx)[0] == '\0' ||
             memcmp(&t, &before, sizeof t) != 0) {
    abort(); /* every failure must say why and change nothing */
  }
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
