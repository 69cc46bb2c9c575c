// app.js - govnet map UI: layers from the HTTP API over an offline base
// (vector-tile streets from `govnet serve --basemap` when there is one,
// boundaries and quarter names otherwise), site details with the circuit
// trace, "cut here" impact, search, dashboard, exports, FR/EN.
// Every visible string comes from i18n.js.
// Picking: markers are not interactive; one map click handler picks the
// nearest site (or else trench) within 22 px of the tap, so a 44 px target
// works on a phone and overlapping markers open the one tapped closest.
import { t, tIn, setLanguage, language, formatNumber, formatMoney, hopName } from './i18n.js';
import { norm, parseSynonyms, locateSites, searchSites, boundaryName } from './search.js';
import { toCSV, toGeoJSON, download } from './export.js';
import { setupAccount, relabelAccount, can, send } from './account.js';
import { setupLease } from './lease.js';

const L = window.L;
// One scheme for the map, the legend and the report (src/report).
const CAT_COLORS = { admin: '#2563eb', health: '#dc2626', education: '#d97706', other: '#6b7280' };
const PICK_PX = 22; // half of a 44 px touch target
const state = {
  sites: [], siteLayers: new Map(), trenchLayers: new Map(), summary: null, pops: [],
  render: null, impact: null, trenchFibers: new Map(), synonyms: new Map(), selected: null,
  cables: new Map(),
};
let lease = null; // the Louer / Lease panel (lease.js), once the cables are in
const phone = () => window.matchMedia('(max-width: 700px)').matches;

// ---- helpers ----
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k != null) e.append(k instanceof Node ? k : String(k));
  return e;
}

async function getJSON(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(`${body.error}: ${body.message}`);
  return body;
}

// A whole layer: the bare URL is the server's shared, gzip'd view; page on
// only if the layer is larger than one page.
async function getAll(layer) {
  const first = await getJSON(`/api/${layer}`);
  const out = [...first.features];
  while (first.total != null && out.length < first.total) {
    const fc = await getJSON(`/api/${layer}?offset=${out.length}`);
    if (!fc.features.length) break;
    out.push(...fc.features);
  }
  return out;
}

const fibersOf = (p) => state.trenchFibers.get(String(p.id)) ?? p.fibers ?? p.fiber_count ?? 12;
const trenchWeight = (f) => 1.5 + 1.3 * Math.log2(Math.max(f, 12) / 12);
const catNames = (c) => ['fr', 'en'].map((l) => tIn(l, `cat_${c}`)).concat([c]);
// Unnamed buildings read as their category and quarter ("Lycée — Bè").
function siteName(p, f) {
  if (p.name) return p.name;
  const where = f && (f.quarter || f.prefecture);
  return where ? `${t(`cat_${p.category}`)} — ${where}` : `${t(`cat_${p.category}`)} ${p.id}`;
}

// ---- map ----
const map = L.map('map', { zoomControl: true, minZoom: 3, maxZoom: 19, tap: false });
map.attributionControl.setPrefix(false);
L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
for (const [name, z] of [['base', 200], ['bounds', 250], ['labels', 300], ['trenches', 420],
  ['highlight', 450], ['sites', 620]])
  map.createPane(name).style.zIndex = z;
map.getPane('labels').style.pointerEvents = 'none';
const groups = {
  bounds: L.layerGroup().addTo(map), labels: L.layerGroup().addTo(map), trenches: L.layerGroup().addTo(map),
  highlight: L.layerGroup().addTo(map), sites: L.layerGroup().addTo(map), pops: L.layerGroup().addTo(map),
};

function siteStyle(p, mode) {
  const c = CAT_COLORS[p.category] || CAT_COLORS.other;
  if (mode === 'down') return { radius: 8, color: '#7f1d1d', weight: 3, fillColor: c, fillOpacity: 1 };
  if (mode === 'protected') return { radius: 7, color: '#16a34a', weight: 3, fillColor: c, fillOpacity: 1 };
  if (mode === 'dim') return { radius: 4, color: '#fff', weight: 1, fillColor: c, fillOpacity: 0.35 };
  if (mode === 'selected') return { radius: 9, color: '#111827', weight: 3, fillColor: c, fillOpacity: 1 };
  return { radius: 6, color: '#fff', weight: 1.5, fillColor: c, fillOpacity: 0.95 };
}

function trenchStyle(p, mode) {
  const w = trenchWeight(fibersOf(p));
  if (mode === 'cut') return { color: '#dc2626', weight: w + 4, opacity: 1, dashArray: '6 5' };
  if (mode === 'dim') return { color: '#94a3b8', weight: w, opacity: 0.6, dashArray: null };
  return { color: p.redundant ? '#7c3aed' : '#0e7490', weight: w, opacity: 0.85, dashArray: null };
}

function drawBoundaries(fc) {
  L.geoJSON(fc, {
    pane: 'bounds', interactive: false,
    style: { color: '#94a3b8', weight: 1.2, dashArray: '5 4', fillColor: '#ffffff', fillOpacity: 0.55 },
    onEachFeature: (f, layer) => {
      const n = boundaryName(f.properties);
      if (n) layer.bindTooltip(n, { permanent: true, direction: 'center', className: 'region-label', pane: 'labels' });
    },
  }).addTo(groups.bounds);
}

// Quarter names (place=suburb|neighbourhood|quarter), shown from zoom 13.
function drawPlaces(features) {
  const layer = L.layerGroup();
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'Point' || !f.properties.name) continue;
    const [lon, lat] = f.geometry.coordinates;
    L.marker([lat, lon], {
      pane: 'labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: 'place-label', html: '', iconSize: [0, 0] }),
    }).bindTooltip(f.properties.name, { permanent: true, direction: 'center', className: 'place-label', pane: 'labels' })
      .addTo(layer);
  }
  const sync = () => (map.getZoom() >= 13 ? groups.labels.addLayer(layer) : groups.labels.removeLayer(layer));
  map.on('zoomend', sync);
  sync();
}

// A classic script (Leaflet plugins extend window.L), loaded on demand.
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const s = el('script', { src: url });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.append(s);
  });
}

// Streets, water and names from the server's MBTiles (govnet basemap);
// the vector-tile plugin is fetched only when there is a basemap.
async function drawBasemap(info) {
  if (!info || !info.tiles) return;
  await loadScript(new URL('./vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js', import.meta.url));
  const road = (w) => ({ weight: w, color: '#cbd5e1', opacity: 1 });
  const b = String(info.bounds || '').split(',').map(Number);
  L.vectorGrid.protobuf(info.tiles, {
    bounds: b.length === 4 && b.every(Number.isFinite) ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : undefined,
    pane: 'base', interactive: false, maxNativeZoom: info.maxzoom || 14, minZoom: info.minzoom || 0,
    vectorTileLayerStyles: {
      water: { fill: true, fillColor: '#bfdbfe', fillOpacity: 1, color: '#93c5fd', weight: 1 },
      waterway: { color: '#93c5fd', weight: 1.5 },
      streets: (p) => road(p.class === 'primary' || p.class === 'trunk' || p.class === 'motorway' ? 3 : p.class === 'secondary' || p.class === 'tertiary' ? 2 : 1),
      buildings: { fill: true, fillColor: '#e2e8f0', fillOpacity: 1, weight: 0 },
      places: { radius: 0, weight: 0, fill: false },
    },
  }).addTo(map);
  document.body.classList.add('has-basemap');
}

function drawTrenches(features) {
  for (const f of features) {
    if (!f.geometry) continue;
    const layer = L.geoJSON(f, { pane: 'trenches', interactive: false, style: () => trenchStyle(f.properties) });
    layer.eachLayer((l) => { l.options.className = 'gn-trench'; });
    layer.addTo(groups.trenches);
    state.trenchLayers.set(String(f.id ?? f.properties.id), { f, layer });
  }
}

function drawSites(features) {
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const m = L.circleMarker([lat, lon], { pane: 'sites', className: 'gn-site', interactive: false, ...siteStyle(f.properties) });
    m.addTo(groups.sites);
    state.siteLayers.set(String(f.properties.id ?? f.id), { f, m });
  }
  state.sites = features;
}

function drawPops(features) {
  state.pops = features;
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const icon = L.divIcon({ className: 'gn-pop', html: '<i class="sq"></i>', iconSize: [14, 14] });
    L.marker([lat, lon], { icon, pane: 'sites', interactive: false, keyboard: false }).addTo(groups.pops);
  }
}

// ---- picking: nearest feature to a screen point ----
function distToSegment(p, a, b) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const k = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + k * dx), p.y - (a.y + k * dy));
}

// The nearest site within maxPx of a container point, with its distance.
function nearestSite(pt, maxPx = PICK_PX) {
  let best = null, bd = maxPx;
  for (const e of state.siteLayers.values()) {
    const d = pt.distanceTo(map.latLngToContainerPoint(e.m.getLatLng()));
    if (d <= bd) { bd = d; best = e; }
  }
  return best && { ...best, d: bd };
}

function nearestPop(pt, maxPx = PICK_PX) {
  let best = null, bd = maxPx;
  for (const f of state.pops) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const d = pt.distanceTo(map.latLngToContainerPoint([lat, lon]));
    if (d <= bd) { bd = d; best = f; }
  }
  return best && { f: best, d: bd };
}

function nearestTrench(pt, maxPx = PICK_PX) {
  let best = null, bd = maxPx;
  for (const e of state.trenchLayers.values()) {
    e.layer.eachLayer((l) => {
      const ll = l.getLatLngs().flat(2).map((x) => map.latLngToContainerPoint(x));
      for (let i = 1; i < ll.length; i++) {
        const d = distToSegment(pt, ll[i - 1], ll[i]);
        if (d <= bd) { bd = d; best = e; }
      }
    });
  }
  return best && { ...best, d: bd };
}

function onMapClick(e) {
  document.getElementById('search-results').hidden = true;
  if (lease && lease.pick(e)) return;
  const s = nearestSite(e.containerPoint);
  const tr = nearestTrench(e.containerPoint);
  // sites sit on trench ends: a site wins unless the trench is clearly nearer
  if (s && (!tr || s.d <= tr.d + 8)) selectSite(s.f);
  else if (tr) selectTrench(tr.f);
}

// Desktop hover: a pointer cursor and the name of the site under it.
const hoverTip = L.tooltip({ direction: 'top', offset: [0, -8] });
function onMapHover(e) {
  const s = nearestSite(e.containerPoint, 12);
  const tr = s ? null : nearestTrench(e.containerPoint, 8);
  map.getContainer().style.cursor = s || tr ? 'pointer' : '';
  if (s) hoverTip.setLatLng(s.m.getLatLng()).setContent(siteName(s.f.properties, s.f)).addTo(map);
  else hoverTip.remove();
}

// ---- panels ----
function rerender() { if (state.render) state.render(); }

function openSheet(open) { document.getElementById('panel').classList.toggle('open', open); }

function showDetails(node) {
  document.getElementById('details-body').replaceChildren(node);
  openSheet(true);
}

function dl(rows) {
  return el('dl', {}, rows.filter(Boolean).flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)]));
}

function clearHighlight() {
  groups.highlight.clearLayers();
  if (state.selected) {
    const e = state.siteLayers.get(state.selected);
    if (e && !state.impact) e.m.setStyle(siteStyle(e.f.properties));
    state.selected = null;
  }
}

// On a phone the sheet covers the lower half: move the site into the top.
function revealAboveSheet(latlng) {
  if (!phone()) return;
  const y = map.latLngToContainerPoint(latlng).y, top = map.getSize().y * 0.25;
  if (y > map.getSize().y * 0.4) map.panBy([0, y - top], { animate: false });
}

async function selectSite(f) {
  const p = f.properties;
  clearHighlight();
  state.selected = String(p.id);
  const mark = state.siteLayers.get(state.selected);
  if (mark) { mark.m.setStyle(siteStyle(p, 'selected')); mark.m.bringToFront(); revealAboveSheet(mark.m.getLatLng()); }
  const traceBox = el('div', {}, el('p', { class: 'hint' }, t('loading')));
  state.render = () => showDetails(el('div', { 'data-site': p.id },
    el('h3', {}, el('i', { class: `dot ${p.category}` }), ' ', siteName(p, f)),
    dl([['id', p.id], ['category', t(`cat_${p.category}`)], f.quarter ? ['quarter', f.quarter] : null,
      f.prefecture ? ['prefecture', f.prefecture] : null, ['priority', p.priority ?? 0],
      ['critical', p.critical ? t('yes') : t('no')]]),
    can('deleteSite') ? el('button', { class: 'danger', id: 'delete-site', onclick: () => deleteSite(p, f) }, t('delete_site')) : null,
    el('h2', {}, t('trace')), traceBox));
  rerender();
  try {
    const trace = await loadTrace(p);
    if (state.selected === String(p.id)) renderTrace(traceBox, trace);
  } catch (err) {
    traceBox.replaceChildren(el('p', { class: 'hint' }, `${t('error')}: ${err.message}`));
  }
}

async function deleteSite(p, f) {
  if (!window.confirm(t('confirm_delete', { name: siteName(p, f) }))) return;
  try {
    await send('DELETE', `/api/sites/${encodeURIComponent(p.id)}`);
    const e = state.siteLayers.get(String(p.id));
    if (e) groups.sites.removeLayer(e.m);
    showDetails(el('p', { class: 'hint' }, t('deleted')));
    state.render = null;
  } catch (err) {
    showDetails(el('p', { class: 'hint' }, `${t('error')}: ${err.message}`));
  }
}

// A site's circuits (working, protect) from /api/circuits?site=; the
// fiber trace with its loss budget when the site names its CPE port.
async function loadTrace(p) {
  const out = {};
  out.circuits = (await getJSON(`/api/circuits?site=${encodeURIComponent(p.id)}`)).features;
  const port = p.cpe_port ?? p.port;
  if (port != null) out.trace = await getJSON(`/api/trace?port=${encodeURIComponent(port)}`);
  return out;
}

function renderTrace(box, { trace, circuits }) {
  for (const c of circuits) {
    const protect = c.properties.role === 'protect';
    if (c.geometry) L.geoJSON(c.geometry, { pane: 'highlight', interactive: false,
      style: { color: protect ? '#7c3aed' : '#14b8a6', weight: protect ? 5 : 8, opacity: 0.8,
        dashArray: protect ? '8 6' : null, lineCap: 'round' } }).addTo(groups.highlight);
  }
  if (!trace && !circuits.length) { box.replaceChildren(el('p', { class: 'hint' }, t('trace_none'))); return; }
  const rows = circuits.map((c) => {
    const protect = c.properties.role === 'protect';
    return [protect ? 'role_protect' : 'role_working', t('circuit_name', {
      site: c.properties.site ?? String(c.properties.name).split('/')[0],
      role: t(protect ? 'role_protect_short' : 'role_working_short') }) + (c.properties.pop ? ` (${c.properties.pop})` : '')];
  });
  const hops = trace && Array.isArray(trace.hops) ? trace.hops : [];
  box.replaceChildren(dl(rows), trace ? lossBudget(trace) : '',
    hops.length ? el('ol', { class: 'trace-hops' }, hops.map((h) => el('li', {}, hopName(h)))) : '');
}

function lossBudget(trace) {
  const loss = trace.loss_db || {};
  const db = (x) => t('units_db', { x: formatNumber(x ?? 0, 2) });
  const row = (key, v) => [el('dt', {}, t(key)), el('dd', { 'data-key': key }, v)];
  return el('div', { class: 'loss-budget' },
    el('h4', {}, t('loss')),
    trace.broken ? el('p', { class: 'broken' }, t('broken_path')) : '',
    el('dl', {}, [
      row('path_length', `${formatNumber(trace.length_m / 1000, 2)} ${t('units_km')}`),
      row('splices_label', String(trace.splices)),
      row('connectors_label', String(trace.connectors)),
      row('loss_1310', db(loss['1310'])),
      row('loss_1550', db(loss['1550'])),
    ].flat()));
}

function selectTrench(f) {
  const p = f.properties;
  const id = f.id ?? p.id;
  clearHighlight();
  state.render = () => showDetails(el('div', {},
    el('h3', {}, `${t('trench')} #${id}`),
    dl([['length', p.length_m != null ? `${formatNumber(p.length_m, 0)} m` : '–'],
      ['fibers_label', String(fibersOf(p))], p.sites_downstream != null ? ['sites', String(p.sites_downstream)] : null]),
    el('button', { class: 'cut', id: 'cut-here', onclick: () => cut([id]) }, '✂ ', t('cut_here'))));
  rerender();
}

async function cut(ids) {
  resetImpact();
  const q = ids.map((i) => `trench=${encodeURIComponent(i)}`).join('&');
  const imp = await getJSON(`/api/impact?${q}`);
  state.impact = { ids, imp };
  applyImpact();
}

function applyImpact() {
  const { ids, imp } = state.impact;
  const affected = new Map(imp.sites.map((s) => [String(s.id), s]));
  for (const [id, { f, m }] of state.siteLayers) {
    const s = affected.get(id);
    m.setStyle(siteStyle(f.properties, s ? (s.protected ? 'protected' : 'down') : 'dim'));
    if (s) m.bringToFront();
  }
  const cutIds = new Set(ids.map(String));
  const focus = L.featureGroup();
  for (const [id, { f, layer }] of state.trenchLayers) {
    const isCut = cutIds.has(id);
    layer.setStyle(trenchStyle(f.properties, isCut ? 'cut' : 'dim'));
    if (isCut) layer.eachLayer((l) => { l.bringToFront(); focus.addLayer(L.polyline(l.getLatLngs())); });
  }
  for (const [id, { m }] of state.siteLayers) if (affected.has(id)) focus.addLayer(L.marker(m.getLatLng()));
  if (focus.getLayers().length) map.fitBounds(focus.getBounds(), { padding: [40, 40], maxZoom: 16 });
  renderImpact();
}

// The impact list as features (for the exports): ranked, with status.
function impactFeatures() {
  if (!state.impact) return [];
  return state.impact.imp.sites.map((s, i) => {
    const e = state.siteLayers.get(String(s.id));
    return { type: 'Feature', geometry: e ? e.f.geometry : null, properties: {
      rank: i + 1, id: s.id, name: siteName(s, e && e.f), category: s.category,
      status: s.protected ? 'protected' : 'down', quarter: e?.f.quarter ?? null, prefecture: e?.f.prefecture ?? null,
      cut_trenches: state.impact.ids.join(' ') } };
  });
}

function renderImpact() {
  if (!state.impact) return;
  const { imp } = state.impact;
  document.getElementById('impact').hidden = false;
  const nprot = imp.sites.filter((s) => s.protected).length;
  document.getElementById('impact-summary').textContent =
    imp.sites.length ? t('impact_count', { n: imp.sites.length, p: nprot }) : t('impact_none');
  document.getElementById('impact-list').replaceChildren(...imp.sites.map((s) => {
    const e = state.siteLayers.get(String(s.id));
    return el('li', { onclick: () => { if (e) { map.panTo(e.m.getLatLng()); selectSite(e.f); } } },
      el('i', { class: `dot ${s.category}` }), el('span', { class: 'name' }, siteName(s, e && e.f)),
      el('span', { class: `badge ${s.protected ? 'protected' : 'down'}` }, s.protected ? t('protected') : t('down')));
  }));
  openSheet(true);
}

function resetImpact() {
  state.impact = null;
  document.getElementById('impact').hidden = true;
  for (const { f, m } of state.siteLayers.values()) m.setStyle(siteStyle(f.properties));
  for (const { f, layer } of state.trenchLayers.values()) layer.setStyle(trenchStyle(f.properties));
}

// ---- dashboard ----
function renderDashboard() {
  const s = state.summary;
  if (!s) return;
  const counts = s.counts || {}, bom = s.bom || {}, meta = s.meta || {};
  const km = (bom.trench_m ?? meta.trench_m ?? 0) / 1000;
  const sites = counts.sites ?? state.sites.length;
  let cost = Number(bom.cost_fcfa ?? meta.cost_fcfa ?? s.cost_fcfa ?? NaN);
  if (!Number.isFinite(cost)) {
    const tc = [...state.trenchLayers.values()].map(({ f }) => f.properties.cost_fcfa).filter(Number.isFinite);
    if (tc.length) cost = tc.reduce((a, b) => a + b, 0);
  }
  const prot = s.protected_sites ?? counts.protected_sites;
  document.getElementById('kpi-km').textContent = `${formatNumber(km, 1)} ${t('units_km')}`;
  document.getElementById('kpi-buildings').textContent = formatNumber(sites);
  document.getElementById('kpi-cost').textContent = formatMoney(cost);
  const surv = document.getElementById('kpi-surv');
  surv.textContent = prot != null && sites ? `${formatNumber((100 * prot) / sites, 0)} %` : '–';
  surv.title = t('survivability_hint');
}

// ---- search ----
function pickSite(f) {
  const [lon, lat] = f.geometry.coordinates;
  map.setView([lat, lon], Math.max(map.getZoom(), 16));
  selectSite(f);
}

function setupSearch() {
  const input = document.getElementById('search');
  const list = document.getElementById('search-results');
  input.addEventListener('input', () => {
    const q = input.value.trim();
    if (!norm(q)) { list.hidden = true; return; }
    const hits = searchSites(state.sites, q, state.synonyms, catNames);
    list.replaceChildren(...(hits.length ? hits.map((f) => el('li', {
      onclick: () => { list.hidden = true; input.value = siteName(f.properties, f); pickSite(f); },
    }, el('i', { class: `dot ${f.properties.category}` }), el('span', {}, siteName(f.properties, f)),
    el('small', {}, [f.quarter, f.prefecture].filter(Boolean).join(', ')))) : [el('li', {}, t('no_results'))]));
    list.hidden = false;
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const first = list.querySelector('li'); if (first) first.click(); }
    if (e.key === 'Escape') list.hidden = true;
  });
}

// ---- exports ----
function layerFeatures(name) {
  if (name === 'sites') return state.sites.map((f) => ({ ...f, properties: { ...f.properties,
    display_name: siteName(f.properties, f), quarter: f.quarter ?? null, prefecture: f.prefecture ?? null } }));
  if (name === 'pops') return state.pops;
  return [...state.trenchLayers.values()].map((e) => e.f);
}

function setupExports() {
  const stamp = () => new Date().toISOString().slice(0, 10);
  const csv = (name, feats) => download(`${name}-${stamp()}.csv`, toCSV(feats), 'text/csv;charset=utf-8');
  const gj = (name, feats) => download(`${name}-${stamp()}.geojson`, toGeoJSON(feats), 'application/geo+json');
  const layer = () => document.getElementById('export-layer').value;
  document.getElementById('export-csv').addEventListener('click', () => csv(layer(), layerFeatures(layer())));
  document.getElementById('export-geojson').addEventListener('click', () => gj(layer(), layerFeatures(layer())));
  document.getElementById('impact-csv').addEventListener('click', () => csv('impact', impactFeatures()));
  document.getElementById('impact-geojson').addEventListener('click', () => gj('impact', impactFeatures()));
  document.getElementById('print').addEventListener('click', () => window.print());
}

// ---- language ----
function applyLanguage(lang) {
  setLanguage(lang);
  localStorage.setItem('gn-lang', language());
  for (const b of document.querySelectorAll('.lang button')) b.classList.toggle('on', b.dataset.lang === language());
  map.attributionControl.remove();
  map.attributionControl = L.control.attribution({ prefix: false }).addAttribution(t('attribution')).addTo(map);
  renderDashboard();
  rerender();
  renderImpact();
  if (accountReady) relabelAccount(onAccount);
  if (lease) lease.refresh();
}
// Sign-in or sign-out: what the role may do changes.
function onAccount() {
  rerender();
  if (lease) lease.refresh();
}
let accountReady = false;

function fitAll() {
  const all = L.featureGroup([...groups.trenches.getLayers(), ...groups.sites.getLayers()]);
  if (all.getLayers().length) map.fitBounds(all.getBounds(), { padding: phone() ? [16, 16] : [24, 24] });
}

// ---- start ----
// Interactive as soon as sites, trenches and POPs are drawn; boundaries,
// quarter names, cable sizes and the base map come after.
async function start() {
  for (const b of document.querySelectorAll('.lang button')) b.addEventListener('click', () => applyLanguage(b.dataset.lang));
  applyLanguage(localStorage.getItem('gn-lang') || 'fr');
  document.getElementById('impact-clear').addEventListener('click', resetImpact);
  document.getElementById('sheet-handle').addEventListener('click', () =>
    openSheet(!document.getElementById('panel').classList.contains('open')));
  map.on('click', onMapClick);
  if (window.matchMedia('(hover: hover)').matches) map.on('mousemove', onMapHover);
  setupSearch();
  setupExports();
  // the account (GET /api/me) loads beside the layers, not before them
  const account = setupAccount(onAccount).then(() => { accountReady = true; });
  map.setView([0, 0], 3);
  const [trenches, sites, pops, summary] = await Promise.all([
    getAll('trenches'), getAll('sites'), getAll('pops'), getJSON('/api/summary').catch(() => null)]);
  drawTrenches(trenches);
  drawSites(sites);
  drawPops(pops);
  state.summary = summary;
  renderDashboard();
  fitAll();
  document.body.dataset.ready = '1';
  const [bounds, places, cables, basemap, synonyms] = await Promise.all([
    getJSON('/api/boundaries'), getJSON('/api/places'), getAll('cables'), getJSON('/api/basemap'),
    fetch(new URL('./synonyms.txt', import.meta.url)).then((r) => (r.ok ? r.text() : ''))]);
  state.synonyms = parseSynonyms(synonyms);
  for (const c of cables) {
    state.cables.set(String(c.properties.id ?? c.id), c);
    const k = String(c.properties.trench);
    state.trenchFibers.set(k, (state.trenchFibers.get(k) ?? 0) + (c.properties.fiber_count ?? 0));
  }
  for (const { f, layer } of state.trenchLayers.values()) if (!state.impact) layer.setStyle(trenchStyle(f.properties));
  await drawBasemap(basemap);
  drawBoundaries(bounds);
  drawPlaces(places.features || []);
  locateSites(state.sites, places.features || [], bounds.features || []);
  rerender();
  await account;
  lease = setupLease({ map, el, getJSON, highlight: groups.highlight, nearestSite, nearestPop,
    cableFeature: (id) => state.cables.get(String(id)) });
  lease.refresh();
  document.body.dataset.loaded = '1';
}

// Test and console hooks.
window.gn = {
  map, state, cut, resetImpact, fitAll, nearestSite,
  clearDetails() { clearHighlight(); state.render = null; document.getElementById('details-body').replaceChildren(); },
  sitePoint(id) {
    const e = state.siteLayers.get(String(id));
    const pt = map.latLngToContainerPoint(e.m.getLatLng());
    const r = document.getElementById('map').getBoundingClientRect();
    return { x: r.left + pt.x, y: r.top + pt.y };
  },
  trenchPoint(id) {
    const e = id != null ? state.trenchLayers.get(String(id)) : state.trenchLayers.values().next().value;
    let pt = null;
    e.layer.eachLayer((l) => {
      const ll = l.getLatLngs().flat(2);
      const a = ll[0], b = ll[Math.min(1, ll.length - 1)];
      pt = map.latLngToContainerPoint(L.latLng((a.lat + b.lat) / 2, (a.lng + b.lng) / 2));
    });
    const r = document.getElementById('map').getBoundingClientRect();
    return { x: r.left + pt.x, y: r.top + pt.y };
  },
};
window.gn.ready = start().catch((err) => {
  if (!document.body.dataset.ready) document.body.dataset.ready = 'error';
  showDetails(el('p', { class: 'hint' }, `${t('error')}: ${err.message}`));
  throw err;
});
