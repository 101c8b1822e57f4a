// The search-string language of DESIGN §5 (src/core/search_string.cc is the reference
// the server parses with): `code:org.member:* actor:usr_7 after:2026-11-01
// -outcome:success "text"`. The page keeps its filters as one parsed search, so the
// search box, the filter controls and the address always say the same thing.

// Keys a filter may use, with their aliases, as the server accepts them.
const KEY_ALIASES = {
  code: 'code', actor: 'actor', actor_type: 'actor_type', actor_email: 'actor_email',
  email: 'actor_email', target: 'target', target_id: 'target', target_type: 'target_type',
  outcome: 'outcome',
};
const BOUND_KEYS = { after: 'after', from: 'after', before: 'before', to: 'before' };

// A personal field the catalog may mark searchable, named by its path (metadata.email):
// as IsPersonalFilterKey in src/core/query.cc.
const isPathKey = (s) => s.length <= 256 &&
  /^(actor|context|target|metadata|changes)(\.[A-Za-z0-9_-]+)+$/.test(s);

// Keys whose values are personal data: never written into the page's address.
export const PERSONAL_KEYS = new Set(['actor_email']);
const isPersonalKey = (key) => PERSONAL_KEYS.has(key) || isPathKey(key);

export class SearchError extends Error {}

const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const looksLikeKey = (s) => /^[A-Za-z_]+$/.test(s) || isPathKey(s);

// An empty search: no filters, no bounds, no text.
export function emptySearch() {
  return { include: [], exclude: [], after: null, before: null, text: [] };
}

function readQuoted(s, pos) {
  let out = '';
  let i = pos + 1;
  for (; i < s.length && s[i] !== '"'; ++i) {
    if (s[i] === '\\' && i + 1 < s.length && (s[i + 1] === '"' || s[i + 1] === '\\')) ++i;
    out += s[i];
  }
  if (i >= s.length) throw new SearchError(`missing closing quote in ${s.slice(pos)}`);
  ++i;
  if (i < s.length && !isSpace(s[i])) throw new SearchError('text right after a closing quote');
  return { value: out, end: i };
}

function applyTerm(search, raw, keyText, value, negated) {
  // A field path keeps its case (metadata keys are the sender's); other keys do not.
  const key = isPathKey(keyText) ? keyText : keyText.toLowerCase();
  if (value === '') throw new SearchError(`missing value after "${key}:"`);
  if (BOUND_KEYS[key]) {
    if (negated) throw new SearchError(`"${raw}": a time bound cannot be negated`);
    if (!parseBound(value)) {
      throw new SearchError(`"${raw}": ${key} needs a date (2026-11-01) or an RFC 3339 time`);
    }
    search[BOUND_KEYS[key]] = value;
    return;
  }
  const field = key === 'actor.email' ? 'actor_email' : isPathKey(key) ? key : KEY_ALIASES[key];
  if (!field) {
    throw new SearchError(`unknown key "${key}" (keys: code, actor, actor_type, actor_email, ` +
      'target, target_type, outcome, after, before, or a searchable field such as ' +
      'metadata.email); quote it to search for it as text');
  }
  (negated ? search.exclude : search.include).push({ key: field, value });
}

// Parses a search string; throws SearchError naming the bad term.
export function parseSearch(s) {
  const search = emptySearch();
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) ++i;
    if (i >= s.length) return search;
    const start = i;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      if (q.value !== '') search.text.push(q.value);
      i = q.end;
      continue;
    }
    let j = i;
    while (j < s.length && !isSpace(s[j]) && s[j] !== ':') ++j;
    const negated = s[start] === '-';
    const keyText = s.slice(negated ? start + 1 : start, j);
    if (j + 1 < s.length && s[j] === ':' && s[j + 1] === '"' && looksLikeKey(keyText)) {
      const q = readQuoted(s, j + 1);
      applyTerm(search, s.slice(start, q.end), keyText, q.value, negated);
      i = q.end;
      continue;
    }
    while (j < s.length && !isSpace(s[j])) ++j;
    const raw = s.slice(start, j);
    const body = negated ? raw.slice(1) : raw;
    const colon = body.indexOf(':');
    if (colon >= 0 && looksLikeKey(body.slice(0, colon))) {
      applyTerm(search, raw, body.slice(0, colon), body.slice(colon + 1), negated);
    } else if (negated) {
      throw new SearchError(`"${raw}": only key:value filters can be negated; quote it to search for it`);
    } else {
      search.text.push(raw);
    }
    i = j;
  }
}

// A bound as the server reads it: a date (00:00:00Z of that day) or an RFC 3339 time.
export function parseBound(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!m) return null;
  const t = Date.parse(m[4] === undefined ? `${value}T00:00:00Z` : value.toUpperCase());
  return Number.isNaN(t) ? null : new Date(t);
}

function quote(s) {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function formatValue(v) {
  return v === '' || v.startsWith('"') || /\s/.test(v) ? quote(v) : v;
}

function formatText(word) {
  const colon = word.indexOf(':');
  const bare = word !== '' && !/\s/.test(word) && !word.startsWith('"') && !word.startsWith('-') &&
    (colon < 0 || !looksLikeKey(word.slice(0, colon)));
  return bare ? word : quote(word);
}

// Renders a search back as a string that parseSearch (and the server) read the same way.
// With {publicOnly: true} it leaves out personal data (text, e-mail filters): that is
// what may go into the page's address.
export function formatSearch(search, { publicOnly = false } = {}) {
  const parts = [];
  for (const f of search.include) {
    if (!publicOnly || !isPersonalKey(f.key)) parts.push(`${f.key}:${formatValue(f.value)}`);
  }
  for (const f of search.exclude) {
    if (!publicOnly || !isPersonalKey(f.key)) parts.push(`-${f.key}:${formatValue(f.value)}`);
  }
  if (search.after) parts.push(`after:${search.after}`);
  if (search.before) parts.push(`before:${search.before}`);
  if (!publicOnly) for (const w of search.text) parts.push(formatText(w));
  return parts.join(' ');
}

// True when the search holds something formatSearch({publicOnly}) leaves out.
export function hasPersonalTerms(search) {
  return search.text.length > 0 ||
    search.include.some((f) => isPersonalKey(f.key)) ||
    search.exclude.some((f) => isPersonalKey(f.key));
}

// The first positive value of `key`, or '' (what a single-choice control shows).
export function firstValue(search, key) {
  const f = search.include.find((x) => x.key === key);
  return f ? f.value : '';
}

// A copy of `search` whose positive `key` filters are replaced by `value` (none if '').
export function withValue(search, key, value) {
  const next = structuredClone(search);
  next.include = next.include.filter((x) => x.key !== key);
  if (value !== '') next.include.push({ key, value });
  return next;
}

// A copy of `search` with new time bounds (null clears one).
export function withBounds(search, after, before) {
  return { ...structuredClone(search), after, before };
}
