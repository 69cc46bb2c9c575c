/*
 * lease_report.c - The monthly invoice: one line per lease active during
 * the month, charged pro rata of its active days, with the one-off
 * charges in the month of activation, and a total per operator; as CSV
 * (for the accounts' spreadsheets) or HTML, in French or English.
 * Amounts are whole FCFA; French HTML groups thousands with a narrow
 * space and uses a decimal comma.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lease/lease_int.h"

typedef struct line {
  char op[128];
  int64_t id;
  char from[96], to[96];
  int fibers, days, mdays;
  double monthly, recurring, once;
} line;

static const char *tr(const char *lang, const char *en, const char *fr) {
  return strcmp(lang, "fr") == 0 ? fr : en;
}

static void money(char *out, size_t n, double v, const char *lang) {
  long long x = llround(v);
  char digits[32];
  snprintf(digits, sizeof digits, "%lld", x < 0 ? -x : x);
  size_t len = strlen(digits), o = 0;
  if (x < 0 && o + 1 < n) out[o++] = '-';
  const char *sep = strcmp(lang, "fr") == 0 ? "\xe2\x80\xaf" : ",";
  for (size_t i = 0; i < len && o + 4 < n; i++) {
    out[o++] = digits[i];
    size_t left = len - i - 1;
    if (left && left % 3 == 0)
      for (const char *p = sep; *p && o + 1 < n; p++) out[o++] = *p;
  }
  out[o] = '\0';
}

static void csv_field(gn__sb *b, const char *s) {
  gn__sb_puts(b, "\"");
  for (const char *p = s; *p; p++) {
    if (*p == '"') gn__sb_puts(b, "\"\"");
    else gn__sb_add(b, p, 1);
  }
  gn__sb_puts(b, "\"");
}

static void html_text(gn__sb *b, const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p == '<') gn__sb_puts(b, "&lt;");
    else if (*p == '>') gn__sb_puts(b, "&gt;");
    else if (*p == '&') gn__sb_puts(b, "&amp;");
    else if (*p == '"') gn__sb_puts(b, "&quot;");
    else gn__sb_add(b, p, 1);
  }
}

static void csv_out(gn__sb *b, const line *l, size_t n) {
  gn__sb_puts(b, "operator,lease,from,to,fibers,days,month_days,"
                 "monthly_fcfa,recurring_fcfa,one_off_fcfa,total_fcfa\n");
  for (size_t i = 0; i < n; i++) {
    csv_field(b, l[i].op);
    gn__sb_printf(b, ",%lld,", (long long)l[i].id);
    csv_field(b, l[i].from);
    gn__sb_puts(b, ",");
    csv_field(b, l[i].to);
    gn__sb_printf(b, ",%d,%d,%d,%.0f,%.0f,%.0f,%.0f\n", l[i].fibers, l[i].days,
                  l[i].mdays, l[i].monthly, l[i].recurring, l[i].once,
                  l[i].recurring + l[i].once);
  }
}

static void html_total(gn__sb *b, const char *op, double sum,
                       const char *lang) {
  char m[48];
  money(m, sizeof m, sum, lang);
  gn__sb_puts(b, "<tr class=total><td colspan=6>");
  gn__sb_puts(b, tr(lang, "Total ", "Total "));
  html_text(b, op);
  gn__sb_printf(b, "</td><td class=n>%s</td></tr>\n", m);
}

static void html_out(gn__sb *b, const line *l, size_t n, const char *month,
                     const char *lang) {
  gn__sb_printf(b,
                "<!doctype html><html lang=%s><meta charset=utf-8><title>%s "
                "%s</title><style>body{font-family:sans-serif}td.n{text-align:"
                "right}tr.total td{font-weight:bold;border-top:1px solid}"
                "</style><h1>%s %s</h1><table><tr><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                lang, tr(lang, "Fiber leases", "Locations de fibres"), month,
                tr(lang, "Fiber leases: invoice", "Locations de fibres : facture"),
                month, tr(lang, "Lease", "Contrat"), tr(lang, "Route", "Trajet"),
                tr(lang, "Fibers", "Fibres"), tr(lang, "Days", "Jours"),
                tr(lang, "Monthly (FCFA)", "Mensuel (FCFA)"),
                tr(lang, "One-off (FCFA)", "Frais uniques (FCFA)"),
                tr(lang, "Total (FCFA)", "Total (FCFA)"));
  double sum = 0, grand = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(l[i].op, l[i - 1].op) != 0) {
      html_total(b, l[i - 1].op, sum, lang);
      sum = 0;
    }
    char rec[48], once[48], tot[48];
    money(rec, sizeof rec, l[i].recurring, lang);
    money(once, sizeof once, l[i].once, lang);
    money(tot, sizeof tot, l[i].recurring + l[i].once, lang);
    gn__sb_printf(b, "<tr><td>%lld (", (long long)l[i].id);
    html_text(b, l[i].op);
    gn__sb_puts(b, ")</td><td>");
    html_text(b, l[i].from);
    gn__sb_puts(b, " \xe2\x80\x93 ");
    html_text(b, l[i].to);
    gn__sb_printf(b, "</td><td class=n>%d</td><td class=n>%d/%d</td><td "
                  "class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>\n",
                  l[i].fibers, l[i].days, l[i].mdays, rec, once, tot);
    sum += l[i].recurring + l[i].once;
    grand += l[i].recurring + l[i].once;
  }
  if (n) html_total(b, l[n - 1].op, sum, lang);
  char g[48];
  money(g, sizeof g, grand, lang);
  gn__sb_printf(b, "<tr class=total><td colspan=6>%s</td><td class=n>%s</td>"
                "</tr></table></html>\n",
                tr(lang, "All operators", "Tous les op\xc3\xa9rateurs"), g);
}

static int valid_month(const char *m) {
  if (!m || strlen(m) != 7 || m[4] != '-') return 0;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (m[i] < '0' || m[i] > '9')) return 0;
  int mm = (m[5] - '0') * 10 + (m[6] - '0');
  return mm >= 1 && mm <= 12;
}

gn_status gn_lease_report(gn_store *st, const char *month, const char *format,
                          const char *lang, char **text) {
  *text = NULL;
  gn_ctx_clear(st->ctx);
  if (!valid_month(month))
    return gn__fail(st->ctx, GN_EINVAL, "month '%s': expected YYYY-MM",
                    month ? month : "");
  if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "html") != 0))
    return gn__fail(st->ctx, GN_EINVAL, "format '%s': expected csv or html",
                    format ? format : "");
  if (!lang) lang = "en";
  gn_status rs = gn__lease_tables(st);
  sqlite3_stmt *s = NULL;
  /* days of the month the lease was active: [max(start, first),
   * min(end, last)], both inclusive */
  if (rs == GN_OK)
    rs = gn__st_prep(
        st,
        "WITH m(first, last) AS (SELECT date(?1||'-01'), date(?1||'-01',"
        "'+1 month','-1 day')) SELECT operator, id, a_end, b_end, nfibers,"
        " CAST(julianday(min(coalesce(end_date, m.last), m.last)) -"
        " julianday(max(start_date, m.first)) + 1 AS INTEGER),"
        " CAST(julianday(m.last) - julianday(m.first) + 1 AS INTEGER),"
        " price_fcfa_month, price_fcfa_once, start_date >= m.first FROM"
        " lease_leases, m WHERE start_date IS NOT NULL AND start_date <="
        " m.last AND (end_date IS NULL OR end_date >= m.first) ORDER BY"
        " operator, id",
        &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, month, -1, SQLITE_TRANSIENT);
  line *lines = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (GN__GROW(st->ctx, lines, cap, n + 1) != GN_OK) {
      rc = SQLITE_NOMEM;
      break;
    }
    line *l = &lines[n++];
    memset(l, 0, sizeof(*l));
    snprintf(l->op, sizeof l->op, "%s", gn__col_text(s, 0));
    l->id = sqlite3_column_int64(s, 1);
    snprintf(l->from, sizeof l->from, "%s", gn__col_text(s, 2));
    snprintf(l->to, sizeof l->to, "%s", gn__col_text(s, 3));
    l->fibers = sqlite3_column_int(s, 4);
    l->days = sqlite3_column_int(s, 5);
    l->mdays = sqlite3_column_int(s, 6);
    l->monthly = sqlite3_column_double(s, 7);
    l->recurring = round(l->monthly * l->days / (l->mdays ? l->mdays : 30));
    l->once = sqlite3_column_int(s, 9) ? round(sqlite3_column_double(s, 8)) : 0;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) {
    gn_free(st->ctx, lines);
    return rc == SQLITE_NOMEM ? gn__fail(st->ctx, GN_ENOMEM, "out of memory")
                              : gn__st_err(st, rc, "lease report");
  }
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  if (strcmp(format, "csv") == 0) csv_out(&b, lines, n);
  else html_out(&b, lines, n, month, lang);
  gn_free(st->ctx, lines);
  return gn__sb_finish(&b, text);
}
