/* fuzz_tracks.c - as-built tracks (GPX or GeoJSON through GDAL, chosen by
 * the first input byte): tracks of >= 2 valid lon/lat points, or a clean
 * error that names the file, never a crash. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *suffix = (data[0] & 1) ? ".gpx" : ".geojson";
  char path[512];
  if (fuzz_temp_file(data + 1, size - 1, suffix, path, sizeof(path)) != 0)
    return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_track *t = NULL;
  size_t n = 0;
  gn_status s = gn_io_read_tracks(ctx, path, &t, &n);
  if (s != GN_OK && (t || n || !strstr(gn_ctx_errmsg(ctx), path))) abort();
  for (size_t i = 0; i < n; i++) {
    if (t[i].npts < 2 || !t[i].name) abort();
    for (size_t k = 0; k < t[i].npts; k++)
      if (!gn_geo_valid_lonlat(t[i].lonlat[2 * k], t[i].lonlat[2 * k + 1])) abort();
  }
  gn_tracks_free(ctx, t, n);
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
