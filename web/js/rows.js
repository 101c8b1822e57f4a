// One table row per event: time (reader's zone + age), description from the catalog with
// its code, actor, target, IP, outcome. Erased personal values (null with an `erased`
// marker) read "erased"; everything is text nodes, never markup.
import { el, formatTime, formatAge, formatFullTime, initials, colourSlot } from './format.js';

// True when `obj[field]` was erased: the value is null and the object (or the event)
// marks it — `erased: true`, `erased: ["name", …]` or, on the event, `erased: ["actor.name", …]`.
export function isErased(event, path) {
  const parts = path.split('.');
  const field = parts.pop();
  let obj = event;
  for (const p of parts) obj = obj && obj[p];
  if (!obj || obj[field] !== null) return false;
  const marks = [obj.erased, event.erased];
  return marks.some((m) => m === true || (Array.isArray(m) && (m.includes(field) || m.includes(path))));
}

export function erasedMark() {
  return el('span', { class: 'erased', title: 'This personal value was erased (GDPR)' }, 'erased');
}

// The value at `path` as text, "erased" when erased, '' when absent.
export function valueOf(event, path) {
  if (isErased(event, path)) return erasedMark();
  let v = event;
  for (const p of path.split('.')) v = v == null ? undefined : v[p];
  return v == null ? '' : String(v);
}

function actorCell(event) {
  const a = event.actor || {};
  const name = isErased(event, 'actor.name') ? null : a.name;
  const email = isErased(event, 'actor.email') ? null : a.email;
  const label = name || email || a.id || '';
  const avatar = el('span', {
    class: `avatar c${colourSlot(a.id || label)} ${a.type === 'user' ? '' : 'kind-' + a.type}`,
    'aria-hidden': 'true',
  }, a.type === 'api_key' ? 'API' : a.type === 'system' ? 'SYS' : initials(name || email, a.id));
  const first = name ? name : email ? email : isErased(event, 'actor.name') ? erasedMark() : a.id;
  let second = first === a.id ? '' : a.id;
  if (name && email) second = email;
  else if (name && isErased(event, 'actor.email')) second = erasedMark();
  else if (a.type === 'api_key') second = name ? `API key · ${a.id}` : 'API key';
  else if (a.type === 'system') second = 'system';
  return el('td', { class: 'c-actor' }, el('div', { class: 'who' }, avatar,
    el('div', { class: 'who-text' }, el('div', { class: 'primary-line' }, first),
      second ? el('div', { class: 'secondary-line' }, second) : null)));
}

function targetCell(event) {
  const t = event.target;
  if (!t) return el('td', { class: 'c-target muted' }, '—');
  const name = valueOf(event, 'target.name');
  return el('td', { class: 'c-target' },
    el('div', { class: 'primary-line' }, name || t.id),
    el('div', { class: 'secondary-line' }, name ? `${t.type} · ${t.id}` : t.type));
}

function outcomeCell(event) {
  const ok = event.outcome !== 'failure';
  return el('td', { class: 'c-outcome' }, el('span', {
    class: `pill ${ok ? 'ok' : 'fail'}`, title: event.reason || null,
  }, ok ? 'Success' : 'Failure'));
}

export function renderRow(event, catalog, now) {
  const description = catalog.get(event.code) || event.code;
  const ip = valueOf(event, 'context.ip');
  return el('tr', { tabindex: -1, dataset: { id: event.id, seq: String(event.seq) } },
    el('td', { class: 'c-time', title: formatFullTime(event.occurred_at) },
      el('div', { class: 'primary-line' }, formatTime(event.occurred_at, new Date(now))),
      el('div', { class: 'secondary-line' }, formatAge(event.occurred_at, now))),
    el('td', { class: 'c-event' },
      el('div', { class: 'primary-line' }, description),
      el('code', { class: 'secondary-line code' }, event.code)),
    actorCell(event),
    targetCell(event),
    el('td', { class: 'c-ip mono', title: typeof ip === 'string' && ip ? ip : null }, ip || '—'),
    outcomeCell(event));
}

// Events sort newest first by (occurred_at, seq), like the API's default order.
export function newerThan(a, b) {
  const ta = Date.parse(a.occurred_at);
  const tb = Date.parse(b.occurred_at);
  return ta !== tb ? ta > tb : a.seq > b.seq;
}
