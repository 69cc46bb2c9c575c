// lease.js - "Louer / Lease": an operator (or the ministry's staff) asks a
// quote for dark fibers between two ends picked on the map or typed
// (site:ID, pop:ID, closure:ID, LON,LAT), sees the route, the loss and the
// price, reserves it, and follows its leases (activate / terminate for the
// NOC). Everything goes through the API's lease routes (src/lease); the
// role decides what is shown (can() from GET /api/me).
import { t, formatNumber } from './i18n.js';
import { can, who, send } from './account.js';

const ENDS = ['from', 'to'];

export function setupLease(ui) {
  const { map, el, highlight, nearestSite, nearestPop, cableFeature, getJSON } = ui;
  const box = document.getElementById('lease');
  const form = document.getElementById('lease-form');
  const out = document.getElementById('lease-result');
  const list = document.getElementById('lease-list');
  let quote = null; // the last quote and the body that asked it
  let picking = null;

  const routeLayer = L.layerGroup();
  const fcfa = (x) => `${formatNumber(Math.round(x))} FCFA`;
  const field = (name) => form.elements[name];

  function body() {
    const b = { from: field('from').value.trim(), to: field('to').value.trim(),
      fibers: Number(field('fibers').value), diverse: field('diverse').checked };
    const term = field('term').value.trim();
    if (term) b.term_months = Number(term);
    return b;
  }

  function drawRoute(ids, style) {
    for (const id of ids) {
      const f = cableFeature(id);
      if (f && f.geometry) L.geoJSON(f.geometry, { pane: 'highlight', interactive: false, style }).addTo(routeLayer);
    }
  }

  function showRoute(q) {
    routeLayer.clearLayers();
    drawRoute(q.route || [], { color: '#ea580c', weight: 7, opacity: 0.85, lineCap: 'round' });
    routeLayer.addTo(highlight);
    const b = L.featureGroup(routeLayer.getLayers()).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [40, 40], maxZoom: 16 });
  }

  function renderQuote(q) {
    const db = (x) => t('units_db', { x: formatNumber(x ?? 0, 2) });
    const row = (k, v) => [el('dt', {}, t(k)), el('dd', { 'data-key': k }, v)];
    out.replaceChildren(
      el('dl', { class: 'lease-quote' }, [
        row('path_length', `${formatNumber(q.length_m / 1000, 2)} ${t('units_km')}`),
        row('loss_1310', db(q.loss_db_1310)), row('loss_1550', db(q.loss_db_1550)),
        row('lease_new_splices', String(q.new_splices)),
        row('lease_price_month', fcfa(q.price_fcfa_month)),
        row('lease_price_once', fcfa(q.price_fcfa_once)),
        row('lease_sla', `${formatNumber(q.sla_pct, 2)} %`),
        row('lease_cables', (q.route || []).join(', ')),
      ].flat()),
      (q.work_order || []).length ? el('details', {}, el('summary', {}, t('lease_work')),
        el('ul', {}, q.work_order.map((w) => el('li', {}, w)))) : '',
      can('reserveLease') ? el('div', { class: 'lease-reserve' },
        who().role === 'operator' ? '' : el('input', { id: 'lease-operator', placeholder: t('lease_operator'),
          'aria-label': t('lease_operator'), autocomplete: 'off' }),
        el('button', { id: 'lease-reserve', type: 'button', onclick: reserve }, t('lease_reserve'))) : '');
  }

  function fail(err) {
    out.replaceChildren(el('p', { class: 'hint error', id: 'lease-error' }, `${t('error')}: ${err.message}`));
  }

  async function ask(e) {
    e.preventDefault();
    out.replaceChildren(el('p', { class: 'hint' }, t('loading')));
    routeLayer.clearLayers();
    try {
      const b = body();
      quote = { body: b, q: await send('POST', '/api/quotes', b) };
      renderQuote(quote.q);
      showRoute(quote.q);
    } catch (err) {
      quote = null;
      fail(err);
    }
  }

  async function reserve() {
    if (!quote) return;
    const b = { ...quote.body };
    const op = document.getElementById('lease-operator');
    b.operator = op ? op.value.trim() : who().org;
    try {
      const l = await send('POST', '/api/leases', b);
      out.replaceChildren(el('p', { class: 'ok', id: 'lease-done' },
        t('lease_reserved_ok', { id: l.id, until: String(l.reserved_until || '').slice(0, 10) })));
      quote = null;
      await refreshList();
    } catch (err) {
      fail(err);
    }
  }

  async function change(id, action) {
    try {
      await send('POST', `/api/leases/${encodeURIComponent(id)}/${action}`);
      await refreshList();
    } catch (err) {
      fail(err);
    }
  }

  async function refreshList() {
    if (!can('listLeases')) { list.replaceChildren(); return; }
    try {
      const leases = await getJSON('/api/leases');
      list.replaceChildren(...(leases.length ? leases.map((l) => el('li', { 'data-lease': l.id },
        el('span', { class: 'name', onclick: () => showRoute(l) },
          `#${l.id} ${l.from} → ${l.to} · ${l.fibers_wanted} ${t('fibers')}`),
        el('span', { class: `badge lease-${l.state}` }, t(`lease_state_${l.state}`)),
        el('small', {}, `${l.operator} · ${fcfa(l.price_fcfa_month)}/${t('lease_month')}`),
        l.state === 'reserved' && can('activateLease')
          ? el('button', { class: 'small', onclick: () => change(l.id, 'activate') }, t('lease_activate')) : '',
        (l.state === 'reserved' || l.state === 'active') && can('terminateLease')
          ? el('button', { class: 'small danger', onclick: () => change(l.id, 'terminate') }, t('lease_terminate')) : ''))
        : [el('li', { class: 'hint' }, t('lease_none'))]));
    } catch (err) {
      list.replaceChildren(el('li', { class: 'hint' }, `${t('error')}: ${err.message}`));
    }
  }

  // The next map click names an end: the nearest site or POP, else the point.
  function pickAt(e) {
    const s = nearestSite(e.containerPoint);
    const p = nearestPop(e.containerPoint);
    let v;
    if (s && (!p || s.d <= p.d)) v = `site:${s.f.properties.id}`;
    else if (p) v = `pop:${p.f.properties.id}`;
    else v = `${e.latlng.lng.toFixed(6)},${e.latlng.lat.toFixed(6)}`;
    field(picking).value = v;
    stopPicking();
  }
  function stopPicking() {
    picking = null;
    document.body.classList.remove('picking');
    document.getElementById('lease-pick-hint').hidden = true;
  }

  for (const end of ENDS) {
    document.getElementById(`lease-pick-${end}`).addEventListener('click', () => {
      picking = end;
      document.body.classList.add('picking');
      document.getElementById('lease-pick-hint').hidden = false;
      if (window.matchMedia('(max-width: 700px)').matches) document.getElementById('panel').classList.remove('open');
    });
  }
  form.addEventListener('submit', ask);

  return {
    // app.js routes a map click here while an end is being picked
    pick(e) {
      if (!picking) return false;
      pickAt(e);
      document.getElementById('panel').classList.add('open');
      return true;
    },
    // after sign-in/out or a language switch
    refresh() {
      box.hidden = !can('quote') && !can('listLeases');
      form.hidden = !can('quote');
      if (box.hidden) { routeLayer.clearLayers(); out.replaceChildren(); list.replaceChildren(); return; }
      if (quote) renderQuote(quote.q);
      refreshList();
    },
  };
}
