// search.js - Site search: accents and case ignored, synonyms and
// abbreviations from synonyms.txt (editable, one group per line), and a
// site matches on its name, its category (in both languages), its id, its
// quarter (the nearest named place) and its prefecture (the boundary that
// holds it). Unnamed sites are named from category and quarter
// ("Lycée — Bè").
export const norm = (s) => String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  .toLowerCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim();

// Synonym groups: term -> list of normalised alternatives (itself included).
export function parseSynonyms(text) {
  const groups = new Map();
  for (const line of String(text).split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const terms = line.split(',').map(norm).filter(Boolean);
    for (const term of terms) groups.set(term, [...new Set([...(groups.get(term) || [term]), ...terms])]);
  }
  return groups;
}

// The alternatives of a query: the query itself, and the query with any
// synonym substituted (whole words only).
export function expand(q, groups) {
  const out = new Set([q]);
  for (const [term, alts] of groups) {
    const re = new RegExp(`(^|\\s)${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`);
    if (!re.test(q)) continue;
    for (const a of alts) out.add(q.replace(re, `$1${a}$2`).trim());
  }
  return [...out];
}

// Ray casting over a (Multi)Polygon's rings, lon/lat.
function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function inPolygon(geom, x, y) {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
  return polys.some((rings) => inRing(rings[0], x, y) && !rings.slice(1).some((h) => inRing(h, x, y)));
}

export const boundaryName = (p) => p && (p.shapeName || p.name || p.NAME || p.nom);

// Give each site its quarter (nearest place within 3 km) and prefecture.
export function locateSites(sites, places, boundaries) {
  const pts = places.filter((f) => f.geometry && f.geometry.type === 'Point')
    .map((f) => ({ name: f.properties.name, x: f.geometry.coordinates[0], y: f.geometry.coordinates[1] }));
  const polys = boundaries.filter((f) => f.geometry && boundaryName(f.properties));
  for (const f of sites) {
    const [x, y] = f.geometry.coordinates;
    let best = null, bd = (3 / 111) ** 2;
    const kx = Math.cos((y * Math.PI) / 180);
    for (const p of pts) {
      const d = ((p.x - x) * kx) ** 2 + (p.y - y) ** 2;
      if (d < bd) { bd = d; best = p.name; }
    }
    f.quarter = best;
    const b = polys.find((g) => inPolygon(g.geometry, x, y));
    f.prefecture = b ? boundaryName(b.properties) : null;
  }
}

// The words a site is found by.
export function haystack(f, catNames) {
  const p = f.properties;
  return norm([p.name, p.id, ...catNames(p.category), f.quarter, f.prefecture].filter(Boolean).join(' | '));
}

// Words too common to require ("Université de Lomé" finds "University of Lomé").
const STOP = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'of', 'the', 'and', 'a']);

// Sites matching q (every word of one alternative), best first: name
// matches before category/place matches, shorter names first.
export function searchSites(sites, q, groups, catNames, limit = 8) {
  const nq = norm(q);
  if (!nq) return [];
  const alts = expand(nq, groups).map((a) => {
    const w = a.split(' ').filter((x) => !STOP.has(x));
    return w.length ? w : a.split(' ');
  });
  const hits = [];
  for (const f of sites) {
    f._hay ??= haystack(f, catNames);
    const name = norm(f.properties.name);
    let score = -1;
    for (const words of alts) {
      if (!words.every((w) => f._hay.includes(w))) continue;
      const s = words.every((w) => name.includes(w)) ? 2 : 1;
      if (String(f.properties.id) === nq) score = 3;
      score = Math.max(score, s);
    }
    if (score >= 0) hits.push([score, name.length, f]);
  }
  hits.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return hits.slice(0, limit).map((h) => h[2]);
}
