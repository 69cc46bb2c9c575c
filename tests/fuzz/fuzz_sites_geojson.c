/* fuzz_sites_geojson.c - site import from GeoJSON (see
 * fuzz_sites_common.h). */
#include "fuzz_sites_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_sites_run(data, size, ".geojson");
  return 0;
}
