// account.js - Sign-in and "what may I do": the login dialog (FR/EN), the
// account badge, the audit panel, and can(op) from GET /api/me, so the UI
// shows and enables only the operations the role may use. The session is
// an HttpOnly cookie the page never sees; state-changing requests carry
// the CSRF token /api/me hands back.
import { t } from './i18n.js';

const me = { role: 'public', may: [], csrf: null, name: null, org: null };

export const can = (op) => me.may.includes(op);
export const who = () => me;

// fetch for state-changing requests: the CSRF header when signed in.
export async function send(method, url, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (me.csrf) headers['X-CSRF-Token'] = me.csrf;
  const r = await fetch(url, { method, headers, body: body == null ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw Object.assign(new Error(data ? data.message : r.statusText), { status: r.status, error: data && data.error });
  return data;
}

async function refresh() {
  const r = await fetch('/api/me');
  Object.assign(me, { role: 'public', may: [], csrf: null, name: null, org: null }, await r.json());
}

function renderBadge(onChange) {
  const box = document.getElementById('account');
  box.replaceChildren();
  if (me.role === 'public') {
    const b = document.createElement('button');
    b.id = 'sign-in';
    b.textContent = t('sign_in');
    b.addEventListener('click', () => document.getElementById('login-dialog').showModal());
    box.append(b);
  } else {
    const s = document.createElement('span');
    s.id = 'who';
    s.textContent = `${me.name} · ${t(`role_${me.role}`)}${me.org ? ` · ${me.org}` : ''}`;
    const b = document.createElement('button');
    b.id = 'sign-out';
    b.textContent = t('sign_out');
    b.addEventListener('click', async () => {
      await send('POST', '/api/logout').catch(() => {});
      await refresh();
      renderBadge(onChange);
      onChange();
    });
    box.append(s, b);
  }
  renderAudit();
}

async function renderAudit() {
  const panel = document.getElementById('audit');
  panel.hidden = !can('audit');
  if (panel.hidden) return;
  const list = document.getElementById('audit-list');
  try {
    const rows = await (await fetch('/api/audit?limit=15')).json();
    list.replaceChildren(...rows.map((a) => {
      const li = document.createElement('li');
      li.textContent = `${a.at.slice(0, 16).replace('T', ' ')} · ${a.user}${a.role ? ` (${t(`role_${a.role}`)})` : ''} · ${a.action} ${a.object ?? ''}`;
      return li;
    }));
  } catch (err) {
    list.replaceChildren(document.createTextNode(`${t('error')}: ${err.message}`));
  }
}

export async function setupAccount(onChange) {
  const dlg = document.getElementById('login-dialog');
  const form = document.getElementById('login-form');
  const msg = document.getElementById('login-error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    const name = form.elements.name.value, password = form.elements.password.value;
    try {
      await send('POST', '/api/login', { name, password });
      form.reset();
      dlg.close();
      await refresh();
      renderBadge(onChange);
      onChange();
    } catch (err) {
      msg.textContent = err.status === 429 ? t('login_locked') : err.status === 401 ? t('login_failed') : err.message;
    }
  });
  document.getElementById('login-cancel').addEventListener('click', () => dlg.close());
  await refresh();
  renderBadge(onChange);
}

// Re-label after a language switch.
export function relabelAccount(onChange) { renderBadge(onChange); }
