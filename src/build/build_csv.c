/*
 * build_csv.c - Progress reports from a subcontractor's spreadsheet.
 *
 * Design: the template (docs/build.md, docs/build_progress_template.csv)
 * has one report per row; columns are found by name, French or English,
 * any case and accents dropped by the template (date, trench/tranchee,
 * step/etape, metres, who/agent, reason/motif, note/remarque, photo,
 * lon, lat, id). Each row goes through gn_build_report_add in its own
 * transaction, so a bad row is reported with its line and never loses the
 * others. A row without an id gets one derived from its content (FNV-1a
 * of trench, step, date, who, metres, note), so importing the same sheet
 * twice replays instead of duplicating.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/build_int.h"

enum { C_ID, C_DATE, C_TRENCH, C_STEP, C_METRES, C_WHO, C_REASON, C_NOTE,
       C_PHOTO, C_LON, C_LAT, C_N };

static const char *const col_names[C_N][5] = {
    {"id", "client_id", NULL}, {"date", "at", "jour", NULL},
    {"trench", "tranchee", "tranch\xc3\xa9" "e", NULL},
    {"step", "etape", "\xc3\xa9tape", NULL},
    {"metres", "meters", "m\xc3\xa8tres", NULL},
    {"who", "agent", "equipe", NULL}, {"reason", "motif", NULL},
    {"note", "remarque", "observation", NULL}, {"photo", NULL},
    {"lon", "longitude", NULL}, {"lat", "latitude", NULL}};

/* French step names of the template, to the API's. */
static const char *const fr_steps[][2] = {
    {"piquete", "surveyed"}, {"piquet\xc3\xa9", "surveyed"}, {"creuse", "dug"},
    {"creus\xc3\xa9", "dug"}, {"fourreau", "ducted"}, {"tire", "pulled"},
    {"tir\xc3\xa9", "pulled"}, {"soude", "spliced"}, {"soud\xc3\xa9", "spliced"},
    {"teste", "tested"}, {"test\xc3\xa9", "tested"}, {"receptionne", "accepted"},
    {"r\xc3\xa9" "ceptionn\xc3\xa9", "accepted"}, {"bloque", "blocked"},
    {"bloqu\xc3\xa9", "blocked"}};

static const char *const fr_reasons[][2] = {
    {"autorisation", "permit"}, {"inondation", "flooding"}, {"autre", "other"}};

typedef struct imp {
  gn_store *st;
  const char *path, *org, *user;
  int col[C_N];
  int header_done;
  size_t rows, stored, replayed;
  gn__sb bad;
  size_t nbad;
} imp;

static int name_is(const char *have, const char *want) {
  for (; *have && *want; have++, want++)
    if (tolower((unsigned char)*have) != (unsigned char)*want) return 0;
  return !*have && !*want;
}

static void map_columns(imp *m, const char *const *names, size_t nc) {
  for (int c = 0; c < C_N; c++) {
    m->col[c] = -1;
    for (size_t i = 0; i < nc && m->col[c] < 0; i++)
      for (int k = 0; col_names[c][k]; k++)
        if (name_is(names[i], col_names[c][k])) m->col[c] = (int)i;
  }
  m->header_done = 1;
}

static const char *cell(const imp *m, const char *const *v, int c) {
  return m->col[c] >= 0 ? v[m->col[c]] : "";
}

/* "12,5" (French decimal comma) or "12.5"; -1 when not a number. */
static double number(const char *s) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%s", s);
  for (char *p = buf; *p; p++)
    if (*p == ',') *p = '.';
  char *end = NULL;
  double v = strtod(buf, &end);
  return end != buf && *end == '\0' ? v : -1;
}

/* DD/MM/YYYY (French sheets) to YYYY-MM-DD; other forms are kept. */
static const char *iso_date(const char *s, char *buf, size_t n) {
  int d, mo, y;
  char rest[32] = "";
  if (sscanf(s, "%2d/%2d/%4d%31[^\n]", &d, &mo, &y, rest) >= 3) {
    snprintf(buf, n, "%04d-%02d-%02d%s", y, mo, d, rest);
    return buf;
  }
  return s;
}

static const char *translate(const char *s, const char *const (*tab)[2],
                             size_t n) {
  for (size_t i = 0; i < n; i++)
    if (name_is(s, tab[i][0])) return tab[i][1];
  return s;
}

static uint64_t fnv(uint64_t h, const char *s) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (h ^ '|') * 1099511628211ull;
}

static void refuse(imp *m, size_t line, const char *msg) {
  gn__sb_printf(&m->bad, "%s{\"line\": %zu, \"message\": ", m->nbad++ ? ", " : "",
                line);
  gn__sb_jstr(&m->bad, msg);
  gn__sb_puts(&m->bad, "}");
}

static gn_status row(void *ud, size_t line, const char *const *names,
                     const char *const *v, size_t nc) {
  imp *m = ud;
  if (!m->header_done) {
    map_columns(m, names, nc);
    if (m->col[C_TRENCH] < 0 || m->col[C_STEP] < 0)
      return gn__fail(m->st->ctx, GN_EFORMAT,
                      "%s: the template needs the columns trench (tranchee)"
                      " and step (etape)",
                      m->path);
  }
  m->rows++;
  gn_build_report r;
  memset(&r, 0, sizeof(r));
  char date[48], id[40], msg[300];
  const char *step = translate(cell(m, v, C_STEP), fr_steps, sizeof(fr_steps) / sizeof(fr_steps[0]));
  int st = gn_build_step_parse(step);
  double tr = number(cell(m, v, C_TRENCH)), metres = number(cell(m, v, C_METRES));
  const char *photo = cell(m, v, C_PHOTO);
  double gps[2] = {number(cell(m, v, C_LON)), number(cell(m, v, C_LAT))};
  r.trench = tr > 0 && tr == floor(tr) ? (int64_t)tr : -1;
  r.step = st < 0 ? GN_STEP_SURVEYED : (gn_build_step)st;
  r.who = *cell(m, v, C_WHO) ? cell(m, v, C_WHO) : m->user;
  r.org = m->org;
  r.at = *cell(m, v, C_DATE) ? iso_date(cell(m, v, C_DATE), date, sizeof(date)) : NULL;
  r.metres = *cell(m, v, C_METRES) ? metres : 0;
  r.note = cell(m, v, C_NOTE);
  r.block_reason = translate(cell(m, v, C_REASON), fr_reasons, 3);
  r.photos = *photo ? &photo : NULL;
  r.nphotos = *photo ? 1 : 0;
  r.gps = gps;
  r.ngps = *cell(m, v, C_LON) && *cell(m, v, C_LAT) ? 1 : 0;
  r.client_id = cell(m, v, C_ID);
  if (!*r.client_id) {
    uint64_t h = 14695981039346656037ull;
    for (int c = C_DATE; c <= C_NOTE; c++) h = fnv(h, cell(m, v, c));
    snprintf(id, sizeof(id), "csv-%016llx", (unsigned long long)h);
    r.client_id = id;
  }
  gn_build_outcome out;
  gn_status s = GN_OK;
  if (r.trench < 0)
    s = gn__fail(m->st->ctx, GN_EINVAL, "trench: '%.40s' is not an id",
                 cell(m, v, C_TRENCH));
  else if (st < 0)
    s = gn__fail(m->st->ctx, GN_EINVAL, "step: '%.40s' unknown",
                 cell(m, v, C_STEP));
  else
    s = gn_build_report_add(m->st, &r, &out);
  if (s == GN_OK) {
    m->stored += !out.duplicate;
    m->replayed += (size_t)out.duplicate;
  } else if (s == GN_ENOMEM || s == GN_EDB || s == GN_EBUSY) {
    return s; /* the store itself failed: stop */
  } else {
    snprintf(msg, sizeof(msg), "%s", gn_ctx_errmsg(m->st->ctx));
    refuse(m, line, msg);
  }
  gn_ctx_clear(m->st->ctx);
  return GN_OK;
}

gn_status gn_build_import_csv(gn_store *st, const char *path, const char *org,
                              const char *user, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  imp m;
  memset(&m, 0, sizeof(m));
  m.st = st;
  m.path = path;
  m.org = org;
  m.user = user && *user ? user : "csv";
  gn__sb_init(&m.bad, st->ctx);
  gn_status s = gn_io_read_rows(st->ctx, path, row, &m);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_printf(&b, "{\"rows\": %zu, \"stored\": %zu, \"replayed\": %zu,"
                " \"refused\": [", m.rows, m.stored, m.replayed);
  gn__sb_add(&b, m.bad.p ? m.bad.p : "", m.bad.n);
  gn__sb_puts(&b, "]}");
  b.oom |= m.bad.oom;
  if (s == GN_OK) s = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  gn__sb_cleanup(&m.bad);
  return s;
}
