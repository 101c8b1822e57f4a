// The side panel of one event: every field, a before → after view of `changes`, copy as
// JSON, and the integrity check (verify.js) with a "Verified" badge only when the proof
// really checked out in this browser.
import { el, formatFullTime, formatAge } from './format.js';
import { valueOf, isErased, erasedMark } from './rows.js';
import { verifyEvent } from './verify.js';

const SIGNATURE_NOTES = {
  valid: 'Checkpoint signature (Ed25519) checked against the server key.',
  unsupported: 'This browser cannot check Ed25519 signatures; the checkpoint signature was not checked.',
  unchecked: 'The server key could not be fetched; the checkpoint signature was not checked.',
};

function row(label, value, cls) {
  if (value === '' || value === undefined || value === null) return null;
  return el('div', { class: 'kv' }, el('dt', {}, label), el('dd', { class: cls || null }, value));
}

function jsonText(v) {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function changeValue(event, field, side, value) {
  if (value === null && isErased(event, `changes.${field}.${side}`)) return erasedMark();
  if (value === undefined) return el('span', { class: 'muted' }, '(none)');
  if (value === null) return el('span', { class: 'muted' }, 'null');
  return jsonText(value);
}

function changesSection(event) {
  const changes = event.changes;
  if (!changes || Object.keys(changes).length === 0) return null;
  const body = el('tbody');
  for (const [field, change] of Object.entries(changes)) {
    body.append(el('tr', {},
      el('th', { scope: 'row' }, field),
      el('td', { class: 'before' }, changeValue(event, field, 'from', change && change.from)),
      el('td', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      el('td', { class: 'after' }, changeValue(event, field, 'to', change && change.to))));
  }
  return el('section', { class: 'panel-section' }, el('h3', {}, 'What changed'),
    el('table', { class: 'diff' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Before'), el('th', {}), el('th', {}, 'After'))),
      body));
}

function section(title, ...rows) {
  const kept = rows.filter(Boolean);
  if (kept.length === 0) return null;
  return el('section', { class: 'panel-section' }, el('h3', {}, title), el('dl', {}, kept));
}

function integritySection(api, event) {
  const box = el('div', { class: 'integrity checking' }, el('span', { class: 'spinner' }), 'Checking the inclusion proof…');
  const badgeSlot = el('span', { class: 'badge-slot' });
  const check = (attempt) => verifyEvent(api, event).then((r) => {
    if (!box.isConnected && attempt > 0) return;  // the panel moved on to another event
    box.className = `integrity ${r.state}`;
    if (r.state === 'verified') {
      badgeSlot.replaceChildren(el('span', { class: 'badge verified', title: 'Checked in this browser' }, '✓ Verified'));
      box.replaceChildren(el('p', {}, `Included in the log: the inclusion proof of event #${event.seq} leads to the root of the signed checkpoint of ${r.checkpoint.size.toLocaleString()} events.`),
        el('p', { class: 'muted' }, SIGNATURE_NOTES[r.signature] || SIGNATURE_NOTES.unchecked,
          r.signatureProblem ? ` (${r.signatureProblem})` : ''),
        el('code', { class: 'hash', title: 'tree root (SHA-256)' }, r.rootHex));
    } else if (r.state === 'pending') {
      // Checkpoints are signed about once a second while the log grows: ask again.
      box.replaceChildren(el('span', { class: 'spinner' }), ` Newer than the latest checkpoint (${r.checkpoint.size.toLocaleString()} events): waiting for the next one…`);
      if (attempt < 10) setTimeout(() => check(attempt + 1), 1500);
      else box.replaceChildren(el('p', {}, 'No checkpoint covers this event yet; reopen it later to check it.'));
    } else {
      if (r.state === 'failed') badgeSlot.replaceChildren(el('span', { class: 'badge failed' }, '✗ Not verified'));
      box.replaceChildren(el('p', {}, r.state === 'failed' ? `Verification failed: ${r.reason}.` : `Not checked: ${r.reason}.`));
    }
  }).catch((e) => {
    box.className = 'integrity unavailable';
    box.replaceChildren(el('p', {}, `Not checked: ${e.message}`));
  });
  check(0);
  return { badgeSlot, section: el('section', { class: 'panel-section' }, el('h3', {}, 'Integrity'), box) };
}

// Fills the panel for `event`. `filterBy(key, value)` narrows the list (actor, target…).
export function renderDetail(body, event, { api, catalog, filterBy }) {
  const description = catalog.get(event.code) || event.code;
  const ok = event.outcome !== 'failure';
  const integrity = integritySection(api, event);
  const filterLink = (key, value, label) => el('button', {
    type: 'button', class: 'link small', onclick: () => filterBy(key, value),
  }, label);
  const a = event.actor || {};
  const t = event.target;
  const c = event.context || {};
  body.replaceChildren(...[
    el('div', { class: 'panel-summary' },
      el('p', { class: 'panel-title' }, description),
      el('div', { class: 'badges' },
        el('span', { class: `pill ${ok ? 'ok' : 'fail'}` }, ok ? 'Success' : 'Failure'),
        integrity.badgeSlot),
      el('code', { class: 'code' }, event.code)),
    section('When',
      row('Occurred', el('span', {}, formatFullTime(event.occurred_at), el('span', { class: 'muted' }, ` · ${formatAge(event.occurred_at)}`))),
      row('Occurred (UTC)', event.occurred_at, 'mono'),
      row('Received (UTC)', event.received_at, 'mono')),
    event.outcome === 'failure' ? section('Outcome', row('Reason', valueOf(event, 'reason'))) : null,
    changesSection(event),
    section('Actor',
      row('Name', valueOf(event, 'actor.name')),
      row('E-mail', valueOf(event, 'actor.email')),
      row('Type', a.type),
      row('ID', el('span', { class: 'mono' }, a.id, ' ', filterLink('actor', a.id, 'Only this actor')))),
    t ? section('Target',
      row('Name', valueOf(event, 'target.name')),
      row('Type', t.type),
      row('ID', el('span', { class: 'mono' }, t.id, ' ', filterLink('target', t.id, 'Only this target')))) : null,
    section('Context',
      row('IP', valueOf(event, 'context.ip'), 'mono'),
      row('User agent', valueOf(event, 'context.user_agent')),
      row('Request', valueOf(event, 'context.request_id'), 'mono'),
      ...Object.keys(c).filter((k) => !['ip', 'user_agent', 'request_id'].includes(k))
        .map((k) => row(k, valueOf(event, `context.${k}`)))),
    event.metadata && Object.keys(event.metadata).length
      ? el('section', { class: 'panel-section' }, el('h3', {}, 'Metadata'),
        el('pre', { class: 'json' }, JSON.stringify(event.metadata, null, 2)))
      : null,
    section('Record',
      row('Event ID', event.id, 'mono'),
      row('Sequence', `#${event.seq}`, 'mono'),
      row('Organisation', event.org, 'mono')),
    integrity.section,
  ].filter(Boolean));
}
