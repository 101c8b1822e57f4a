// The Activity Log page (docs/WEB.md): signs in with the token from the fragment or a
// pasted key, then keeps one search — shown by the search box, the filter controls and
// the address (without personal data) — and the table, chart and live stream that follow it.
import { Api, ApiError } from './api.js';
import { takeCredential, storeCredential, forgetCredential, tokenClaims } from './auth.js';
import {
  emptySearch, parseSearch, parseBound, formatSearch, hasPersonalTerms, withValue, withBounds, SearchError,
} from './search.js';
import { Filters } from './filters.js';
import { LogView } from './log_view.js';
import { drawChart, chooseBucket } from './chart.js';
import { LiveStream } from './live.js';
import { downloadExport } from './export.js';
import { el, plural, toBound, zoneName } from './format.js';

const FULL_SEARCH = 'actlog.search';  // sessionStorage: the whole search, personal terms too
const LIVE = 'actlog.live';

const $ = (id) => document.getElementById(id);

// --- the address: "#q=<search without personal terms>" -------------------------------

function searchFromAddress() {
  const q = new URLSearchParams(location.hash.slice(1)).get('q') || '';
  const stored = sessionStorage.getItem(FULL_SEARCH);
  try {
    if (stored !== null) {
      const full = parseSearch(stored);
      if (formatSearch(full, { publicOnly: true }) === formatSearch(parseSearch(q), { publicOnly: true })) return full;
    }
    return parseSearch(q);
  } catch {
    return emptySearch();
  }
}

function writeAddress(search) {
  const q = formatSearch(search, { publicOnly: true });
  const hash = q ? `#${new URLSearchParams({ q })}` : '';
  if (location.hash !== hash) history.replaceState(null, '', location.pathname + location.search + hash);
  sessionStorage.setItem(FULL_SEARCH, formatSearch(search));
  $('privacy-note').hidden = !hasPersonalTerms(search);
}

// --- the page -------------------------------------------------------------------------

class Page {
  constructor(api, claims) {
    this.api = api;
    this.claims = claims;
    this.search = emptySearch();
    this.live = null;
    this.chartTimer = null;
    this.catalog = new Map();
    this.filters = new Filters(document, (s) => this.apply(s));
    this.view = new LogView({
      api,
      catalog: this.catalog,
      onFilter: (key, value) => this.apply(key === null ? emptySearch() : withValue(this.search, key, value)),
      onActor: (actor) => { if (this.filters.learnActor(actor)) this.relabelActors(); },
    });
  }

  async start() {
    const groups = (await this.api.json('/v1/event-types')).data;
    for (const g of groups) for (const t of g.types) this.catalog.set(t.code, t.description);
    this.filters.setCatalog(groups);
    $('org-name').textContent = this.claims.org || this.api.orgShown || '';
    if (this.claims.actor) {
      this.filters.lockActor(this.claims.actor);
    } else {
      this.loadActors();
    }
    this.wire();
    this.apply(searchFromAddress(), { force: true });
    if (sessionStorage.getItem(LIVE) === 'on') this.setLive(true);
  }

  // Every actor of the org, for the picker (names are learnt from the rows).
  async loadActors() {
    try {
      const stats = await this.api.json('/v1/stats', { group_by: 'actor', bucket: 'day' });
      const ids = new Set();
      for (const b of stats.data) for (const id of Object.keys(b.counts)) ids.add(id);
      this.filters.setActors([...ids]);
    } catch {
      // the picker still offers the actors seen in the rows
    }
  }

  relabelActors() {
    clearTimeout(this.relabelTimer);
    this.relabelTimer = setTimeout(() => this.filters.renderActors(), 200);
  }

  params() {
    const search = formatSearch(this.search);
    return search ? { search } : {};
  }

  apply(search, { force = false } = {}) {
    const same = formatSearch(search) === formatSearch(this.search);
    this.search = search;
    this.filters.show(search);
    writeAddress(search);
    $('search-error').hidden = true;
    const n = search.include.length + search.exclude.length + (search.after ? 1 : 0) + (search.before ? 1 : 0);
    $('filters-toggle').textContent = n ? `Filters (${n})` : 'Filters';
    if (same && !force) return;
    const filtered = formatSearch(search) !== '';
    this.view.reset(this.params(), { filtered });
    this.loadChart();
    if (this.live) this.setLive(true);
  }

  async loadChart() {
    const title = $('chart-title');
    const chart = $('chart');
    title.textContent = 'Events';
    chart.classList.add('loading');
    chart.setAttribute('aria-busy', 'true');
    if (!chart.firstChild) chart.append(el('p', { class: 'chart-empty' }, el('span', { class: 'spinner' }), ' Loading the timeline…'));
    const after = this.search.after ? parseBound(this.search.after) : null;
    const before = this.search.before ? parseBound(this.search.before) : null;
    const token = (this.chartToken = {});
    try {
      const params = { ...this.params(), group_by: 'resource' };
      let bucket = chooseBucket(after, before, null);
      let stats = await this.api.json('/v1/stats', { ...params, bucket });
      if (bucket === 'day' && chooseBucket(after, before, stats) === 'hour') {
        bucket = 'hour';
        stats = await this.api.json('/v1/stats', { ...params, bucket });
      }
      if (token !== this.chartToken) return;
      // Buckets are UTC hours and days: days are labelled as UTC days.
      const per = bucket === 'day' ? 'per day (UTC)' : `per hour · ${zoneName()}`;
      title.textContent = `${plural(stats.events, 'event')}${stats.truncated ? '+' : ''} · ${per}`;
      this.lastStats = { stats, bucket };
      this.drawLastChart();
    } catch (e) {
      if (token !== this.chartToken) return;
      chart.replaceChildren();
      title.textContent = `Timeline unavailable: ${e.message}`;
    } finally {
      if (token === this.chartToken) {
        chart.classList.remove('loading');
        chart.setAttribute('aria-busy', 'false');
      }
    }
  }

  drawLastChart() {
    const { stats, bucket } = this.lastStats;
    drawChart($('chart'), $('chart-legend'), stats, bucket, (start, end) =>
      this.apply(withBounds(this.search, toBound(start), toBound(end))));
  }

  setLive(on) {
    if (this.live) this.live.stop();
    this.live = null;
    const button = $('live-toggle');
    button.setAttribute('aria-pressed', String(on));
    button.classList.toggle('on', on);
    sessionStorage.setItem(LIVE, on ? 'on' : 'off');
    if (!on) {
      button.title = 'Show new events as they happen';
      return;
    }
    const seq = this.view.maxSeq();
    this.live = new LiveStream(this.api, this.params(), {
      lastSeq: seq >= 0 ? seq : null,
      onEvent: (event) => {
        this.view.addLive(event);
        clearTimeout(this.chartTimer);
        this.chartTimer = setTimeout(() => this.loadChart(), 3000);
      },
      onState: (state, detail) => {
        button.dataset.state = state;
        button.title = state === 'live' ? 'Live: new events appear as they happen (click to pause)'
          : state === 'failed' ? `Live mode stopped: ${detail}` : 'Connecting…';
      },
    }).start();
  }

  wire() {
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const box = $('search');
      try {
        this.apply(parseSearch(box.value));
        box.value = formatSearch(this.search);
      } catch (err) {
        if (!(err instanceof SearchError)) throw err;
        const p = $('search-error');
        p.textContent = err.message;
        p.hidden = false;
      }
    });
    $('clear-filters').addEventListener('click', () => this.apply(emptySearch()));
    $('live-toggle').addEventListener('click', () => this.setLive(!this.live));
    const menu = $('export-menu');
    const exportButton = $('export-button');
    exportButton.addEventListener('click', () => {
      menu.hidden = !menu.hidden;
      exportButton.setAttribute('aria-expanded', String(!menu.hidden));
    });
    document.addEventListener('click', (e) => {
      if (!e.target.closest('.menu')) { menu.hidden = true; exportButton.setAttribute('aria-expanded', 'false'); }
    });
    for (const b of menu.querySelectorAll('[data-format]')) {
      b.addEventListener('click', async () => {
        menu.hidden = true;
        toast('Preparing the export…');
        try {
          const { name } = await downloadExport(this.api, this.params(), b.dataset.format);
          toast(`Downloaded ${name}`);
        } catch (e) {
          toast(`Export failed: ${e.message}`, true);
        }
      });
    }
    $('logout').addEventListener('click', () => {
      forgetCredential();
      sessionStorage.removeItem(FULL_SEARCH);
      location.replace(location.pathname);
    });
    document.addEventListener('keydown', (e) => this.key(e));
    document.addEventListener('actlog:toast', (e) => toast(e.detail));
    document.addEventListener('actlog:unauthenticated', (e) => {
      if (this.live) this.setLive(false);
      showLogin(`Signed out: ${e.detail}`);
    });
    // Redraw the chart when its width changes (window resized, side panel opened).
    let width = $('chart').clientWidth;
    new ResizeObserver(() => {
      const now = $('chart').clientWidth;
      if (Math.abs(now - width) < 8 || !this.lastStats) return;
      width = now;
      this.drawLastChart();
    }).observe($('chart'));
    $('filters-toggle').addEventListener('click', () => {
      const open = $('filters').classList.toggle('open');
      $('filters-toggle').setAttribute('aria-expanded', String(open));
    });
  }

  key(e) {
    const typing = e.target.closest('input, select, textarea');
    if (e.key === 'Escape') {
      if (typing) { e.target.blur(); return; }
      if (this.view.closeDetail()) e.preventDefault();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '/') { e.preventDefault(); $('search').focus(); return; }
    if (e.target.closest('button, [role=button]') && (e.key === 'Enter' || e.key === ' ')) return;
    const moves = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
    if (e.key in moves) {
      e.preventDefault();
      this.view.move(moves[e.key]);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this.view.openSelected();
    }
  }
}

// --- toasts and sign-in ---------------------------------------------------------------

let toastTimer = null;
function toast(message, isError = false) {
  const t = $('toast');
  t.textContent = message;
  t.classList.toggle('error', isError);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 4000);
}

function showLogin(message) {
  $('app').hidden = true;
  $('detail').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('login-key').focus();
}

async function signIn(credential, org) {
  const api = new Api(credential, org);
  // One cheap read proves the credential before the page is shown.
  const first = await api.json('/v1/events', { limit: 1 });
  api.orgShown = org || (first.data[0] && first.data[0].org) || '';
  return api;
}

async function boot() {
  const form = $('login-form');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const credential = $('login-key').value.trim();
    const org = $('login-org').value.trim();
    try {
      await signIn(credential, org || tokenClaims(credential).org);
      storeCredential(credential, org);
      location.reload();
    } catch (err) {
      showLogin(err instanceof ApiError && err.code === 'invalid_query' && !org
        ? 'This key needs an organisation: fill it in below.' : err.message);
    }
  });
  const found = takeCredential();
  if (!found) {
    showLogin('');
    return;
  }
  let api;
  try {
    api = await signIn(found.credential, found.org);
  } catch (err) {
    showLogin(err.status === 401 ? 'That key or link has expired or was revoked. Ask for a new one.' : err.message);
    return;
  }
  $('login').hidden = true;
  $('app').hidden = false;
  const page = new Page(api, tokenClaims(found.credential));
  try {
    await page.start();
  } catch (err) {
    page.view.setStatus('error', err.message, () => location.reload());
  }
}

boot();
