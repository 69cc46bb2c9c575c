/*
 * report_internal.h - Shared parts of the report module (not API): the
 * string catalogue, number formatting and the map renderer.
 */
#ifndef GOVNET_REPORT_INTERNAL_H
#define GOVNET_REPORT_INTERNAL_H

#include <stdio.h>

#include <cairo.h>
#include <stddef.h>

#include "govnet/report.h"

#define GN__STRINGS(X)                                                        \
  X(TITLE, "Réseau fibre optique de l'administration : rapport de plan",     \
    "Government fiber network: plan report")                                  \
  X(SUMMARY, "Synthèse", "Summary")                                           \
  X(MAP, "Carte du réseau", "Network map")                                    \
  X(PHASES, "Coût par phase", "Cost per phase")                               \
  X(BOM, "Devis quantitatif et estimatif (FCFA)", "Bill of materials (FCFA)") \
  X(CUTS, "Analyse de coupure unique", "Single-cut analysis")                 \
  X(CUT_NOTE,                                                                 \
    "Pour chaque tronçon de tranchée : les bâtiments privés de service s'il " \
    "est coupé. Les adductions (branchements d'immeuble) sont des liens "     \
    "uniques par nature et ne sont pas analysées.",                           \
    "For each trench segment: the buildings that lose service if it is "      \
    "cut. Building drops are single links by nature and are not analysed.")  \
  X(NO_CUT, "Aucune coupure unique n'isole de bâtiment.",                     \
    "No single cut isolates any building.")                                   \
  X(MODE, "Mode de planification", "Planning mode")                           \
  X(MODE_POINTS, "sans voirie (lignes droites x facteur de détour)",          \
    "no street data (straight lines x detour factor)")                        \
  X(MODE_STREETS, "sur la voirie", "along streets")                           \
  X(DETOUR, "Facteur de détour", "Detour factor")                             \
  X(RESILIENCE, "Résilience", "Resilience")                                   \
  X(RESIL_NONE, "aucune", "none")                                             \
  X(RESIL_CRITICAL, "boucles pour les sites critiques",                       \
    "rings for critical sites")                                               \
  X(RESIL_ALL, "boucles pour tous les sites", "rings for all sites")          \
  X(BN_FCFA, "Md FCFA", "bn FCFA")                                            \
  X(M_FCFA, "M FCFA", "M FCFA")                                               \
  X(BUILDINGS, "Bâtiments raccordés", "Buildings connected")                  \
  X(SITES_TOTAL, "Bâtiments demandés", "Buildings requested")                 \
  X(TRENCH_KM, "Tranchée (km)", "Trench (km)")                                \
  X(RING_KM, "dont bouclages de résilience (km)",                             \
    "of which resilience rings (km)")                                         \
  X(CABLE_KM, "Câble (km)", "Cable (km)")                                     \
  X(OPTIMALITY, "Optimalité du tracé (prouvée)",                              \
    "Trench layout optimality (proven)")                                      \
  X(WITHIN, "à moins de %s %% du réseau de tranchées le moins cher possible", \
    "within %s %% of the cheapest possible trench network")                   \
  X(COST, "Coût total (FCFA)", "Total cost (FCFA)")                           \
  X(COST_BUILDING, "Coût par bâtiment (FCFA)", "Cost per building (FCFA)")   \
  X(COST_RES, "Surcoût de la résilience (FCFA)",                              \
    "Extra cost of resilience (FCFA)")                                        \
  X(CRITICAL, "Sites critiques (santé, administration)",                      \
    "Critical sites (health, administration)")                                \
  X(CRIT_SURV, "Sites critiques survivant à toute coupure unique",            \
    "Critical sites surviving any single cut")                                \
  X(ALL_SURV, "Bâtiments survivant à toute coupure unique",                   \
    "Buildings surviving any single cut")                                     \
  X(WORST, "Tronçon le plus critique", "Worst segment")                       \
  X(REFERENCE, "Comparaison avec la phase 1 réelle (Lomé)",                   \
    "Comparison with the real phase 1 (Lomé)")                                \
  X(REAL, "Réseau réel (presse, 2017)", "Real network (press, 2017)")         \
  X(GOVNET, "Plan govnet (phase 1)", "govnet plan (phase 1)")                 \
  X(REF_NOTE,                                                                 \
    "Le coût govnet couvre génie civil, fourreaux, câbles, boîtiers, ODF, "   \
    "CPE et travaux dans les bâtiments, plus ingénierie et imprévus ; il "    \
    "exclut le centre de données, les équipements actifs du cœur et "         \
    "l'exploitation.",                                                        \
    "The govnet cost covers civil works, ducts, cables, closures, ODF, CPE "  \
    "and in-building works, plus engineering and contingency; it excludes "   \
    "the data centre, active core equipment and operation.")                  \
  X(PHASE, "Phase", "Phase")                                                  \
  X(ITEM, "Article", "Item")                                                  \
  X(UNIT, "Unité", "Unit")                                                    \
  X(QTY, "Quantité", "Quantity")                                              \
  X(UNIT_PRICE, "Prix unitaire", "Unit price")                                \
  X(TOTAL, "Total", "Total")                                                  \
  X(TRENCH, "Tronçon", "Segment")                                             \
  X(LENGTH_M, "Longueur (m)", "Length (m)")                                   \
  X(CABLE, "Câble (fo)", "Cable (fibers)")                                    \
  X(LOST, "Bâtiments coupés", "Buildings cut off")                            \
  X(CRIT_LOST, "dont critiques", "of which critical")                         \
  X(ADMIN, "Administration", "Administration")                                \
  X(HEALTH, "Santé", "Health")                                                \
  X(EDUCATION, "Éducation", "Education")                                      \
  X(OTHER, "Autre", "Other")                                                  \
  X(POP, "POP (cœur de réseau)", "POP (network core)")                        \
  X(RING, "Bouclage de résilience", "Resilience ring")                        \
  X(HUB, "Nœud d'agrégation (hub)", "Aggregation hub")                       \
  X(OPTICS, "Optique : bilan de liaison des circuits",                        \
    "Optics: loss budget of the circuits")                                    \
  X(OPTICS_NOTE,                                                              \
    "Affaiblissement à 1310 nm des circuits principaux (nombre de circuits "  \
    "par tranche de 0,5 dB) ; budget de la classe d'accès, marge incluse.",   \
    "Loss at 1310 nm of the working circuits (circuits per 0.5 dB bin); "     \
    "the access class's budget, margin included.")                            \
  X(OVER_BUDGET, "Circuits hors budget", "Circuits over budget")              \
  X(FIBERS, "fo", "fibers")                                                   \
  X(CRIT_MARK, "cerclé : site critique", "outlined: critical site")           \
  X(SINGLE, "unique", "single")                                               \
  X(SHOWN, "Les %d tronçons les plus critiques sur %d",                       \
    "The %d most critical segments of %d")                                    \
  X(H_BUILDINGS, "Bâtiments", "Buildings")                                   \
  X(H_TRENCH, "Tranchée km", "Trench km")                                     \
  X(H_RING, "Bouclage km", "Rings km")                                        \
  X(H_CABLE, "Câble km", "Cable km")                                          \
  X(H_COST, "Coût FCFA", "Cost FCFA")                                         \
  X(H_PER, "FCFA/bâtiment", "FCFA/building")                                  \
  X(H_RES, "Résilience FCFA", "Resilience FCFA")                              \
  X(GENERATED, "Généré par govnet", "Generated by govnet")                   \
  X(ST_TITLE, "Réseau fibre optique de l'administration : rapport de "       \
    "stabilité", "Government fiber network: stability report")                \
  X(ST_PERIOD, "Période", "Period")                                           \
  X(ST_DAYS, "jours", "days")                                                 \
  X(ST_SITES, "Sites supervisés", "Monitored sites")                          \
  X(ST_AVAIL, "Disponibilité globale", "Overall availability")                \
  X(ST_AVAIL_CRIT, "Disponibilité des sites critiques (objectif %s)",         \
    "Availability of critical sites (target %s)")                             \
  X(ST_AVAIL_OTHER, "Disponibilité des autres sites (objectif %s)",           \
    "Availability of other sites (target %s)")                                \
  X(ST_BUDGET_CRIT, "Budget d'indisponibilité par site critique",             \
    "Downtime budget per critical site")                                      \
  X(ST_BUDGET_OTHER, "Budget d'indisponibilité par autre site",               \
    "Downtime budget per other site")                                         \
  X(ST_MET, "Sites dans leur budget", "Sites within their budget")            \
  X(ST_DOWN_TOTAL, "Indisponibilité cumulée des sites",                       \
    "Total site downtime")                                                    \
  X(ST_INCIDENTS, "Incidents", "Incidents")                                   \
  X(ST_OPEN, "dont en cours", "of which still open")                          \
  X(ST_SUPERSEDED, "Alarmes partielles fusionnées dans un incident plus "     \
    "large", "Partial alarms merged into a larger incident")                  \
  X(ST_MTTR, "Temps moyen de rétablissement (MTTR)",                          \
    "Mean time to restore (MTTR)")                                            \
  X(ST_DAILY, "Disponibilité journalière", "Daily availability")              \
  X(ST_DAILY_NOTE, "Part du temps où les sites supervisés étaient en "        \
    "service, jour par jour (UTC) ; tirets : objectifs.",                     \
    "Share of time the monitored sites were up, day by day (UTC); dashes: "   \
    "targets.")                                                               \
  X(ST_BY_CAUSE, "Incidents par cause", "Incidents by cause")                 \
  X(ST_MTTR_CAUSE, "MTTR par cause (heures)", "MTTR by cause (hours)")        \
  X(ST_WORST, "Sites les plus touchés", "Worst sites")                        \
  X(ST_BY_CAT, "Par catégorie", "By category")                                \
  X(ST_LIST, "Liste des incidents", "Incident list")                          \
  X(ST_NONE, "Aucun incident sur la période.",                                \
    "No incident in the period.")                                             \
  X(ST_CAUSE, "Cause", "Cause")                                               \
  X(ST_RESOLVED, "Rétablis", "Resolved")                                      \
  X(ST_SITE, "Site", "Site")                                                  \
  X(ST_NAME, "Nom", "Name")                                                   \
  X(ST_CATEGORY, "Catégorie", "Category")                                     \
  X(ST_DOWNTIME, "Indisponibilité", "Downtime")                               \
  X(ST_AVAILABILITY, "Disponibilité", "Availability")                         \
  X(ST_TARGET, "Objectif", "Target")                                          \
  X(ST_WITHIN, "Budget", "Budget")                                            \
  X(ST_MET_YES, "tenu", "met")                                                \
  X(ST_MET_NO, "dépassé", "exceeded")                                         \
  X(ST_ELEMENT, "Élément", "Element")                                         \
  X(ST_NSITES, "Sites", "Sites")                                              \
  X(ST_OPENED, "Début", "Start")                                              \
  X(ST_CLOSED, "Fin", "End")                                                  \
  X(ST_TTR, "Durée", "Duration")                                              \
  X(ST_STATE, "État", "State")                                                \
  X(ST_ONGOING, "en cours", "ongoing")                                        \
  X(ST_C_TRENCH, "Coupure de tranchée", "Trench cut")                         \
  X(ST_C_CABLE, "Câble endommagé", "Cable damage")                            \
  X(ST_C_CLOSURE, "Boîtier d'épissure", "Splice closure")                     \
  X(ST_C_DEVICE, "Équipement ou alimentation", "Device or power")             \
  X(ST_E_TRENCH, "tranchée", "trench")                                        \
  X(ST_E_CABLE, "câble", "cable")                                             \
  X(ST_E_CLOSURE, "boîtier", "closure")                                       \
  X(ST_E_DEVICE, "équipement du site", "device at site")                      \
  X(ST_S_OPEN, "ouvert", "open")                                              \
  X(ST_S_ACK, "pris en charge", "acknowledged")                               \
  X(ST_S_RESOLVED, "résolu", "resolved")                                      \
  X(ST_SOURCE, "Source : intervalles des incidents (de la première alarme "   \
    "au rétablissement).", "Source: incident intervals (first alarm to "      \
    "recovery).")                                                             \
  X(ST_SOURCE_PROM, "Source : échantillons probe_success de Prometheus, un "  \
    "par intervalle de collecte ; le temps sans échantillon (sans données) "  \
    "est exclu de la disponibilité.", "Source: Prometheus probe_success "     \
    "samples, one per scrape interval; time without a sample (no data) is "   \
    "left out of availability.")                                              \
  X(ST_NODATA, "Sans données (cumul des sites)", "No data (all sites)")      \
  X(ST_LEASES, "Fibres louées : SLA contractuel", "Leased fibers: "           \
    "contractual SLA")                                                        \
  X(ST_LEASE_NOTE, "Une location est interrompue quand un incident de "       \
    "coupure touche un de ses câbles ou tranchées (ses deux routes à la fois " \
    "si elle est diversifiée). Pénalité par mois : chaque 0,1 % entamé sous " \
    "le SLA coûte une part du loyer du mois.", "A lease is down while a cut " \
    "incident hits one of its cables or trenches (both its routes at once "  \
    "when diverse). Penalty per month: every started 0.1 % below the SLA "   \
    "costs a share of the month's fee.")                                      \
  X(ST_LEASE, "Location", "Lease")                                            \
  X(ST_OPERATOR, "Opérateur", "Operator")                                     \
  X(ST_PENALTY, "Pénalité FCFA", "Penalty FCFA")                              \
  X(ST_PENALTIES, "Pénalités dues aux opérateurs (FCFA)",                     \
    "Penalties due to operators (FCFA)")                                      \
  X(HS_TITLE, "Hotspots WiFi des étudiants : rapport d'usage mensuel",        \
    "Student WiFi hotspots: monthly usage report")                            \
  X(HS_MONTH, "Mois", "Month")                                                \
  X(HS_USERS, "Utilisateurs distincts", "Distinct users")                     \
  X(HS_SESSIONS, "Sessions", "Sessions")                                      \
  X(HS_DATA, "Données échangées", "Data transferred")                         \
  X(HS_DATA_IN, "dont entrantes (envoyées par les appareils)",                \
    "of which in (sent by the devices)")                                      \
  X(HS_DATA_OUT, "dont sortantes (reçues par les appareils)",                 \
    "of which out (received by the devices)")                                 \
  X(HS_HOURS, "Heures de connexion", "Connected hours")                       \
  X(HS_ACTIVE, "Points d'accès actifs", "Active access points")               \
  X(HS_NONE, "Aucun trafic enregistré ce mois-ci.",                           \
    "No traffic recorded this month.")                                        \
  X(HS_DAILY_DATA, "Données par jour (Go)", "Data per day (GB)")              \
  X(HS_DAILY_USERS, "Utilisateurs distincts par jour",                        \
    "Distinct users per day")                                                 \
  X(HS_BY_AP, "Par point d'accès", "By access point")                         \
  X(HS_TOP, "Points d'accès les plus chargés (Go)",                           \
    "Busiest access points (GB)")                                             \
  X(HS_AP, "Point d'accès (NAS)", "Access point (NAS)")                       \
  X(HS_H_USERS, "Utilisateurs", "Users")                                      \
  X(HS_H_IN, "Go entrants", "GB in")                                          \
  X(HS_H_OUT, "Go sortants", "GB out")                                        \
  X(HS_H_TOTAL, "Go total", "GB total")                                       \
  X(HS_H_HOURS, "Heures", "Hours")                                            \
  X(HS_GB, "Go", "GB")                                                        \
  X(HS_DAYS, "jours", "days")                                                 \
  X(HS_NOTE, "Comptabilité RADIUS des points d'accès, comptée le jour UTC "   \
    "de sa réception ; un jour sans trafic compte zéro. 1 Go = 10^9 octets ; " \
    "entrant : envoyé par l'appareil de l'utilisateur (Acct-Input-Octets), "  \
    "sortant : reçu par lui. Une session qui dure deux jours ou change de "   \
    "point d'accès compte dans chacun.", "RADIUS accounting of the access "   \
    "points, counted on the UTC day it arrived; a day without traffic "       \
    "counts zero. 1 GB = 10^9 bytes; in: sent by the user's device "          \
    "(Acct-Input-Octets), out: received by it. A session that spans two "    \
    "days or access points counts in each.")                                  \
  X(HS_PRIVACY, "Protection des données : ce rapport ne contient que des "    \
    "totaux par jour et par point d'accès, aucun tableau par étudiant ni par " \
    "ticket (données personnelles). Le détail par utilisateur reste dans la " \
    "base, accessible aux seuls administrateurs (govnet hotspot usage).",     \
    "Data protection: this report holds totals per day and per access point " \
    "only, no table per student or voucher (personal data). The per-user "    \
    "detail stays in the store, for administrators only (govnet hotspot "     \
    "usage).")

typedef enum {
#define GN__STR_ENUM(k, fr, en) GN__S_##k,
  GN__STRINGS(GN__STR_ENUM)
#undef GN__STR_ENUM
      GN__S_COUNT
} gn__str;

/* lang: 0 French, 1 English. */
const char *gn__tr(int lang, gn__str k);
/* Label of a BOM item key ("cable.48" -> "Câble 48 fo"), into buf. */
const char *gn__tr_item(int lang, const char *item, char *buf, size_t n);
/* Unit label ("m", "each" -> "u"/"each"...). */
const char *gn__tr_unit(int lang, const char *unit);
/* Number with thousands separators (French: narrow space and comma). */
const char *gn__fmt_num(int lang, double v, int decimals, char *buf, size_t n);
/* An amount in the language's style: "11,5 Md FCFA" / "11.5 bn FCFA" from
 * a billion up, "825 M FCFA" from a million (the web map's formatMoney). */
const char *gn__fmt_money(int lang, double fcfa, char *buf, size_t n);

/* Draw the plan map into the rectangle (x, y, w, h) of cr. */
void gn__map_draw(cairo_t *cr, const gn_plan *p, int lang, double x, double y,
                  double w, double h);

/* Height / width of the plan's extent (clamped to 0.4-2). */
double gn__map_aspect(const gn_plan *p);

/* ---- doc.c: tables, HTML and PDF building blocks shared by reports -- */

#define GN__CELL 160   /* bytes per table cell, text included */
#define GN__MAX_COLS 8
#define GN__PAGE_W 595.0 /* A4 in points */
#define GN__PAGE_H 842.0
#define GN__MARGIN 40.0
#define GN__ROW_H 14.0

/* A table of preformatted text cells, written as HTML or drawn on PDF
 * pages, so both outputs always agree. */
typedef struct gn__table {
  gn_ctx *ctx;
  int ncols;
  const char *head[GN__MAX_COLS]; /* borrowed (catalogue strings) */
  int right[GN__MAX_COLS];        /* right-aligned column */
  double w[GN__MAX_COLS];         /* PDF column widths (points) */
  char *cells;
  size_t nrows, cap;
} gn__table;

void gn__table_init(gn__table *t, gn_ctx *ctx, int ncols);
/* A table of label / value rows (value right-aligned, no head shown). */
void gn__table_init_pairs(gn__table *t, gn_ctx *ctx);
/* Append a row of ncols const char * (NULL = empty; cut at GN__CELL). */
gn_status gn__table_row(gn__table *t, ...);
const char *gn__table_cell(const gn__table *t, size_t r, int c);
void gn__table_free(gn__table *t);
void gn__table_head(gn__table *t, const char *const *head, const int *right,
                    const double *w);

/* The reports' stylesheet (readable on a phone). */
extern const char gn__report_css[];
/* Write s to f with HTML special characters escaped. */
void gn__html_text(FILE *f, const char *s);
void gn__html_table(FILE *f, const gn__table *t, int with_head);
void gn__html_base64(FILE *f, const unsigned char *b, size_t n);
/* The page up to its <h1>title</h1> (lang 0 French, 1 English; the
 * stylesheet inline, the viewport of a phone). */
void gn__html_head(FILE *f, int lang, const char *title);
/* "<h2>text</h2>", escaped. */
void gn__html_h2(FILE *f, const char *text);
/* The key-figure strip: for each of the n labels, the row of the two-
 * column table t whose first cell is that label, value first. */
void gn__html_kpis(FILE *f, const gn__table *t, const char *const *labels,
                   size_t n);

/* Write an HTML file whole or not at all: body(f, arg) writes it under a
 * temporary name, renamed over path when body and the writes succeed. */
typedef gn_status (*gn__html_body_fn)(FILE *f, const void *arg);
gn_status gn__html_file(gn_ctx *ctx, const char *path, gn__html_body_fn body,
                        const void *arg);

/* A growable byte buffer for cairo's stream writers (PNG, SVG). */
typedef struct gn__membuf {
  gn_ctx *ctx;
  unsigned char *b;
  size_t n, cap;
} gn__membuf;
cairo_status_t gn__membuf_write(void *closure, const unsigned char *data,
                                unsigned int len);

/* PDF page flow: y is the top of the free space on the current page. */
typedef struct gn__pdf {
  cairo_t *cr;
  double y;
} gn__pdf;
void gn__pdf_font(cairo_t *cr, double size, int bold);
void gn__pdf_new_page(gn__pdf *p);
/* A new page unless h points fit below y. */
void gn__pdf_room(gn__pdf *p, double h);
/* The document title with its rule, at the top of the first page. */
void gn__pdf_title(gn__pdf *p, const char *text);
void gn__pdf_heading(gn__pdf *p, const char *text);
/* A paragraph wrapped to the page width. */
void gn__pdf_para(gn__pdf *p, const char *text, double size);
/* Rows, breaking pages (the head repeated on each). */
void gn__pdf_table(gn__pdf *p, const gn__table *t, int with_head);
/* End the last page of a PDF, destroy cr, finish and destroy sf; the
 * first cairo error met (CAIRO_STATUS_SUCCESS if none). */
cairo_status_t gn__pdf_close(cairo_t *cr, cairo_surface_t *sf);
/* Write an A4 PDF whole or not at all, as gn__html_file: body(p, arg)
 * draws it from the top of the first page; title goes in the metadata. */
typedef void (*gn__pdf_body_fn)(gn__pdf *p, const void *arg);
gn_status gn__pdf_file(gn_ctx *ctx, const char *path, const char *title,
                       gn__pdf_body_fn body, const void *arg);

/* Copy s into b (n bytes) without cutting a UTF-8 sequence; returns b. */
const char *gn__utf8_cut(const char *s, char *b, size_t n);

/* ---- charts: one cairo drawing serves the PDF page and the HTML ------ */

#define GN__CHART_W 515.0      /* points: the PDF text width */
#define GN__HTML_CHART_W 420.0 /* narrower: the text stays legible on a phone */
#define GN__MAX_BARS 24

/* Draw a chart of w x h at the origin of cr; arg is the chart's data. */
typedef void (*gn__chart_fn)(cairo_t *cr, const void *arg, double w,
                             double h);

/* Text at (x, y) in the report font; right: x is its right end. */
void gn__chart_label(cairo_t *cr, double x, double y, const char *s,
                     double size, int right);

/* Horizontal bars with their value text, labels on the left third. */
typedef struct gn__bars {
  size_t n;
  char label[GN__MAX_BARS][64];
  double v[GN__MAX_BARS];
  char text[GN__MAX_BARS][48];
} gn__bars;
void gn__chart_bars(cairo_t *cr, const void *bars, double w, double h);
double gn__bars_height(const gn__bars *b);

/* Write the chart as an <img> holding cairo's SVG as a data: URI: self-
 * contained, scales to a phone's width, and separate images keep cairo's
 * glyph ids from clashing. Errors: GN_ENOMEM. */
gn_status gn__html_chart(FILE *f, gn_ctx *ctx, gn__chart_fn fn,
                         const void *arg, double h, const char *alt);
/* Draw the chart as vectors at the page flow's y (new page if needed). */
void gn__pdf_chart(gn__pdf *p, gn__chart_fn fn, const void *arg, double h);

#endif
