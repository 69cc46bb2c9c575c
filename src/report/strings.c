/*
 * strings.c - The report's one string catalogue (French and English)
 * and number formatting. Every text of the report comes from here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "govnet/graph.h"
#include "report/report_internal.h"

static const char *const catalogue[GN__S_COUNT][2] = {
#define GN__STR_ROW(k, fr, en) {fr, en},
    GN__STRINGS(GN__STR_ROW)
#undef GN__STR_ROW
};

const char *gn__tr(int lang, gn__str k) {
  return catalogue[k][lang ? 1 : 0];
}

typedef struct item_name {
  const char *key, *fr, *en;
} item_name;

static const item_name items[] = {
    {"duct", "Fourreaux PEHD posés", "HDPE ducts laid"},
    {"cable.install", "Pose de câble (tirage, soufflage)",
     "Cable installation (pulling, blowing)"},
    {"closure", "Boîtier d'épissure (avec chambre)",
     "Splice closure (with chamber)"},
    {"splice", "Épissure par fusion", "Fusion splice"},
    {"odf.port", "Port de répartiteur optique (ODF)", "ODF port"},
    {"cpe", "Équipement terminal (CPE)", "Customer equipment (CPE)"},
    {"building", "Travaux dans le bâtiment", "In-building works"},
    {"drop", "Adduction d'immeuble", "Building drop"},
    {"engineering", "Études et supervision", "Engineering and supervision"},
    {"contingency", "Imprévus", "Contingency"},
};

const char *gn__tr_item(int lang, const char *item, char *buf, size_t n) {
  for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
    if (strcmp(items[i].key, item) == 0) {
      snprintf(buf, n, "%s", lang ? items[i].en : items[i].fr);
      return buf;
    }
  if (strncmp(item, "trench.", 7) == 0) {
    const char *c = item + 7;
    if (strcmp(c, "straight_line") == 0)
      c = lang ? "urban, surface unknown" : "urbaine, revêtement inconnu";
    else if (strcmp(c, "trunk") == 0)
      c = lang ? "national road" : "route nationale";
    snprintf(buf, n, lang ? "Trench (%s)" : "Tranchée (%s)", c);
    return buf;
  }
  if (strncmp(item, "cable.", 6) == 0) {
    snprintf(buf, n, lang ? "%s-fiber cable" : "Câble %s fo", item + 6);
    return buf;
  }
  snprintf(buf, n, "%s", item);
  return buf;
}

const char *gn__tr_unit(int lang, const char *unit) {
  if (strcmp(unit, "each") == 0) return lang ? "each" : "u";
  if (strcmp(unit, "share") == 0) return lang ? "share" : "part";
  if (strcmp(unit, "fiber") == 0) return lang ? "fiber" : "fibre";
  return unit;
}

const char *gn__fmt_money(int lang, double fcfa, char *buf, size_t n) {
  char x[64];
  if (fabs(fcfa) >= 1e9)
    snprintf(buf, n, "%s %s", gn__fmt_num(lang, fcfa / 1e9, 1, x, sizeof x),
             gn__tr(lang, GN__S_BN_FCFA));
  else
    snprintf(buf, n, "%s %s", gn__fmt_num(lang, fcfa / 1e6, fabs(fcfa) < 1e7 ? 1 : 0, x, sizeof x),
             gn__tr(lang, GN__S_M_FCFA));
  return buf;
}

const char *gn__fmt_num(int lang, double v, int decimals, char *buf,
                        size_t n) {
  char raw[64];
  if (!isfinite(v)) v = 0;
  snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
  const char *dot = strchr(raw, '.');
  size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
  const char *sep = lang ? "," : "\xe2\x80\xaf"; /* narrow no-break space */
  if (v < 0 && o + 1 < n) buf[o++] = '-';
  for (size_t i = 0; i < ilen && o + 4 < n; i++) {
    if (i > 0 && (ilen - i) % 3 == 0)
      for (const char *s = sep; *s && o + 1 < n; s++) buf[o++] = *s;
    buf[o++] = raw[i];
  }
  if (dot && o + 1 < n) buf[o++] = lang ? '.' : ',';
  for (const char *d = dot ? dot + 1 : ""; *d && o + 1 < n; d++) buf[o++] = *d;
  buf[o] = '\0';
  return buf;
}
