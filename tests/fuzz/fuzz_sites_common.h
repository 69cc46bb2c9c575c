/*
 * fuzz_sites_common.h - The body of the two site import targets (CSV and
 * GeoJSON): GN_OK or a clean error, never a crash; on error the plan
 * keeps what it had; every accepted site has valid coordinates and a
 * UTF-8 id and name.
 */
#ifndef GN_FUZZ_SITES_COMMON_H
#define GN_FUZZ_SITES_COMMON_H

#include "fuzz_common.h"
#include "io/text.h"

static inline void fuzz_sites_run(const uint8_t *data, size_t size,
                                  const char *suffix) {
  char path[512];
  if (fuzz_temp_file(data, size, suffix, path, sizeof(path)) != 0) return;
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
    if (!gn__text_valid(site->id, 0) || (site->name && !gn__text_valid(site->name, 0)))
      abort();
  }
  gn_plan_free(plan);
  gn_ctx_free(ctx);
  unlink(path);
}

#endif
