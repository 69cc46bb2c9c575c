/*
 * plan_fixture.h - Builders for the small hand-made plans of the store
 * and monitor unit tests (include after gn_test.h).
 */
#ifndef GN_PLAN_FIXTURE_H
#define GN_PLAN_FIXTURE_H

static inline void add_trench(gn_ctx *ctx, gn_plan *p, int64_t id, gn_id a,
                              gn_id b,
                              double len, int redundant, int down) {
  const gn_plan_node *na = gn_plan_node_get(p, a);
  double c[6] = {na->lon, na->lat, 0, 0, 0, 0};
  const gn_plan_node *nb = gn_plan_node_get(p, b);
  c[2] = (na->lon + nb->lon) / 2;
  c[3] = (na->lat + nb->lat) / 2 + (redundant ? 0.0005 : 0);
  c[4] = nb->lon;
  c[5] = nb->lat;
  gn_plan_trench t;
  memset(&t, 0, sizeof(t));
  t.id = id;
  t.a = a;
  t.b = b;
  t.coords = c;
  t.ncoords = 3;
  t.length_m = len;
  t.redundant = redundant;
  t.sites_downstream = down;
  t.road_class = GN_ROAD_RESIDENTIAL;
  ASSERT_OK(ctx, gn_plan_add_trench(p, &t, NULL));
}

static inline void add_site(gn_ctx *ctx, gn_plan *p, const char *id,
                            gn_category c,
                            gn_id node) {
  const gn_plan_node *nd = gn_plan_node_get(p, node);
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  s.id = (char *)id;
  s.name = (char *)id;
  s.category = c;
  s.node = node;
  s.lon = nd->lon + 0.0001;
  s.lat = nd->lat + 0.0001;
  s.drop_m = 20;
  s.status = GN_SITE_CONNECTED;
  ASSERT_OK(ctx, gn_plan_add_site(p, &s, NULL));
}

#endif
