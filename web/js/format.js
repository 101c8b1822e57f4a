// Small pure helpers: building DOM nodes without innerHTML (event data is never parsed
// as markup), times in the reader's zone, relative ages, initials.

// el('td', {class: 'x', title: 't'}, child, 'text', …): children are nodes or strings.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const timeFormatWithYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const fullFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'full', timeStyle: 'long',
});

// "Jan 5, 23:05:04" in the reader's zone (with the year when it is not this year).
export function formatTime(iso, now = new Date()) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (d.getFullYear() === now.getFullYear() ? timeFormat : timeFormatWithYear).format(d);
}

export function formatFullTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fullFormat.format(d);
}

export function zoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const UNITS = [
  ['year', 365 * 86400], ['month', 30 * 86400], ['week', 7 * 86400], ['day', 86400],
  ['hour', 3600], ['minute', 60], ['second', 1],
];

// "3 min. ago", "yesterday", "10 mo. ago".
export function formatAge(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return '';
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return '';
}

// "AD" for "Alice Doe", "AL" for "alice@example.com", "K3" for an id.
export function initials(name, fallback = '?') {
  const s = (name || fallback || '?').replace(/@.*/, '').trim();
  const words = s.split(/[\s._-]+/).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[1][0]).toUpperCase();
  return s.slice(0, 2).toUpperCase();
}

// A stable colour slot 0..9 for an id, so one actor keeps one avatar colour.
export function colourSlot(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h % 10;
}

// Date <-> the value of an <input type="datetime-local"> (the reader's zone).
export function toLocalInput(date) {
  if (!date) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// RFC 3339 UTC without milliseconds when they are zero: what the search string carries.
export function toRfc3339(date) {
  return date.toISOString().replace('.000Z', 'Z');
}

// A search bound for `date`: just the day (2026-01-05) at midnight UTC, as the server
// writes it too; else RFC 3339.
export function toBound(date) {
  const iso = toRfc3339(date);
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : iso;
}

export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
