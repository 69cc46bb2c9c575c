/* fuzz_roads.c - street network import from GeoJSON lines: GN_OK with a
 * finalized graph of finite lengths, or a clean error. */
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".geojson", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_graph *g = NULL;
  gn_status s = gn_osm_read(ctx, path, NULL, &g, NULL);
  if (s == GN_OK) {
    for (size_t e = 0; e < gn_graph_edge_count(g); e++) {
      const gn_edge *ed = gn_graph_edge(g, (gn_id)e);
      if (!isfinite(ed->length_m) || ed->length_m < 0) abort();
    }
    gn_graph_free(g);
  } else if (gn_ctx_errmsg(ctx)[0] == '\0') {
    abort();
  }
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
