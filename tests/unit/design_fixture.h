/*
 * design_fixture.h - Shared fixtures of the design tests (points,
 * resilience, sizing, bom): small plans built in code, a GeoJSON point
 * loader (jansson) for the real Lomé data, and an independent network
 * check (BFS) that does not use the code under test.
 */
#ifndef GN_DESIGN_FIXTURE_H
#define GN_DESIGN_FIXTURE_H

#include <jansson.h>
#include <math.h>

#include "gn_test.h"

static inline gn_ctx *fx_ctx(void) {
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  return ctx;
}

static inline void fx_site(gn_ctx *ctx, gn_plan *p, const char *id,
                           double lon, double lat, gn_category cat) {
  gn_plan_site s = {0};
  s.id = (char *)id;
  s.lon = lon;
  s.lat = lat;
  s.category = cat;
  s.node = GN_NONE;
  s.status = GN_SITE_CONNECTED;
  ASSERT_OK(ctx, gn_plan_add_site(p, &s, NULL));
}

static inline void fx_pop(gn_ctx *ctx, gn_plan *p, double lon, double lat) {
  gn_plan_pop pop = {0};
  pop.id = (char *)"pop";
  pop.lon = lon;
  pop.lat = lat;
  pop.node = GN_NONE;
  ASSERT_OK(ctx, gn_plan_add_pop(p, &pop, NULL));
}

/* Sites of a GeoJSON point file (category from "category"), or 0 when
 * the shared data is absent. */
static inline size_t fx_load(gn_ctx *ctx, gn_plan *p, const char *rel) {
  char buf[1024];
  if (!gn_test_data(buf, sizeof buf, rel)) return 0;
  json_error_t err;
  json_t *root = json_load_file(buf, 0, &err);
  assert_non_null(root);
  json_t *feats = json_object_get(root, "features");
  size_t i, n = 0;
  json_t *f;
  json_array_foreach(feats, i, f) {
    json_t *c = json_object_get(json_object_get(f, "geometry"), "coordinates");
    const char *cat = json_string_value(
        json_object_get(json_object_get(f, "properties"), "category"));
    gn_category k = cat ? gn_category_parse(cat) : GN_CAT_HEALTH;
    char id[32];
    snprintf(id, sizeof id, "s%zu", i);
    fx_site(ctx, p, id, json_real_value(json_array_get(c, 0)),
            json_real_value(json_array_get(c, 1)),
            k == GN_CAT_COUNT ? GN_CAT_OTHER : k);
    n++;
  }
  json_decref(root);
  return n;
}

/* Independent check: 1 if site node `from` reaches a POP node over the
 * plan's trenches, ignoring trench `skip` ((size_t)-1: none). BFS over
 * an edge list; does not use any design code. */
static inline int fx_reaches_pop(const gn_plan *p, gn_id from, size_t skip) {
  size_t nn = gn_plan_node_count(p), nt = gn_plan_trench_count(p);
  unsigned char *seen = calloc(nn, 1);
  gn_id *queue = malloc(nn * sizeof(gn_id));
  size_t qh = 0, qt = 0;
  int found = 0;
  seen[from] = 1;
  queue[qt++] = from;
  while (qh < qt && !found) {
    gn_id v = queue[qh++];
    for (size_t k = 0; k < gn_plan_pop_count(p); k++)
      if (gn_plan_pop_get(p, k)->node == v) found = 1;
    for (size_t t = 0; t < nt; t++) {
      const gn_plan_trench *tr = gn_plan_trench_get(p, t);
      if (t == skip || (tr->a != v && tr->b != v)) continue;
      gn_id o = tr->a == v ? tr->b : tr->a;
      if (!seen[o]) {
        seen[o] = 1;
        queue[qt++] = o;
      }
    }
  }
  free(seen);
  free(queue);
  return found;
}

#endif
