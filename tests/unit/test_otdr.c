/*
 * test_otdr.c - SOR reader: exact decoding of a hand-built version 2 file,
 * Latin-1 text, counts that do not fit their block, every truncation and
 * thousands of byte mutations of the real files (OK or a clean error
 * naming the file), and every allocation failure.
 */
#include <dirent.h>
#include <math.h>

#include "gn_test.h"

/* ---- a tiny SOR writer ----------------------------------------- */

typedef struct wbuf {
  unsigned char b[4096];
  size_t n;
} wbuf;

static void put(wbuf *w, unsigned long v, int k) {
  for (int i = 0; i < k; i++) w->b[w->n++] = (unsigned char)(v >> (8 * i));
}
static void puts0(wbuf *w, const char *s) {
  size_t n = strlen(s) + 1;
  memcpy(w->b + w->n, s, n);
  w->n += n;
}
static void putraw(wbuf *w, const void *p, size_t n) {
  memcpy(w->b + w->n, p, n);
  w->n += n;
}

/* Body of each block (after its name) for a v2 file: supplier in
 * Latin-1, 1550 nm, index 1.4680, 2 events, 4 samples. */
static void sup_block(wbuf *w, const char *supplier) {
  puts0(w, "SupParams");
  puts0(w, supplier);
  for (int i = 0; i < 6; i++) puts0(w, "x");
}

static void fxd_block(wbuf *w) {
  puts0(w, "FxdParams");
  put(w, 0, 4);         /* date */
  putraw(w, "mt", 2);   /* units */
  put(w, 15500, 2);     /* 1550.0 nm */
  put(w, 0, 4);         /* acquisition offset */
  put(w, 0, 4);         /* acquisition offset distance */
  put(w, 1, 2);         /* one pulse width */
  put(w, 100, 2);       /* 100 ns */
  put(w, 1000000, 4);   /* 0.01 us per sample */
  put(w, 4, 4);         /* 4 points */
  put(w, 146800, 4);    /* index 1.468 */
  for (int i = 0; i < 40; i++) put(w, 0, 1);
}

static void ev_block(wbuf *w, unsigned nev) {
  puts0(w, "KeyEvents");
  put(w, nev, 2);
  for (unsigned i = 0; i < 2; i++) {
    put(w, i + 1, 2);
    put(w, i ? 489674 : 0, 4); /* 489674 x 100 ps -> 10.0000 km at 1.468 */
    put(w, 350, 2);            /* 0.350 dB/km */
    put(w, i ? (unsigned long)(uint16_t)-120 : 410, 2); /* -0.120, 0.410 */
    put(w, (unsigned long)(uint32_t)-45500, 4);       /* -45.5 dB */
    putraw(w, i ? "1E9999LS" : "0F9999LS", 8);
    for (int k = 0; k < 5; k++) put(w, 0, 4);
    puts0(w, i ? "fin" : "");
  }
  put(w, 3520, 4); /* total loss 3.52 */
  put(w, 0, 4);
  put(w, 0, 4);
  put(w, 31250, 2); /* ORL 31.25 */
  put(w, 0, 4);
  put(w, 0, 4);
}

static void pts_block(wbuf *w) {
  puts0(w, "DataPts");
  put(w, 4, 4);
  put(w, 1, 2);
  put(w, 4, 4);
  put(w, 1000, 2);
  for (int i = 0; i < 4; i++) put(w, 1000u * (unsigned)i, 2);
}

/* Assemble map + blocks; nev is the declared event count. */
static size_t make_sor(unsigned char *out, const char *supplier,
                       unsigned nev) {
  wbuf blocks[4];
  memset(blocks, 0, sizeof(blocks));
  sup_block(&blocks[0], supplier);
  fxd_block(&blocks[1]);
  ev_block(&blocks[2], nev);
  pts_block(&blocks[3]);
  const char *names[4] = {"SupParams", "FxdParams", "KeyEvents", "DataPts"};
  wbuf map = {{0}, 0};
  size_t map_size = 4 + 2 + 4 + 2;
  for (int i = 0; i < 4; i++) map_size += strlen(names[i]) + 1 + 6;
  puts0(&map, "Map");
  put(&map, 200, 2);
  put(&map, map_size, 4);
  put(&map, 5, 2);
  for (int i = 0; i < 4; i++) {
    puts0(&map, names[i]);
    put(&map, 200, 2);
    put(&map, blocks[i].n, 4);
  }
  size_t n = 0;
  memcpy(out, map.b, map.n);
  n += map.n;
  for (int i = 0; i < 4; i++) {
    memcpy(out + n, blocks[i].b, blocks[i].n);
    n += blocks[i].n;
  }
  return n;
}

static void decodes_hand_built_v2_file(void **state) {
  (void)state;
  unsigned char buf[8192];
  size_t n = make_sor(buf, "Fibre Lom\xe9 ", 2);
  gn_ctx *ctx = NULL;
  gn_sor *sor = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  ASSERT_OK(ctx, gn_sor_read_mem(ctx, buf, n, "t.sor", &sor));
  const gn_sor_info *in = gn_sor_get_info(sor);
  assert_int_equal(2, in->format);
  assert_float_equal(2.0, in->version, 1e-9);
  assert_float_equal(1550.0, in->wavelength_nm, 1e-9);
  assert_string_equal("Fibre Lom\xc3\xa9", in->supplier); /* Latin-1 é */
  assert_float_equal(3.52, in->total_loss_db, 1e-9);
  assert_float_equal(31.25, in->orl_db, 1e-9);
  assert_int_equal(4, in->points);
  /* 4 samples x 0.01 us x c / 1.468 */
  assert_float_equal(4 * 0.01 * 0.299792458 / 1.468, in->range_km, 1e-9);
  assert_int_equal(2, gn_sor_event_count(sor));
  const gn_sor_event *e = gn_sor_get_event(sor, 1);
  assert_float_equal(10.0, e->distance_km, 1e-4);
  assert_float_equal(-0.120, e->splice_loss_db, 1e-9);
  assert_float_equal(-45.5, e->reflectance_db, 1e-9);
  assert_string_equal("1E9999LS", e->type);
  assert_string_equal("fin", e->comment);
  assert_float_equal(0.410, gn_sor_get_event(sor, 0)->splice_loss_db, 1e-9);
  assert_null(gn_sor_get_event(sor, 2));
  size_t ns = 0;
  assert_float_equal(2.0, gn_sor_get_samples(sor, &ns)[2], 1e-6);
  assert_int_equal(4, ns);
  char *json = NULL;
  ASSERT_OK(ctx, gn_sor_json(ctx, sor, &json));
  assert_non_null(strstr(json, "\"supplier\": \"Fibre Lom\xc3\xa9\""));
  assert_non_null(strstr(json, "\"splice_loss_db\": -0.12,"));
  gn_free(ctx, json);
  gn_sor_free(sor);
  gn_ctx_free(ctx);
}

static void event_count_past_block_is_named(void **state) {
  (void)state;
  unsigned char buf[8192];
  size_t n = make_sor(buf, "x", 60000);
  gn_ctx *ctx = NULL;
  gn_sor *sor = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  assert_int_equal(GN_EFORMAT, gn_sor_read_mem(ctx, buf, n, "t.sor", &sor));
  assert_null(sor);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "t.sor: block KeyEvents"));
  assert_int_equal(GN_EFORMAT, gn_sor_read_mem(ctx, "Map\0", 4, "m.sor", &sor));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "m.sor: not a SOR file"));
  assert_int_equal(GN_EIO, gn_sor_read_file(ctx, "/nonexistent.sor", &sor));
  gn_ctx_free(ctx);
}

/* ---- the real files -------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *p = malloc((size_t)len + 1);
  *n = fread(p, 1, (size_t)len, f);
  fclose(f);
  return p;
}

/* One parse of possibly damaged bytes: OK, or a clean error that names
 * the file. */
static void parse_any(gn_ctx *ctx, const unsigned char *p, size_t n) {
  gn_sor *sor = NULL;
  gn_status s = gn_sor_read_mem(ctx, p, n, "mut.sor", &sor);
  if (s == GN_OK) {
    char *json = NULL;
    ASSERT_OK(ctx, gn_sor_json(ctx, sor, &json));
    gn_free(ctx, json);
    gn_sor_free(sor);
    return;
  }
  if (s != GN_EFORMAT && s != GN_ELIMIT)
    fail_msg("status %s: %s", gn_status_name(s), gn_ctx_errmsg(ctx));
  assert_null(sor);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "mut.sor"));
}

typedef void (*file_fn)(gn_ctx *ctx, const char *name, unsigned char *p,
                        size_t n);

static int each_real_file(file_fn fn) {
  char dir[512];
  if (!gn_test_data(dir, sizeof(dir), "otdr")) return 0;
  DIR *d = opendir(dir);
  assert_non_null(d);
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  int count = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len < 5 || strcmp(de->d_name + len - 4, ".sor") != 0) continue;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
    size_t n = 0;
    unsigned char *p = slurp(path, &n);
    assert_non_null(p);
    fn(ctx, de->d_name, p, n);
    free(p);
    count++;
  }
  closedir(d);
  gn_ctx_free(ctx);
  return count;
}

static void real_file_reads(gn_ctx *ctx, const char *name, unsigned char *p,
                            size_t n) {
  gn_sor *sor = NULL;
  gn_status s = gn_sor_read_mem(ctx, p, n, name, &sor);
  if (s != GN_OK) fail_msg("%s: %s", name, gn_ctx_errmsg(ctx));
  const gn_sor_info *in = gn_sor_get_info(sor);
  assert_true(in->points > 0);
  assert_true(in->wavelength_nm >= 1300 && in->wavelength_nm <= 1650);
  assert_true(gn_sor_event_count(sor) > 0);
  gn_sor_free(sor);
}

static void every_truncation(gn_ctx *ctx, const char *name, unsigned char *p,
                             size_t n) {
  (void)name;
  for (size_t k = 0; k < n; k += k < 2048 ? 1 : 61) parse_any(ctx, p, k);
}

static void byte_mutations(gn_ctx *ctx, const char *name, unsigned char *p,
                           size_t n) {
  (void)name;
  uint32_t x = 2463534242u;
  for (int round = 0; round < 3000; round++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    /* mostly the header and small blocks, where the counts live */
    size_t at = (round & 1) ? x % (n < 1024 ? n : 1024) : x % n;
    unsigned char keep = p[at];
    p[at] = (unsigned char)(x >> 8);
    if (round % 7 == 0 && at + 1 < n) p[at + 1] = 0xFF;
    parse_any(ctx, p, n);
    p[at] = keep;
  }
}

static void real_files_read(void **state) {
  (void)state;
  assert_true(each_real_file(real_file_reads) >= 0);
}

static void truncated_real_files_fail_cleanly(void **state) {
  (void)state;
  each_real_file(every_truncation);
}

static void mutated_real_files_fail_cleanly(void **state) {
  (void)state;
  each_real_file(byte_mutations);
}

static gn_status read_hand_built(gn_ctx *ctx) {
  unsigned char buf[8192];
  size_t n = make_sor(buf, "Lom\xe9", 2);
  gn_sor *sor = NULL;
  char *json = NULL;
  gn_status s = gn_sor_read_mem(ctx, buf, n, "t.sor", &sor);
  if (s == GN_OK) s = gn_sor_json(ctx, sor, &json);
  gn_free(ctx, json);
  gn_sor_free(sor);
  return s;
}

static void survives_every_allocation_failure(void **state) {
  (void)state;
  assert_true(gn_test_each_failed_alloc(read_hand_built) > 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decodes_hand_built_v2_file),
      cmocka_unit_test(event_count_past_block_is_named),
      cmocka_unit_test(real_files_read),
      cmocka_unit_test(truncated_real_files_fail_cleanly),
      cmocka_unit_test(mutated_real_files_fail_cleanly),
      cmocka_unit_test(survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
