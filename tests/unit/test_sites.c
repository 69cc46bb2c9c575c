/* test_sites.c - site import through GDAL: GeoJSON, CSV (any-case
 * lon/lat columns), GeoPackage, reprojection, category mapping, and every
 * bad input (no points, no coordinate columns, out of range, no feature,
 * duplicate ids) leaving the plan unchanged. */
#include <math.h>
#include <unistd.h>

#include "gn_test.h"

#define tmpdir gn_test_tmpdir

static const char *write_file(const char *name, const char *text) {
  const char *path = gn_test_write(name, text);
  assert_non_null(path);
  return path;
}

typedef struct fx {
  gn_ctx *ctx;
  gn_plan *plan;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof(*f));
  assert_int_equal(GN_OK, gn_ctx_create(&f->ctx));
  assert_int_equal(GN_OK, gn_plan_create(f->ctx, &f->plan));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  gn_plan_free(f->plan);
  gn_ctx_free(f->ctx);
  free(f);
  return 0;
}

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
#define PT(props, x, y)                                                    \
  "{\"type\":\"Feature\",\"properties\":{" props "},\"geometry\":{\"type\":" \
  "\"Point\",\"coordinates\":[" #x "," #y "]}}"

static void geojson_fields_and_categories(void **state) {
  fx *f = *state;
  const char *path = write_file(
      "s.geojson",
      FC(PT("\"id\":\"A1\",\"name\":\"Mairie\",\"category\":\"admin\","
            "\"priority\":3", 1.2, 6.1) ","
         PT("\"id\":\"B2\",\"nom\":\"CHU\",\"amenity\":\"hospital\"", 1.3, 6.2) ","
         PT("\"id\":\"C3\",\"Facility type\":\"Centre M\xc3\xa9" "dico-social\"",
            1.4, 6.3) ","
         PT("\"id\":\"D4\",\"tag\":\"amenity=school\"", 1.5, 6.4) ","
         PT("\"id\":\"E5\",\"amenity\":\"bank\"", 1.6, 6.5)));
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, NULL, f->plan));
  assert_int_equal(5, gn_plan_site_count(f->plan));
  const gn_plan_site *a = gn_plan_site_get(f->plan, 0);
  assert_string_equal("A1", a->id);
  assert_string_equal("Mairie", a->name);
  assert_int_equal(GN_CAT_ADMIN, a->category);
  assert_int_equal(3, a->priority);
  assert_true(a->lon == 1.2 && a->lat == 6.1);
  assert_int_equal(GN_NONE, a->node);
  assert_string_equal("CHU", gn_plan_site_get(f->plan, 1)->name);
  assert_int_equal(GN_CAT_HEALTH, gn_plan_site_get(f->plan, 1)->category);
  assert_int_equal(GN_CAT_HEALTH, gn_plan_site_get(f->plan, 2)->category);
  assert_int_equal(GN_CAT_EDUCATION, gn_plan_site_get(f->plan, 3)->category);
  assert_int_equal(GN_CAT_OTHER, gn_plan_site_get(f->plan, 4)->category);
}

static void csv_columns_any_case(void **state) {
  fx *f = *state;
  const char *path = write_file("s.csv",
                                "Name,LATITUDE,Longitude,category\n"
                                "school one,6.13,1.22,education\n"
                                "clinic,6.14,1.23,health\n");
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, NULL, f->plan));
  assert_int_equal(2, gn_plan_site_count(f->plan));
  const gn_plan_site *s = gn_plan_site_get(f->plan, 1);
  assert_true(fabs(s->lon - 1.23) < 1e-12 && fabs(s->lat - 6.14) < 1e-12);
  assert_int_equal(GN_CAT_HEALTH, s->category);
  assert_string_equal("clinic", s->name);
}

static void reprojects_to_wgs84(void **state) {
  fx *f = *state;
  const char *path = write_file(
      "m.geojson",
      "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
      "\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}},\"features\":["
      PT("\"id\":\"x\"", 111319.49079327357, 0) "]}");
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, NULL, f->plan));
  const gn_plan_site *s = gn_plan_site_get(f->plan, 0);
  assert_true(fabs(s->lon - 1.0) < 1e-9);
  assert_true(fabs(s->lat) < 1e-9);
}

/* Sites from the sites layer of a plan GeoPackage. */
static void reads_geopackage_layer(void **state) {
  fx *f = *state;
  gn_plan_site s = {(char *)"g1", (char *)"Lyc\xc3\xa9" "e", GN_CAT_EDUCATION,
                    2, 0, 1.25, 6.15, GN_NONE, 0, GN_SITE_CONNECTED, NULL,
                    NULL, 0};
  ASSERT_OK(f->ctx, gn_plan_add_site(f->plan, &s, NULL));
  char path[128];
  snprintf(path, sizeof(path), "%s/p.gpkg", tmpdir);
  ASSERT_OK(f->ctx, gn_plan_write_gpkg(f->plan, path));
  gn_plan *p2 = NULL;
  ASSERT_OK(f->ctx, gn_plan_create(f->ctx, &p2));
  gn_sites_opts o;
  gn_sites_opts_init(&o);
  o.layer = "sites";
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, &o, p2));
  const gn_plan_site *r = gn_plan_site_get(p2, 0);
  assert_string_equal("g1", r->id);
  assert_int_equal(GN_CAT_EDUCATION, r->category);
  assert_int_equal(2, r->priority);
  assert_true(r->lon == 1.25 && r->lat == 6.15);
  gn_plan_free(p2);
}

static void expect_fail(fx *f, const char *path, gn_status want,
                        const char *part) {
  size_t before = gn_plan_site_count(f->plan);
  assert_int_equal(want, gn_io_read_sites(f->ctx, path, NULL, f->plan));
  if (!strstr(gn_ctx_errmsg(f->ctx), part))
    fail_msg("message '%s' lacks '%s'", gn_ctx_errmsg(f->ctx), part);
  assert_null(strchr(gn_ctx_errmsg(f->ctx), '\n'));
  assert_int_equal(before, gn_plan_site_count(f->plan));
}

static void bad_inputs_fail_and_leave_plan(void **state) {
  fx *f = *state;
  char missing[128];
  snprintf(missing, sizeof(missing), "%s/none.geojson", tmpdir);
  expect_fail(f, missing, GN_ENOTFOUND, "none.geojson: no such file"); /* issue 17 */
  expect_fail(f,
              write_file("lines.geojson",
                         FC("{\"type\":\"Feature\",\"properties\":{},"
                            "\"geometry\":{\"type\":\"LineString\","
                            "\"coordinates\":[[1,2],[3,4]]}}")),
              GN_EFORMAT, "expected a Point");
  expect_fail(f, write_file("nocoord.csv", "id,name,town\n1,a,Lome\n"),
              GN_EFORMAT, "no coordinate columns");
  expect_fail(f, write_file("range.csv", "id,lon,lat\n1,1.2,6.1\n2,1.2,95\n"),
              GN_EGEOM, "line 3: coordinates (1.2, 95) out of range");
  expect_fail(f,
              write_file("range.geojson", FC(PT("\"id\":\"ok\"", 1, 2) ","
                                             PT("\"id\":\"bad\"", 200, 2))),
              GN_EGEOM, "out of range");
  expect_fail(f, write_file("empty.geojson", FC("")), GN_EFORMAT, "no sites");
  expect_fail(f, write_file("dup.geojson", FC(PT("\"id\":\"7\"", 1, 2) ","
                                             PT("\"id\":\"7\"", 1, 3))),
              GN_EFORMAT, "duplicate site id '7'");
  expect_fail(f, write_file("text.geojson", "this is not json"), GN_EFORMAT,
              "is not a vector dataset (GeoJSON, CSV, GPKG, SHP)"); /* issue 17 */
}

/* --id-field: ids come from the named column; a missing column or an
 * empty value is an error, never a silent fallback to feature numbers. */
static void named_id_field_is_required(void **state) {
  fx *f = *state;
  gn_sites_opts o;
  gn_sites_opts_init(&o);
  o.id_field = "osm_id";
  const char *ok = write_file("osm.geojson", FC(PT("\"osm_id\":631737244", 1, 2) ","
                                                PT("\"osm_id\":42", 1, 3)));
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, ok, &o, f->plan));
  assert_string_equal("631737244", gn_plan_site_get(f->plan, 0)->id);
  assert_string_equal("42", gn_plan_site_get(f->plan, 1)->id);
  o.id_field = "ref";
  assert_int_equal(GN_EFORMAT, gn_io_read_sites(f->ctx, ok, &o, f->plan));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "no field named 'ref'"));
  gn_ctx_clear(f->ctx);
  o.id_field = "osm_id";
  const char *gap = write_file("gap.geojson", FC(PT("\"osm_id\":1", 1, 2) ","
                                                 PT("\"name\":\"x\"", 1, 3)));
  assert_int_equal(GN_EFORMAT, gn_io_read_sites(f->ctx, gap, &o, f->plan));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "has no value in the id field"));
  assert_int_equal(2, gn_plan_site_count(f->plan)); /* unchanged */
}

/* The Togo public buildings keep their own categories. */
static void togo_buildings(void **state) {
  fx *f = *state;
  char buf[512];
  const char *path =
      gn_test_data(buf, sizeof(buf), "togo/lome_public_buildings.geojson");
  if (!path) skip();
  ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, NULL, f->plan));
  int n[GN_CAT_COUNT] = {0};
  for (size_t i = 0; i < gn_plan_site_count(f->plan); i++)
    n[gn_plan_site_get(f->plan, i)->category]++;
  assert_int_equal(453, gn_plan_site_count(f->plan));
  assert_int_equal(282, n[GN_CAT_EDUCATION]);
  assert_int_equal(118, n[GN_CAT_HEALTH]);
  assert_int_equal(53, n[GN_CAT_ADMIN]);
  gn_plan *who = NULL;
  ASSERT_OK(f->ctx, gn_plan_create(f->ctx, &who));
  path = gn_test_data(buf, sizeof(buf), "togo/togo_health_facilities_who.geojson");
  if (path) {
    ASSERT_OK(f->ctx, gn_io_read_sites(f->ctx, path, NULL, who));
    for (size_t i = 0; i < gn_plan_site_count(who); i++)
      assert_int_equal(GN_CAT_HEALTH, gn_plan_site_get(who, i)->category);
    assert_non_null(gn_plan_site_get(who, 0)->name);
  }
  gn_plan_free(who);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(geojson_fields_and_categories, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(csv_columns_any_case, setup, teardown),
      cmocka_unit_test_setup_teardown(reprojects_to_wgs84, setup, teardown),
      cmocka_unit_test_setup_teardown(reads_geopackage_layer, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_inputs_fail_and_leave_plan, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(named_id_field_is_required, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(togo_buildings, setup, teardown),
  };
  return cmocka_run_group_tests(tests, gn_test_tmpdir_make,
                                     gn_test_tmpdir_remove);
}
