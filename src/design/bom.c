/*
 * bom.c - Bill of materials and cost in FCFA, per phase.
 *
 * Design: one pass over trenches, one over nodes, one over sites fills a
 * per-phase accumulator of quantities; lines are then priced from the
 * price book in a fixed order. Phases are the trench/site labels in
 * order of first appearance; a trench belongs to the phase that dug it,
 * so a later phase never pays again for an earlier trench (dig once).
 * A node's equipment (closure) belongs to the latest phase of the
 * trenches meeting there. Closures: branch points (3+ trenches), cable
 * size changes, sites tapped mid-cable, and one joint per cable drum
 * length; each closure splices the fibers in use of its largest cable.
 * Ownership: the gn_bom owns its lines, phases and strings.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "govnet/design.h"
#include "util/internal.h"

typedef struct acc {
  double trench_m[GN_ROAD_CLASS_COUNT];
  double cable_m[GN_CABLE_SIZE_COUNT];
  double duct_m, closures, splices, odf_ports, buildings, drop_m;
  double redundant_m, redundant_fcfa;
  double hubs, regenerators, optics[GN_OPTICS_COUNT];
} acc;

struct gn_bom {
  gn_ctx *ctx;
  gn_bom_line *lines;
  size_t nlines, cap_lines;
  gn_bom_phase *phases;
  size_t nphases, cap_phases;
  char **strs;
  size_t nstrs, cap_strs;
  acc *acc;
  double total;
};

static const char *own(gn_bom *b, const char *s) {
  if (GN__GROW(b->ctx, b->strs, b->cap_strs, b->nstrs + 1) != GN_OK)
    return NULL;
  char *c = gn__strdup(b->ctx, s);
  if (c) b->strs[b->nstrs++] = c;
  return c;
}

static const char *label(const char *phase) { return phase ? phase : ""; }

static size_t phase_index(const gn_bom *b, const char *phase) {
  for (size_t i = 0; i < b->nphases; i++)
    if (strcmp(b->phases[i].phase, label(phase)) == 0) return i;
  return (size_t)-1;
}

static gn_status add_phase(gn_bom *b, const char *phase) {
  if (phase_index(b, phase) != (size_t)-1) return GN_OK;
  if (GN__GROW(b->ctx, b->phases, b->cap_phases, b->nphases + 1) != GN_OK)
    return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  gn_bom_phase ph = {0};
  ph.phase = own(b, label(phase));
  if (!ph.phase) return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  b->phases[b->nphases++] = ph;
  return GN_OK;
}

static gn_status collect_phases(gn_bom *b, const gn_plan *p) {
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < gn_plan_trench_count(p); i++)
    s = add_phase(b, gn_plan_trench_get(p, i)->phase);
  for (size_t i = 0; s == GN_OK && i < gn_plan_site_count(p); i++)
    if (gn_plan_site_get(p, i)->node != GN_NONE)
      s = add_phase(b, gn_plan_site_get(p, i)->phase);
  if (s == GN_OK && b->nphases == 0) s = add_phase(b, NULL);
  if (s != GN_OK) return s;
  b->acc = gn_malloc(b->ctx, b->nphases * sizeof(acc));
  if (!b->acc) return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  memset(b->acc, 0, b->nphases * sizeof(acc));
  return GN_OK;
}

static int size_slot(int size) {
  for (int i = 0; i < GN_CABLE_SIZE_COUNT; i++)
    if (gn_cable_size_at(i) == size) return i;
  return -1;
}

static double trench_cost(const gn_pricebook *pb, const gn_plan_trench *t) {
  int n = gn_cable_count(t), k = size_slot(t->cable_size);
  double per_m = pb->trench_per_m[t->road_class] + pb->duct_per_m +
                 n * (pb->cable_per_m[k] + pb->cable_install_per_m);
  return per_m * t->length_m;
}

static gn_status add_trenches(gn_bom *b, gn_plan *p, const gn_pricebook *pb,
                              const unsigned char *is_pop) {
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    gn_plan_trench *t = gn_plan_trench_mut(p, i);
    int k = size_slot(t->cable_size);
    if (k < 0 || t->road_class >= GN_ROAD_CLASS_COUNT)
      return gn__fail(b->ctx, GN_EINVAL,
                      "trench %lld: not sized (cable size %d); run sizing "
                      "first", (long long)t->id, t->cable_size);
    acc *a = &b->acc[phase_index(b, t->phase)];
    int n = gn_cable_count(t);
    double joints = floor(t->length_m / fmax(pb->drum_m, 1.0));
    a->trench_m[t->road_class] += t->length_m;
    a->duct_m += t->length_m;
    a->cable_m[k] += t->length_m * n;
    a->closures += joints;
    a->splices += joints * t->fibers;
    a->odf_ports += (is_pop[t->a] + is_pop[t->b]) * (double)n * t->cable_size;
    t->cost_fcfa = trench_cost(pb, t);
    if (t->redundant) {
      a->redundant_m += t->length_m;
      a->redundant_fcfa += t->cost_fcfa;
    }
  }
  return GN_OK;
}

typedef struct nodeinfo {
  int deg, site, minsize, maxsize, maxfib;
  size_t phase;
} nodeinfo;

static void node_touch(nodeinfo *n, const gn_plan_trench *t, size_t ph) {
  n->deg++;
  if (!n->minsize || t->cable_size < n->minsize) n->minsize = t->cable_size;
  if (t->cable_size > n->maxsize) n->maxsize = t->cable_size;
  if (t->fibers > n->maxfib) n->maxfib = t->fibers;
  if (n->deg == 1 || ph > n->phase) n->phase = ph;
}

static gn_status add_closures(gn_bom *b, const gn_plan *p,
                              const unsigned char *is_pop) {
  size_t nn = gn_plan_node_count(p);
  nodeinfo *ni = gn_malloc(b->ctx, (nn + 1) * sizeof(nodeinfo));
  if (!ni) return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  memset(ni, 0, (nn + 1) * sizeof(nodeinfo));
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    const gn_plan_trench *t = gn_plan_trench_get(p, i);
    size_t ph = phase_index(b, t->phase);
    node_touch(&ni[t->a], t, ph);
    node_touch(&ni[t->b], t, ph);
  }
  for (size_t i = 0; i < gn_plan_site_count(p); i++)
    if (gn_plan_site_get(p, i)->node != GN_NONE)
      ni[gn_plan_site_get(p, i)->node].site = 1;
  for (size_t v = 0; v < nn; v++) {
    const nodeinfo *n = &ni[v];
    if (is_pop[v] || n->deg < 2) continue;
    if (n->deg == 2 && !n->site && n->minsize == n->maxsize) continue;
    b->acc[n->phase].closures += 1;
    b->acc[n->phase].splices += n->maxfib;
  }
  gn_free(b->ctx, ni);
  return GN_OK;
}

static void add_sites(gn_bom *b, const gn_plan *p) {
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->node == GN_NONE) continue;
    acc *a = &b->acc[phase_index(b, s->phase)];
    a->buildings += 1;
    a->drop_m += s->drop_m;
  }
}

static gn_status line(gn_bom *b, size_t ph, const char *item, const char *unit,
                      double qty, double unit_fcfa, double *subtotal) {
  if (qty <= 0) return GN_OK;
  if (GN__GROW(b->ctx, b->lines, b->cap_lines, b->nlines + 1) != GN_OK)
    return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  gn_bom_line l = {b->phases[ph].phase, own(b, item), unit, qty, unit_fcfa,
                   qty * unit_fcfa};
  if (!l.item) return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  b->lines[b->nlines++] = l;
  *subtotal += l.total_fcfa;
  return GN_OK;
}

static gn_status network_lines(gn_bom *b, size_t ph, const gn_pricebook *pb,
                               double *sub) {
  const acc *a = &b->acc[ph];
  char item[48];
  gn_status s = GN_OK;
  double cable_m = 0;
  for (int c = 0; s == GN_OK && c < GN_ROAD_CLASS_COUNT; c++) {
    snprintf(item, sizeof item, "trench.%s", gn_road_class_name((gn_road_class)c));
    s = line(b, ph, item, "m", a->trench_m[c], pb->trench_per_m[c], sub);
  }
  if (s == GN_OK) s = line(b, ph, "duct", "m", a->duct_m, pb->duct_per_m, sub);
  for (int c = 0; s == GN_OK && c < GN_CABLE_SIZE_COUNT; c++) {
    snprintf(item, sizeof item, "cable.%d", gn_cable_size_at(c));
    s = line(b, ph, item, "m", a->cable_m[c], pb->cable_per_m[c], sub);
    cable_m += a->cable_m[c];
  }
  if (s == GN_OK)
    s = line(b, ph, "cable.install", "m", cable_m, pb->cable_install_per_m, sub);
  if (s == GN_OK)
    s = line(b, ph, "closure", "each", a->closures, pb->closure_each, sub);
  if (s == GN_OK)
    s = line(b, ph, "splice", "fiber", a->splices, pb->splice_per_fiber, sub);
  b->phases[ph].cable_m = cable_m;
  return s;
}

static gn_status phase_lines(gn_bom *b, size_t ph, const gn_pricebook *pb) {
  const acc *a = &b->acc[ph];
  double sub = 0;
  gn_status s = network_lines(b, ph, pb, &sub);
  if (s == GN_OK)
    s = line(b, ph, "odf.port", "port", a->odf_ports, pb->odf_per_port, &sub);
  if (s == GN_OK) s = line(b, ph, "cpe", "each", a->buildings, pb->cpe_each, &sub);
  if (s == GN_OK)
    s = line(b, ph, "building", "each", a->buildings, pb->building_each, &sub);
  if (s == GN_OK) s = line(b, ph, "drop", "m", a->drop_m, pb->drop_per_m, &sub);
  if (s == GN_OK) s = line(b, ph, "hub", "each", a->hubs, pb->hub_each, &sub);
  if (s == GN_OK)
    s = line(b, ph, "regenerator", "each", a->regenerators, pb->hub_each, &sub);
  for (int c = 0; s == GN_OK && c < GN_OPTICS_COUNT; c++) {
    char item[32];
    snprintf(item, sizeof item, "optics.%s", gn_optics_name((gn_optics_class)c));
    s = line(b, ph, item, "each", a->optics[c], pb->optics[c].each_fcfa, &sub);
  }
  double base = sub, total = sub;
  if (s == GN_OK)
    s = line(b, ph, "engineering", "share", pb->engineering_share, base, &total);
  if (s == GN_OK)
    s = line(b, ph, "contingency", "share", pb->contingency_share, base, &total);
  gn_bom_phase *p = &b->phases[ph];
  double over = 1.0 + pb->engineering_share + pb->contingency_share;
  p->buildings = (size_t)a->buildings;
  p->redundant_m = a->redundant_m;
  p->resilience_fcfa = a->redundant_fcfa * over;
  p->closures = (size_t)a->closures;
  p->odf_ports = (size_t)a->odf_ports;
  p->cpe = (size_t)a->buildings;
  p->total_fcfa = total;
  p->per_building_fcfa = a->buildings > 0 ? total / a->buildings : 0;
  for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++) p->trench_m += a->trench_m[c];
  b->total += total;
  return s;
}

static unsigned char *pop_nodes(gn_ctx *ctx, const gn_plan *p) {
  size_t nn = gn_plan_node_count(p);
  unsigned char *m = gn_malloc(ctx, nn + 1);
  if (!m) return NULL;
  memset(m, 0, nn + 1);
  for (size_t i = 0; i < gn_plan_pop_count(p); i++)
    if (gn_plan_pop_get(p, i)->node != GN_NONE) m[gn_plan_pop_get(p, i)->node] = 1;
  return m;
}

/* Hubs and optics by the phase of their building; a single phase takes
 * the layout's network quantities (see gn_bom_build_layout). */
static void add_layout(gn_bom *b, const gn_plan *p, const gn_layout *l) {
  const gn_layout_stats *x = gn_layout_get_stats(l);
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(p, i);
    if (!gn_pop_is_hub(pp)) continue;
    const char *phase = NULL;
    for (size_t k = 0; k < gn_plan_site_count(p); k++)
      if (gn_plan_site_get(p, k)->node == pp->node)
        phase = gn_plan_site_get(p, k)->phase;
    size_t ph = phase_index(b, phase);
    b->acc[ph == (size_t)-1 ? 0 : ph].hubs += 1;
  }
  size_t n = gn_layout_circuit_count(l), core[GN_OPTICS_COUNT];
  memcpy(core, x->optics, sizeof core);
  for (size_t i = 0; i < n; i++) {
    gn_layout_circuit c;
    gn_layout_circuit_get(l, i, &c);
    if (c.in_building) continue;
    size_t ph = (size_t)-1;
    for (size_t k = 0; ph == (size_t)-1 && k < gn_plan_site_count(p); k++)
      if (strcmp(gn_plan_site_get(p, k)->id, c.site_id) == 0)
        ph = phase_index(b, gn_plan_site_get(p, k)->phase);
    b->acc[ph == (size_t)-1 ? 0 : ph].optics[c.cls] += 2;
    core[c.cls] -= 2;
  }
  /* the core links' modules and regenerators: the last phase */
  acc *last = &b->acc[b->nphases - 1];
  for (int c = 0; c < GN_OPTICS_COUNT; c++) last->optics[c] += (double)core[c];
  last->regenerators += (double)x->regenerators;
  if (b->nphases != 1) return;
  acc *a = &b->acc[0];
  size_t ns;
  const gn_layout_sizes *sz = gn_layout_cable_sizes(l, &ns);
  memset(a->cable_m, 0, sizeof a->cable_m);
  for (size_t i = 0; i < ns; i++) { /* above 288: priced as 288s */
    int k = size_slot(sz[i].size);
    double m = sz[i].cable_m;
    if (k < 0) {
      k = GN_CABLE_SIZE_COUNT - 1;
      m *= ceil(sz[i].size / 288.0);
    }
    a->cable_m[k] += m;
  }
  a->closures = (double)x->closures;
  a->splices = (double)x->splices;
  a->odf_ports = (double)x->odf_ports;
}

gn_status gn_bom_build(gn_plan *p, const gn_pricebook *pb, gn_bom **out) {
  return gn_bom_build_layout(p, pb, NULL, out);
}

gn_status gn_bom_build_layout(gn_plan *p, const gn_pricebook *pb,
                              const gn_layout *l, gn_bom **out) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  *out = NULL;
  gn_bom *b = gn_malloc(ctx, sizeof(gn_bom));
  unsigned char *is_pop = pop_nodes(ctx, p);
  if (!b || !is_pop) {
    gn_free(ctx, b);
    gn_free(ctx, is_pop);
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  }
  memset(b, 0, sizeof(*b));
  b->ctx = ctx;
  gn_status s = collect_phases(b, p);
  if (s == GN_OK) s = add_trenches(b, p, pb, is_pop);
  if (s == GN_OK) s = add_closures(b, p, is_pop);
  if (s == GN_OK) add_sites(b, p);
  if (s == GN_OK && l) add_layout(b, p, l);
  for (size_t ph = 0; s == GN_OK && ph < b->nphases; ph++)
    s = phase_lines(b, ph, pb);
  gn_free(ctx, is_pop);
  if (s != GN_OK) {
    gn_bom_free(b);
    return s;
  }
  *out = b;
  return GN_OK;
}

void gn_bom_free(gn_bom *b) {
  if (!b) return;
  for (size_t i = 0; i < b->nstrs; i++) gn_free(b->ctx, b->strs[i]);
  gn_free(b->ctx, b->strs);
  gn_free(b->ctx, b->lines);
  gn_free(b->ctx, b->phases);
  gn_free(b->ctx, b->acc);
  gn_free(b->ctx, b);
}

const gn_bom_line *gn_bom_lines(const gn_bom *b, size_t *n) {
  *n = b->nlines;
  return b->lines;
}

const gn_bom_phase *gn_bom_phases(const gn_bom *b, size_t *n) {
  *n = b->nphases;
  return b->phases;
}

double gn_bom_total_fcfa(const gn_bom *b) { return b->total; }
