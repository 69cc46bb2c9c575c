// field.js - The crews' page (French first): report a trench's progress
// from a phone on a weak network. Every report gets a client-made id and
// goes to an outbox in IndexedDB first; the outbox is sent in batches to
// POST /api/build/reports whenever the network is there (on load, when
// the browser comes back online, every 30 s, on demand). The server
// answers item by item: stored (201) and replayed (200) reports leave the
// outbox, refused ones stay, marked with the server's message. A replay
// after a lost answer is harmless: the server knows the id.
// Photos are downscaled on the phone (longest side 1280 px, JPEG) and kept
// in IndexedDB; the report carries their file names.

const STEPS = ['surveyed', 'dug', 'ducted', 'pulled', 'spliced', 'tested', 'accepted', 'blocked'];
const REASONS = ['permit', 'obstacle', 'flooding', 'other'];
const BATCH = 200;
const T = {
  fr: {
    title: 'Chantier', settings: 'Réglages', token: 'Jeton d’accès', who: 'Votre nom', save: 'Enregistrer',
    package: 'Lot de travaux', trench: 'Tranchée', step: 'Étape', reason: 'Motif du blocage',
    metres: 'Mètres réalisés', photo: 'Photo', note: 'Remarque', send: 'Enregistrer le rapport',
    outbox: 'À envoyer', sync: 'Envoyer', online: 'en ligne', offline: 'hors ligne',
    queued: 'Rapport gardé sur le téléphone : il partira dès que le réseau revient.',
    sent: (n) => `${n} rapport(s) envoyé(s).`, refused: 'refusé', none: 'Rien à envoyer.',
    need_token: 'Saisissez le jeton d’accès dans les réglages.', bad_token: 'Jeton refusé par le serveur.',
    no_packages: 'Aucun lot (hors ligne et rien en mémoire).',
    surveyed: 'Piqueté', dug: 'Creusé', ducted: 'Fourreau posé', pulled: 'Câble tiré', spliced: 'Soudé',
    tested: 'Testé', accepted: 'Réceptionné', blocked: 'Bloqué',
    permit: 'Autorisation', obstacle: 'Obstacle', flooding: 'Inondation', other: 'Autre',
  },
  en: {
    title: 'Field work', settings: 'Settings', token: 'Access token', who: 'Your name', save: 'Save',
    package: 'Work package', trench: 'Trench', step: 'Step', reason: 'Why blocked',
    metres: 'Metres done', photo: 'Photo', note: 'Note', send: 'Save report',
    outbox: 'To send', sync: 'Send', online: 'online', offline: 'offline',
    queued: 'Report kept on the phone: it goes as soon as the network is back.',
    sent: (n) => `${n} report(s) sent.`, refused: 'refused', none: 'Nothing to send.',
    need_token: 'Enter the access token in the settings.', bad_token: 'The server refused the token.',
    no_packages: 'No package (offline and nothing kept).',
    surveyed: 'Surveyed', dug: 'Dug', ducted: 'Ducted', pulled: 'Cable pulled', spliced: 'Spliced',
    tested: 'Tested', accepted: 'Accepted', blocked: 'Blocked',
    permit: 'Permit', obstacle: 'Obstacle', flooding: 'Flooding', other: 'Other',
  },
};
let lang = localStorage.getItem('gn-lang') || 'fr';
const t = (k, ...a) => { const v = (T[lang] || T.fr)[k]; return typeof v === 'function' ? v(...a) : (v ?? k); };
const $ = (id) => document.getElementById(id);

// ---- IndexedDB: outbox (reports by client_id), kv (packages), photos ----
function openDb() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open('govnet-field', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('outbox', { keyPath: 'client_id' });
      r.result.createObjectStore('kv');
      r.result.createObjectStore('photos');
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
const dbp = openDb();
async function idb(store, mode, fn) {
  const db = await dbp;
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req && req.result);
    tx.onerror = () => reject(tx.error);
  });
}
const outboxAll = () => idb('outbox', 'readonly', (s) => s.getAll());
const outboxPut = (item) => idb('outbox', 'readwrite', (s) => s.put(item));
const outboxDel = (id) => idb('outbox', 'readwrite', (s) => s.delete(id));
const kvGet = (k) => idb('kv', 'readonly', (s) => s.get(k));
const kvPut = (k, v) => idb('kv', 'readwrite', (s) => s.put(v, k));

// Client ids: a random device id, a time stamp and a counter.
function clientId() {
  let dev = localStorage.getItem('gn-device');
  if (!dev) {
    dev = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem('gn-device', dev);
  }
  const n = Number(localStorage.getItem('gn-seq') || 0) + 1;
  localStorage.setItem('gn-seq', String(n));
  return `${dev}-${Date.now().toString(36)}-${n}`;
}

const auth = () => ({ Authorization: `Bearer ${localStorage.getItem('gn-token') || ''}`,
  'Content-Type': 'application/json' });
const say = (msg) => { $('status').textContent = msg; };

// ---- packages: from the server, else the copy kept in IndexedDB -------
let packages = [];
async function loadPackages() {
  try {
    const r = await fetch('/api/build/packages', { headers: auth() });
    if (r.status === 401) say(localStorage.getItem('gn-token') ? t('bad_token') : t('need_token'));
    if (r.ok) {
      packages = await r.json();
      await kvPut('packages', packages);
    }
  } catch (e) { /* offline: use the kept copy */ }
  if (!packages.length) packages = (await kvGet('packages')) || [];
  const sel = $('package');
  sel.replaceChildren(...packages.map((p) => new Option(`${p.id}${p.org ? ` — ${p.org}` : ''} (${p.km.toFixed(1)} km)`, p.id)));
  if (!packages.length) say(t('no_packages'));
  fillTrenches();
}
function fillTrenches() {
  const p = packages.find((x) => x.id === $('package').value);
  $('trench').replaceChildren(...(p ? p.trenches : []).map((id) => new Option(String(id), String(id))));
}

// ---- photos: downscaled on the phone -----------------------------------
async function downscale(file, max = 1280) {
  const bmp = await createImageBitmap(file);
  const k = Math.min(1, max / Math.max(bmp.width, bmp.height));
  const c = document.createElement('canvas');
  c.width = Math.round(bmp.width * k);
  c.height = Math.round(bmp.height * k);
  c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
  return new Promise((resolve) => c.toBlob(resolve, 'image/jpeg', 0.7));
}

function position() {
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => navigator.geolocation.getCurrentPosition(
    (p) => resolve([p.coords.longitude, p.coords.latitude]), () => resolve(null),
    { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 }));
}

async function queue(ev) {
  ev.preventDefault();
  const id = clientId();
  const step = $('step').value;
  const report = { client_id: id, trench: Number($('trench').value), step,
    who: localStorage.getItem('gn-who') || 'terrain', at: new Date().toISOString().slice(0, 19) + 'Z' };
  const m = Number($('metres').value);
  if (m > 0) report.metres = m;
  if ($('note').value.trim()) report.note = $('note').value.trim();
  if (step === 'blocked') report.reason = $('reason').value;
  const gps = await position();
  if (gps) report.gps = [gps];
  const file = $('photo').files[0];
  if (file) {
    const name = `${id}-1.jpg`;
    try {
      const blob = await downscale(file);
      await idb('photos', 'readwrite', (s) => s.put(blob, name));
      report.photos = [name];
    } catch (e) { /* not an image the browser can read: report without it */ }
  }
  await outboxPut({ client_id: id, report, queued_at: Date.now() });
  $('report').reset();
  fillTrenches();
  say(t('queued'));
  await render();
  sync();
}

// ---- sync ---------------------------------------------------------------
let syncing = false;
async function sync() {
  if (syncing) return;
  syncing = true;
  let sent = 0;
  try {
    const items = (await outboxAll()).filter((x) => !x.refused);
    for (let i = 0; i < items.length; i += BATCH) {
      const chunk = items.slice(i, i + BATCH);
      const r = await fetch('/api/build/reports', { method: 'POST', headers: auth(),
        body: JSON.stringify(chunk.map((x) => x.report)) });
      if (r.status === 401) { say(t('bad_token')); break; }
      if (!r.ok) break;
      const d = await r.json();
      for (const res of d.results) {
        if (res.status === 201 || res.status === 200) {
          await outboxDel(res.client_id);
          sent++;
        } else {
          const item = chunk.find((x) => x.client_id === res.client_id);
          if (item) await outboxPut({ ...item, refused: res.message || res.error });
        }
      }
    }
    if (sent) say(t('sent', sent));
  } catch (e) {
    /* network down: everything stays in the outbox */
  } finally {
    syncing = false;
    await render();
  }
}

async function render() {
  const items = await outboxAll();
  $('outbox-count').textContent = String(items.length);
  $('outbox').replaceChildren(...items.map((x) => {
    const li = document.createElement('li');
    li.dataset.clientId = x.client_id;
    li.textContent = `${t('trench')} ${x.report.trench} · ${t(x.report.step)}` +
      (x.report.metres ? ` · ${x.report.metres} m` : '') + (x.refused ? ` — ${t('refused')} : ${x.refused}` : '');
    if (x.refused) li.className = 'refused';
    return li;
  }));
  const on = navigator.onLine;
  $('net').dataset.state = on ? 'online' : 'offline';
  $('net').textContent = t(on ? 'online' : 'offline');
  document.body.dataset.outbox = String(items.length);
}

function applyLang() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $('step').replaceChildren(...STEPS.map((s) => new Option(t(s), s)));
  $('reason').replaceChildren(...REASONS.map((s) => new Option(t(s), s)));
  document.querySelectorAll('.lang button').forEach((b) => b.classList.toggle('on', b.dataset.lang === lang));
  render();
}

async function main() {
  $('token').value = localStorage.getItem('gn-token') || '';
  $('who').value = localStorage.getItem('gn-who') || '';
  $('save-settings').onclick = () => {
    localStorage.setItem('gn-token', $('token').value.trim());
    localStorage.setItem('gn-who', $('who').value.trim());
    loadPackages().then(sync);
  };
  document.querySelectorAll('.lang button').forEach((b) => { b.onclick = () => {
    lang = b.dataset.lang; localStorage.setItem('gn-lang', lang); applyLang();
  }; });
  $('package').onchange = fillTrenches;
  $('step').onchange = () => { $('reason-row').hidden = $('step').value !== 'blocked'; };
  $('report').onsubmit = queue;
  $('sync').onclick = sync;
  window.addEventListener('online', () => { render(); sync(); });
  window.addEventListener('offline', render);
  setInterval(sync, 30000);
  applyLang();
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/field-sw.js').catch(() => {});
  await loadPackages();
  await render();
  document.body.dataset.ready = '1';
  sync();
}
window.gnField = { sync, outboxAll, outboxPut, render };
main();
