/*
 * test_server.c - HTTP server internals (route table, OpenAPI document,
 * parsers, arena) and one in-process round trip over a real socket.
 *
 * Also the API tests' fixture maker: `test_server --make-fixture DB`
 * writes a small store (a POP, six sites, a ring with one redundant
 * trench) through the public store API, so tests/api and tests/web need
 * no plan file and no shared data.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gn_test.h"
#include "server/srv.h"

/* ---- fixture ---- */

static const double fx_nodes[][2] = {
    {1.2200, 6.1300}, {1.2250, 6.1300}, {1.2300, 6.1300},
    {1.2300, 6.1350}, {1.2250, 6.1350}, {1.2350, 6.1300}};

static const struct {
  int64_t id;
  gn_id a, b;
  int downstream, redundant;
} fx_trenches[] = {{11, 0, 1, 6, 0}, {12, 1, 2, 5, 0}, {13, 2, 5, 2, 0},
                   {14, 2, 3, 2, 0}, {15, 3, 4, 1, 0}, {16, 4, 1, 0, 1}};

static const struct {
  const char *id, *name;
  gn_category cat;
  gn_id node;
  int priority, critical;
} fx_sites[] = {
    {"osm:101", "Hôpital de Bè", GN_CAT_HEALTH, 2, 90, 1},
    {"osm:102", "Ministère des Postes", GN_CAT_ADMIN, 3, 80, 1},
    {"osm:103", "Lycée de Tokoin", GN_CAT_EDUCATION, 5, 40, 0},
    {"osm:104", "CMS Adakpamé", GN_CAT_HEALTH, 4, 70, 0},
    {"osm:105", "Poste de Bè", GN_CAT_OTHER, 1, 10, 0},
    {"osm:106", "École primaire Nyékonakpoè", GN_CAT_EDUCATION, 5, 30, 0},
};

static gn_status fixture_plan(gn_ctx *ctx, gn_plan **out) {
  gn_plan *p = NULL;
  gn_status s = gn_plan_create(ctx, &p);
  for (size_t i = 0; s == GN_OK && i < 6; i++)
    s = gn_plan_add_node(p, fx_nodes[i][0], fx_nodes[i][1], NULL);
  for (size_t i = 0; s == GN_OK && i < 6; i++) {
    double c[4] = {fx_nodes[fx_trenches[i].a][0], fx_nodes[fx_trenches[i].a][1],
                   fx_nodes[fx_trenches[i].b][0], fx_nodes[fx_trenches[i].b][1]};
    gn_plan_trench t = {.id = fx_trenches[i].id, .a = fx_trenches[i].a,
                        .b = fx_trenches[i].b, .coords = c, .ncoords = 2,
                        .length_m = gn_geo_distance_m(c[0], c[1], c[2], c[3]),
                        .road_class = GN_ROAD_RESIDENTIAL,
                        .sites_downstream = fx_trenches[i].downstream,
                        .redundant = fx_trenches[i].redundant,
                        .cost_fcfa = 25000.0 * 550};
    s = gn_plan_add_trench(p, &t, NULL);
  }
  for (size_t i = 0; s == GN_OK && i < 6; i++) {
    const double *n = fx_nodes[fx_sites[i].node];
    gn_plan_site st = {.id = (char *)fx_sites[i].id, .name = (char *)fx_sites[i].name,
                       .category = fx_sites[i].cat, .priority = fx_sites[i].priority,
                       .critical = fx_sites[i].critical, .lon = n[0] + 0.0004,
                       .lat = n[1] + 0.0003, .node = fx_sites[i].node,
                       .drop_m = 55.0, .status = GN_SITE_CONNECTED};
    s = gn_plan_add_site(p, &st, NULL);
  }
  gn_plan_pop pop = {.id = "POP-LOME", .name = "POP Lomé Centre",
                     .lon = fx_nodes[0][0], .lat = fx_nodes[0][1], .node = 0};
  if (s == GN_OK) s = gn_plan_add_pop(p, &pop, NULL);
  if (s == GN_OK) s = gn_plan_set_meta(p, "mode", "fixture");
  if (s != GN_OK) {
    gn_plan_free(p);
    return s;
  }
  *out = p;
  return GN_OK;
}

static int make_fixture(const char *path) {
  gn_ctx *ctx = NULL;
  gn_plan *plan = NULL;
  gn_store *st = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) return 1;
  gn_status s = fixture_plan(ctx, &plan);
  if (s == GN_OK) s = gn_store_open(ctx, path, GN_STORE_CREATE, 0, &st);
  if (s == GN_OK) s = gn_store_import_plan(st, plan, "fixture", NULL);
  if (s != GN_OK) fprintf(stderr, "fixture %s: %s\n", path, gn_ctx_errmsg(ctx));
  gn_store_close(st);
  gn_plan_free(plan);
  gn_ctx_free(ctx);
  return s == GN_OK ? 0 : 1;
}

/* ---- route table and OpenAPI ---- */

static void openapi_documents_every_route(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  char *text = NULL;
  size_t len = 0;
  ASSERT_OK(ctx, gn__openapi_build(ctx, &text, &len));
  json_t *doc = json_loadb(text, len, 0, NULL);
  assert_non_null(doc);
  assert_string_equal("3.0.3", json_string_value(json_object_get(doc, "openapi")));
  json_t *paths = json_object_get(doc, "paths");
  size_t n = 0, nops = 0;
  const gn__route *r = gn__routes(&n);
  for (size_t i = 0; i < n; i++) {
    char m[8] = {0};
    for (size_t k = 0; k < 7 && r[i].method[k]; k++) m[k] = (char)(r[i].method[k] | 0x20);
    json_t *op = json_object_get(json_object_get(paths, r[i].path), m);
    if (!op) fail_msg("route %s %s is not documented", r[i].method, r[i].path);
    const gn__perm *perm = gn__route_perm(&r[i]);
    if (!perm) fail_msg("route %s has no permission row", r[i].op_id);
    assert_int_equal(!(perm->roles & GN_ROLE_BIT(GN_ROLE_PUBLIC)),
                     json_object_get(op, "security") != NULL);
    /* writes are never open to the public; scoped answers never cached */
    if (strcmp(r[i].method, "GET") != 0 && strcmp(r[i].op_id, "login") != 0 &&
        strcmp(r[i].op_id, "logout") != 0)
      assert_false(perm->roles & GN_ROLE_BIT(GN_ROLE_PUBLIC));
    if (perm->scope) assert_false(r[i].flags & GN__R_CACHE);
    json_t *roles = json_object_get(op, "x-roles");
    assert_true(json_is_array(roles));
    for (int k = 0; k < GN_ROLE_COUNT; k++) {
      int listed = 0;
      for (size_t j = 0; j < json_array_size(roles); j++)
        listed |= strcmp(json_string_value(json_array_get(roles, j)),
                         gn_role_name((gn_role)k)) == 0;
      assert_int_equal(!!(perm->roles & GN_ROLE_BIT(k)), listed);
    }
  }
  const char *key;
  json_t *item;
  json_object_foreach(paths, key, item) nops += json_object_size(item);
  assert_int_equal(n, nops); /* nothing documented that is not routed */
  json_decref(doc);
  free(text);
  gn_ctx_free(ctx);
}

static void route_find_matches_id_and_method(void **state) {
  (void)state;
  int pm = 0;
  const char *id = NULL;
  size_t idl = 0;
  const gn__route *r = gn__route_find("GET", "/api/sites/osm:7", &pm, &id, &idl);
  assert_non_null(r);
  assert_string_equal("getSite", r->op_id);
  assert_int_equal(5, idl);
  assert_memory_equal("osm:7", id, 5);
  assert_null(gn__route_find("POST", "/api/sites/osm:7", &pm, &id, &idl));
  assert_int_equal(1, pm); /* path known, method not */
  assert_null(gn__route_find("GET", "/api/sites/a/b", &pm, &id, &idl));
  assert_int_equal(0, pm);
  assert_null(gn__route_find("GET", "/api/sites/", &pm, &id, &idl));
  assert_non_null(gn__route_find("DELETE", "/api/sites/x", &pm, &id, &idl));
}

static void bbox_parser_is_strict(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  double b[4];
  assert_int_equal(GN_OK, gn__parse_bbox(ctx, "1.1,6.1,1.3,6.3", b));
  assert_true(b[0] == 1.1 && b[3] == 6.3);
  const char *bad[] = {"1,2,3", "1,2,3,4,5", "3,2,1,4", "1,6,2,5", "-181,0,1,1",
                       "a,b,c,d", "1,2,3,nan", "1,2,3,4x", ""};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    gn_ctx_clear(ctx);
    assert_int_equal(GN_EINVAL, gn__parse_bbox(ctx, bad[i], b));
    assert_non_null(strstr(gn_ctx_errmsg(ctx), "bbox"));
  }
  long v = 0;
  assert_int_equal(GN_OK, gn__parse_uint(ctx, "limit", "10", 1, 100, &v));
  assert_int_equal(10, v);
  assert_int_equal(GN_EINVAL, gn__parse_uint(ctx, "limit", "101", 1, 100, &v));
  assert_int_equal(GN_EINVAL, gn__parse_uint(ctx, "limit", "-1", 0, 100, &v));
  assert_int_equal(GN_EINVAL, gn__parse_uint(ctx, "limit", "1e3", 0, 10000, &v));
  gn_ctx_free(ctx);
}

static void arena_enforces_its_limit(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn__arena a;
  gn__arena_init(&a, ctx, 10000);
  for (int i = 0; i < 9; i++) assert_non_null(gn__arena_alloc(&a, 1000));
  assert_null(gn__arena_alloc(&a, 2000));
  assert_int_equal(GN_ELIMIT, gn_ctx_errcode(ctx));
  char *s = gn__arena_strndup(&a, "abcdef", 3);
  assert_string_equal("abc", s);
  gn__arena_cleanup(&a);
  gn_ctx_free(ctx);
}

/* ---- in-process round trip ---- */

static int http_get(unsigned port, const char *path, char *buf, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) return -1;
  char req[256];
  int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
  if (write(fd, req, (size_t)n) != n) return -1;
  size_t got = 0;
  ssize_t k;
  while (got + 1 < cap && (k = read(fd, buf + got, cap - 1 - got)) > 0) got += (size_t)k;
  buf[got] = '\0';
  close(fd);
  return (int)got;
}

static void server_answers_over_loopback(void **state) {
  (void)state;
  char db[] = "/tmp/gn_test_server_XXXXXX";
  int fd = mkstemp(db);
  assert_true(fd >= 0);
  close(fd);
  unlink(db);
  assert_int_equal(0, make_fixture(db));
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_server_opts o = {.db_path = db, .port = 0, .threads = 2, .token = "0123456789"};
  gn_server *srv = NULL;
  ASSERT_OK(ctx, gn_server_create(ctx, &o, &srv));
  ASSERT_OK(ctx, gn_server_start(srv));
  assert_true(gn_server_port(srv) > 0);
  char buf[8192];
  assert_true(http_get(gn_server_port(srv), "/api/health", buf, sizeof(buf)) > 0);
  assert_non_null(strstr(buf, "HTTP/1.1 200"));
  assert_non_null(strstr(buf, "\"status\":\"ok\""));
  assert_true(http_get(gn_server_port(srv), "/api/sites/osm:101", buf, sizeof(buf)) > 0);
  assert_non_null(strstr(buf, "Hôpital de Bè"));
  assert_true(http_get(gn_server_port(srv), "/api/nope", buf, sizeof(buf)) > 0);
  assert_non_null(strstr(buf, "HTTP/1.1 404"));
  assert_non_null(strstr(buf, "{\"error\":\"ENOTFOUND\""));
  gn_server_shutdown(srv, 1000);
  gn_server_free(srv);
  gn_ctx_free(ctx);
  char side[sizeof(db) + 8];
  unlink(db);
  snprintf(side, sizeof(side), "%s-wal", db);
  unlink(side);
  snprintf(side, sizeof(side), "%s-shm", db);
  unlink(side);
}


/* The n-th allocation of gn_server_create fails, n = 0, 1, ...: each
 * failure is GN_ENOMEM and leaks nothing (ASan checks at exit). */
static void server_create_survives_oom(void **state) {
  (void)state;
  char db[] = "/tmp/gn_test_oom_XXXXXX";
  int fd = mkstemp(db);
  assert_true(fd >= 0);
  close(fd);
  unlink(db);
  assert_int_equal(0, make_fixture(db));
  gn_status s = GN_ENOMEM;
  long n = 0;
  for (; s != GN_OK && n < 1000; n++) {
    gn_test_failing f = {-1};
    gn_ctx *ctx = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &f, &ctx));
    f.left = n;
    gn_server_opts o = {.db_path = db, .token = "0123456789", .web_dir = "/tmp"};
    gn_server *srv = NULL;
    s = gn_server_create(ctx, &o, &srv);
    if (s != GN_OK) {
      assert_int_equal(GN_ENOMEM, s);
      assert_null(srv);
    }
    gn_server_free(srv);
    gn_ctx_free(ctx);
  }
  assert_int_equal(GN_OK, s);
  assert_true(n > 3); /* several allocation points were exercised */
  unlink(db);
}

static void server_rejects_bad_options(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  gn_server *srv = NULL;
  gn_server_opts o = {.db_path = NULL};
  assert_int_equal(GN_EINVAL, gn_server_create(ctx, &o, &srv));
  assert_null(srv);
  gn_server_opts o2 = {.db_path = "/nonexistent/dir/x.gpkg", .token = "short"};
  assert_int_equal(GN_EINVAL, gn_server_create(ctx, &o2, &srv));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "token"));
  gn_server_opts o3 = {.db_path = "/nonexistent/dir/x.gpkg"};
  assert_int_not_equal(GN_OK, gn_server_create(ctx, &o3, &srv));
  assert_null(srv);
  gn_ctx_free(ctx);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--make-fixture") == 0) return make_fixture(argv[2]);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(openapi_documents_every_route),
      cmocka_unit_test(route_find_matches_id_and_method),
      cmocka_unit_test(bbox_parser_is_strict),
      cmocka_unit_test(arena_enforces_its_limit),
      cmocka_unit_test(server_rejects_bad_options),
      cmocka_unit_test(server_create_survives_oom),
      cmocka_unit_test(server_answers_over_loopback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
