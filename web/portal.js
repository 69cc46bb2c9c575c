// portal.js - The captive portal (openNDS FAS, fas_secure_enabled = 1 with
// a faskey): openNDS sends the phone here with hid, gatewayaddress,
// gatewayname and redir in the query; the login goes to govnet
// (POST /api/hotspot/login), which decides exactly as for a RADIUS
// Access-Request and returns tok = sha256(hid + faskey); the phone is then
// sent to http://gatewayaddress/authdir/?tok=...&redir=... and openNDS
// opens the firewall. French by default, English on request (?lang=en).
'use strict';

const TEXT = {
  fr: {
    title: 'Accès WiFi étudiant', lang: 'English', user: 'Identifiant ou code du ticket',
    password: 'Mot de passe', hint: 'Avec un ticket, laissez le mot de passe vide.',
    go: 'Se connecter', where: (g) => `Point d'accès : ${g}`, ok: 'Connexion réussie. Redirection…',
    okNoGw: 'Connexion réussie.', fail: 'Service indisponible, réessayez dans un instant.',
  },
  en: {
    title: 'Student WiFi access', lang: 'Français', user: 'Username or voucher code',
    password: 'Password', hint: 'With a voucher, leave the password empty.',
    go: 'Sign in', where: (g) => `Access point: ${g}`, ok: 'Signed in. Redirecting…',
    okNoGw: 'Signed in.', fail: 'Service unavailable, please try again shortly.',
  },
};
// govnet's reasons are French; their English versions, by prefix.
const EN_REASONS = [
  ['Identifiant ou mot de passe incorrect', 'Wrong username or password.'],
  ['Ce ticket a déjà été utilisé', 'This voucher has already been used.'],
  ['Ce ticket a expiré', 'This voucher has expired.'],
  ['Compte expiré', 'This account has expired.'],
  ['Compte pas encore valide', 'This account is not valid yet.'],
  ['Compte désactivé', 'This account is disabled.'],
  ['Quota de données du jour', "Today's data quota is used up."],
  ['Quota de données du mois', "This month's data quota is used up."],
  ['Temps de connexion', 'No connection time left today.'],
  ['Connexion refusée : nombre maximal', 'Too many devices connected at once.'],
  ['Mot de passe requis', 'A password is required.'],
  ['Requête invalide', 'Invalid request.'],
];

const q = new URLSearchParams(location.search);
let lang = q.get('lang') === 'en' ? 'en' : 'fr';
let lastReason = '';
const $ = (id) => document.getElementById(id);

function reason(fr) {
  if (lang === 'fr') return fr;
  const hit = EN_REASONS.find(([p]) => fr.startsWith(p));
  return hit ? hit[1] : fr;
}

function show(kind, text) {
  const m = $('msg');
  m.className = kind;
  m.textContent = text;
}

function render() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  $('title').textContent = t.title;
  $('lang').textContent = t.lang;
  $('l-user').textContent = t.user;
  $('l-password').textContent = t.password;
  $('h-password').textContent = t.hint;
  $('go').textContent = t.go;
  const gw = q.get('gatewayname');
  $('where').textContent = gw ? t.where(gw) : '';
  if (lastReason) show('err', reason(lastReason));
}

// Where openNDS wants the token back (FAS: http://gatewayaddress/authdir/).
function authUrl(tok) {
  const gw = q.get('gatewayaddress');
  if (!gw || !/^[0-9A-Za-z.:\[\]-]+$/.test(gw)) return null;
  const dir = (q.get('authdir') || 'opennds_auth').replace(/[^0-9A-Za-z_-]/g, '');
  const redir = q.get('redir') || q.get('originurl') || '';
  return `http://${gw}/${dir}/?tok=${encodeURIComponent(tok)}&redir=${encodeURIComponent(redir)}`;
}

async function login(ev) {
  ev.preventDefault();
  const user = $('user').value.trim();
  const password = $('password').value || user; // a voucher: code = password
  lastReason = '';
  let res;
  try {
    res = await fetch('api/hotspot/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, password, hid: q.get('hid') || '' }),
    });
  } catch (e) {
    show('err', TEXT[lang].fail);
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok && body.ok === false) {
    lastReason = body.message || '';
    show('err', reason(lastReason));
    return;
  }
  if (!res.ok || !body.tok) {
    show('err', TEXT[lang].fail);
    return;
  }
  const url = authUrl(body.tok);
  show('ok', url ? TEXT[lang].ok : TEXT[lang].okNoGw);
  if (url) location.href = url;
}

$('lang').addEventListener('click', () => { lang = lang === 'fr' ? 'en' : 'fr'; render(); });
$('login').addEventListener('submit', login);
render();
document.body.dataset.ready = '1';
