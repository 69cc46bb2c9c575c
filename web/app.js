// app.js - govnet map UI: layers from the HTTP API on a light base map
// (region boundaries + the trench network itself; no online tiles), site
// details with the circuit trace, "cut here" impact, search, dashboard,
// FR/EN. Every visible string comes from i18n.js.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';
import { t, setLanguage, language, formatNumber } from '/i18n.js';
import { setupAccount, relabelAccount, can, send } from '/account.js';

const CAT_COLORS = { admin: '#2563eb', health: '#dc2626', education: '#d97706', other: '#6b7280' };
const PAGE = 5000;
const state = {
  sites: [], siteLayers: new Map(), trenchLayers: new Map(), summary: null,
  render: null, impact: null, trenchFibers: new Map(),
};

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

async function getAll(layer) {
  const out = [];
  for (let offset = 0; ; ) {
    const fc = await getJSON(`/api/${layer}?limit=${PAGE}&offset=${offset}`);
    out.push(...fc.features);
    offset += fc.features.length;
    if (fc.features.length < PAGE || (fc.total != null && offset >= fc.total)) return out;
  }
}

// Fibers in a trench: the sum of its cables' fiber_count (cables layer).
const fibersOf = (p) => state.trenchFibers.get(String(p.id)) ?? p.fibers ?? p.fiber_count ?? 12;
const trenchWeight = (f) => 1.5 + 1.3 * Math.log2(Math.max(f, 12) / 12);
const norm = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
// unnamed buildings (most schools) read as their category and id
const siteName = (p) => p.name || `${t(`cat_${p.category}`)} ${p.id}`;

// ---- map ----
const map = L.map('map', { zoomControl: true, minZoom: 6, maxZoom: 19 });
map.attributionControl.setPrefix(false);
for (const [name, z] of [['bounds', 250], ['trenches', 420], ['highlight', 450], ['sites', 620]])
  map.createPane(name).style.zIndex = z;
const groups = {
  bounds: L.layerGroup().addTo(map), trenches: L.layerGroup().addTo(map),
  highlight: L.layerGroup().addTo(map), sites: L.layerGroup().addTo(map), pops: L.layerGroup().addTo(map),
};

function siteStyle(p, mode) {
  const c = CAT_COLORS[p.category] || CAT_COLORS.other;
  if (mode === 'down') return { radius: 7, color: '#7f1d1d', weight: 2.5, fillColor: c, fillOpacity: 1 };
  if (mode === 'protected') return { radius: 6, color: '#16a34a', weight: 2.5, fillColor: c, fillOpacity: 1 };
  if (mode === 'dim') return { radius: 4, color: '#fff', weight: 1, fillColor: c, fillOpacity: 0.35 };
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
    style: { color: '#94a3b8', weight: 1.2, dashArray: '5 4', fillColor: '#ffffff', fillOpacity: 0.7 },
    onEachFeature: (f, layer) => {
      const n = f.properties && (f.properties.shapeName || f.properties.name || f.properties.NAME);
      if (n) layer.bindTooltip(n, { permanent: true, direction: 'center', className: 'region-label' });
    },
  }).addTo(groups.bounds);
}

function drawTrenches(features) {
  for (const f of features) {
    if (!f.geometry) continue;
    const layer = L.geoJSON(f, { pane: 'trenches', style: () => trenchStyle(f.properties), className: 'gn-trench' });
    layer.eachLayer((l) => {
      l.options.className = 'gn-trench';
      l.on('click', (e) => { L.DomEvent.stopPropagation(e); selectTrench(f); });
    });
    layer.addTo(groups.trenches);
    state.trenchLayers.set(String(f.id ?? f.properties.id), { f, layer });
  }
}

function drawSites(features) {
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const m = L.circleMarker([lat, lon], { pane: 'sites', className: 'gn-site', ...siteStyle(f.properties) });
    m.bindTooltip(() => siteName(f.properties), { direction: 'top', offset: [0, -6] });
    m.on('click', (e) => { L.DomEvent.stopPropagation(e); selectSite(f); });
    m.addTo(groups.sites);
    state.siteLayers.set(String(f.properties.id ?? f.id), { f, m });
  }
  state.sites = features;
}

function drawPops(features) {
  for (const f of features) {
    if (!f.geometry || f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates;
    const icon = L.divIcon({ className: 'gn-pop', html: '<i class="sq"></i>', iconSize: [14, 14] });
    L.marker([lat, lon], { icon, pane: 'sites', zIndexOffset: 1000 })
      .bindTooltip(`${t('pop')}: ${siteName(f.properties || {})}`).addTo(groups.pops);
  }
}

// ---- panels ----
function rerender() { if (state.render) state.render(); }

function showDetails(node) {
  const body = document.getElementById('details-body');
  body.replaceChildren(node);
}

function dl(rows) {
  return el('dl', {}, rows.filter(Boolean).flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)]));
}

function clearHighlight() {
  groups.highlight.clearLayers();
}

async function selectSite(f) {
  const p = f.properties;
  clearHighlight();
  const traceBox = el('div', {}, el('p', { class: 'hint' }, t('loading')));
  state.render = () => showDetails(el('div', {},
    el('h3', {}, el('i', { class: `dot ${p.category}` }), ' ', siteName(p)),
    dl([['id', p.id], ['category', t(`cat_${p.category}`)], ['priority', p.priority ?? 0],
        ['critical', p.critical ? t('yes') : t('no')]]),
    can('deleteSite') ? el('button', { class: 'danger', id: 'delete-site', onclick: () => deleteSite(p) }, t('delete_site')) : null,
    el('h2', {}, t('trace')), traceBox));
  rerender();
  try {
    const trace = await loadTrace(p);
    renderTrace(traceBox, trace);
  } catch (err) {
    traceBox.replaceChildren(el('p', { class: 'hint' }, `${t('error')}: ${err.message}`));
  }
}

async function deleteSite(p) {
  if (!window.confirm(t('confirm_delete', { name: siteName(p) }))) return;
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
  const rows = circuits.map((c) => [c.properties.role === 'protect' ? 'role_protect' : 'role_working',
    `${c.properties.name} (${c.properties.pop ?? ''})`]);
  const hops = trace && Array.isArray(trace.hops) ? trace.hops : [];
  box.replaceChildren(dl(rows), trace ? lossBudget(trace) : '',
    hops.length ? el('ol', { class: 'trace-hops' }, hops.map((h) => el('li', {}, h.name || h.kind))) : '');
}

// The working circuit's optical loss budget (GET /api/trace?port=CPE):
// path length, splices, connectors, loss at 1310 and 1550 nm.
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
    const cut = cutIds.has(id);
    layer.setStyle(trenchStyle(f.properties, cut ? 'cut' : 'dim'));
    if (cut) { layer.eachLayer((l) => { l.bringToFront(); focus.addLayer(L.polyline(l.getLatLngs())); }); }
  }
  for (const [id, { m }] of state.siteLayers) if (affected.has(id)) focus.addLayer(L.marker(m.getLatLng()));
  // show the cut and everything it takes down
  if (focus.getLayers().length) map.fitBounds(focus.getBounds(), { padding: [40, 40], maxZoom: 16 });
  renderImpact();
}

function renderImpact() {
  if (!state.impact) return;
  const { imp } = state.impact;
  const sec = document.getElementById('impact');
  sec.hidden = false;
  const nprot = imp.sites.filter((s) => s.protected).length;
  document.getElementById('impact-summary').textContent =
    imp.sites.length ? t('impact_count', { n: imp.sites.length, p: nprot }) : t('impact_none');
  document.getElementById('impact-list').replaceChildren(...imp.sites.map((s) => el('li', {
    onclick: () => { const e = state.siteLayers.get(String(s.id)); if (e) { map.panTo(e.m.getLatLng()); selectSite(e.f); } },
  }, el('i', { class: `dot ${s.category}` }), el('span', { class: 'name' }, siteName(s)),
  el('span', { class: `badge ${s.protected ? 'protected' : 'down'}` }, s.protected ? t('protected') : t('down')))));
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
  // cost: the store's BOM when it has one, else the sum of the trenches'
  // planned cost_fcfa when the layer carries it
  let cost = Number(bom.cost_fcfa ?? meta.cost_fcfa ?? s.cost_fcfa ?? NaN);
  if (!Number.isFinite(cost)) {
    const tc = [...state.trenchLayers.values()].map(({ f }) => f.properties.cost_fcfa).filter(Number.isFinite);
    if (tc.length) cost = tc.reduce((a, b) => a + b, 0);
  }
  const prot = s.protected_sites ?? counts.protected_sites;
  document.getElementById('kpi-km').textContent = `${formatNumber(km, 1)} ${t('units_km')}`;
  document.getElementById('kpi-buildings').textContent = formatNumber(sites);
  document.getElementById('kpi-cost').textContent = Number.isFinite(cost)
    ? `${formatNumber(cost / 1e6, 0)} M ${t('units_fcfa')}` : '–';
  const surv = document.getElementById('kpi-surv');
  surv.textContent = prot != null && sites ? `${formatNumber((100 * prot) / sites, 0)} %` : '–';
  surv.title = t('survivability_hint');
}

// ---- search ----
function setupSearch() {
  const input = document.getElementById('search');
  const list = document.getElementById('search-results');
  input.addEventListener('input', () => {
    const q = norm(input.value.trim());
    if (!q) { list.hidden = true; return; }
    const hits = state.sites.filter((f) => norm(f.properties.name).includes(q) || norm(String(f.properties.id)).includes(q)).slice(0, 8);
    list.replaceChildren(...(hits.length ? hits.map((f) => el('li', {
      onclick: () => {
        list.hidden = true;
        input.value = siteName(f.properties);
        const [lon, lat] = f.geometry.coordinates;
        map.setView([lat, lon], Math.max(map.getZoom(), 16));
        selectSite(f);
      },
    }, el('i', { class: `dot ${f.properties.category}` }), siteName(f.properties))) : [el('li', {}, t('no_results'))]));
    list.hidden = false;
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const first = list.querySelector('li'); if (first) first.click(); }
    if (e.key === 'Escape') list.hidden = true;
  });
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
  if (accountReady) relabelAccount(rerender);
}
let accountReady = false;

function fitAll() {
  const all = L.featureGroup([...groups.trenches.getLayers(), ...groups.sites.getLayers()]);
  if (all.getLayers().length) map.fitBounds(all.getBounds(), { padding: [24, 24] });
}

// ---- start ----
async function start() {
  for (const b of document.querySelectorAll('.lang button')) b.addEventListener('click', () => applyLanguage(b.dataset.lang));
  applyLanguage(localStorage.getItem('gn-lang') || 'fr');
  document.getElementById('impact-clear').addEventListener('click', resetImpact);
  map.on('click', () => { document.getElementById('search-results').hidden = true; });
  setupSearch();
  await setupAccount(rerender);
  accountReady = true;
  map.setView([6.17, 1.23], 12);
  const [bounds, trenches, sites, pops, cables, summary] = await Promise.all([
    getJSON('/api/boundaries'), getAll('trenches'), getAll('sites'), getAll('pops'), getAll('cables'),
    getJSON('/api/summary').catch(() => null)]);
  for (const c of cables) {
    const k = String(c.properties.trench);
    state.trenchFibers.set(k, (state.trenchFibers.get(k) ?? 0) + (c.properties.fiber_count ?? 0));
  }
  drawBoundaries(bounds);
  drawTrenches(trenches);
  drawSites(sites);
  drawPops(pops);
  state.summary = summary;
  renderDashboard();
  fitAll();
  document.body.dataset.ready = '1';
}

// Test and console hooks: counts, and a screen point on a trench or a site
// to click.
window.gn = {
  map, state, cut, resetImpact, fitAll,
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
  document.body.dataset.ready = 'error';
  showDetails(el('p', { class: 'hint' }, `${t('error')}: ${err.message}`));
  throw err;
});
