/* fuzz_web.c - the parsers of the weak-link and basemap paths, chosen by
 * the first byte: 0 a tile URL (/tiles/{z}/{x}/{y}.pbf), 1 an
 * Accept-Encoding header, 2 a places GeoJSON (serve --places). Each must
 * give a clean answer, never a crash; accepted tiles are in range, a
 * places answer is a FeatureCollection of named points. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "server/srv.h"

static void fuzz_tile(const char *s) {
  int z = -1;
  long x = -1, y = -1;
  if (gn__tile_url_parse(s, &z, &x, &y) != 0) return;
  if (z < 0 || z > 30 || x < 0 || y < 0 || x > 99999999 || y > 99999999) abort();
  if (strncmp(s, "/tiles/", 7) != 0 || strcmp(s + strlen(s) - 4, ".pbf") != 0) abort();
}

static void fuzz_places(gn_ctx *ctx, const char *s, size_t n) {
  char *out = NULL;
  size_t len = 0;
  gn_status st = gn__places_parse(ctx, "fuzz.geojson", s, n, &out, &len);
  if (st != GN_OK) {
    if (out || gn_ctx_errmsg(ctx)[0] == '\0') abort();
    return;
  }
  json_t *v = json_loadb(out, len, 0, NULL);
  json_t *feats = json_object_get(v, "features");
  size_t i;
  json_t *f;
  if (!json_is_array(feats)) abort();
  json_array_foreach(feats, i, f) {
    json_t *p = json_object_get(f, "properties");
    if (!json_is_string(json_object_get(p, "name")) || !json_is_string(json_object_get(p, "place")))
      abort();
  }
  json_decref(v);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  char *s = malloc(size);
  if (!s) return 0;
  memcpy(s, data + 1, size - 1);
  s[size - 1] = '\0';
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) {
    free(s);
    return 0;
  }
  switch (data[0] % 3) {
  case 0: fuzz_tile(s); break;
  case 1: (void)gn__gzip_listed(s); break;
  default: fuzz_places(ctx, s, size - 1); break;
  }
  gn_ctx_free(ctx);
  free(s);
  return 0;
}
