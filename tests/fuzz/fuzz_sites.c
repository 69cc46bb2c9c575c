/* fuzz_sites.c - site import (GeoJSON or CSV through GDAL, chosen by the
 * first input byte): GN_OK or a clean error, never a crash; on error the
 * plan keeps what it had. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *suffix = (data[0] & 1) ? ".csv" : ".geojson";
  char path[512];
  if (fuzz_temp_file(data + 1, size - 1, suffix, path, sizeof(path)) != 0)
    return 0;
  gn_ctx *ctx = NULL;
  gn_plan *plan = NULL;
  if (gn_ctx_create(&ctx) != GN_OK || gn_plan_create(ctx, &plan) != GN_OK)
    abort();
  gn_status s = gn_io_read_sites(ctx, path, NULL, plan);
  if (s != GN_OK) {
    if (gn_plan_site_count(plan) != 0) abort(); /* nothing half-added */
    if (gn_ctx_errmsg(ctx)[0] == '\0') abort();
  }
  for (size_t i = 0; i < gn_plan_site_count(plan); i++) {
    const gn_plan_site *site = gn_plan_site_get(plan, i);
    if (!gn_geo_valid_lonlat(site->lon, site->lat)) abort();
  }
  gn_plan_free(plan);
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
