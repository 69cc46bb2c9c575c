/* fuzz_osm_xml.c - OSM XML import: GN_OK or a clean error. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".osm", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_graph *g = NULL;
  gn_status s = gn_osm_read(ctx, path, NULL, &g, NULL);
  if (s == GN_OK)
    gn_graph_free(g);
  else if (gn_ctx_errmsg(ctx)[0] == '\0')
    abort();
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
