// The log itself: the table of events newest first, more pages as the reader scrolls
// (next_cursor), keyboard selection, the detail panel, and live events inserted without
// moving what the reader is looking at.
import { el, plural } from './format.js';
import { renderRow, newerThan } from './rows.js';
import { renderDetail } from './detail.js';

const PAGE = 50;

export class LogView {
  constructor({ api, catalog, onFilter, onActor }) {
    this.api = api;
    this.catalog = catalog;
    this.onFilter = onFilter;  // (key, value): narrow the search from the panel
    this.onActor = onActor;    // (actor): an actor was seen (for the actor picker's names)
    this.rowsEl = document.getElementById('rows');
    this.statusEl = document.getElementById('status');
    this.emptyEl = document.getElementById('empty');
    this.moreEl = document.getElementById('more');
    this.pill = document.getElementById('new-pill');
    this.detail = document.getElementById('detail');
    this.detailBody = document.getElementById('detail-body');
    this.events = [];
    this.ids = new Set();
    this.selected = -1;
    this.openId = null;
    this.generation = 0;
    this.unseen = 0;
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.loadMore();
    }, { rootMargin: '600px 0px' });
    this.observer.observe(this.moreEl);
    this.rowsEl.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) this.select(this.indexOf(tr.dataset.id), { open: true });
    });
    this.pill.addEventListener('click', () => {
      window.scrollTo({ top: 0, behavior: 'smooth' });
      this.clearUnseen();
    });
    window.addEventListener('scroll', () => { if (window.scrollY < 40) this.clearUnseen(); }, { passive: true });
    document.getElementById('detail-close').addEventListener('click', () => this.closeDetail());
    document.getElementById('detail-copy').addEventListener('click', () => this.copyOpen());
  }

  // Starts over with new query parameters ({search}).
  reset(params, { filtered }) {
    this.generation += 1;
    this.params = params;
    this.filtered = filtered;
    this.events = [];
    this.ids.clear();
    this.cursor = null;
    this.done = false;
    this.loading = false;
    this.failed = false;
    this.selected = -1;
    this.rowsEl.replaceChildren();
    this.emptyEl.hidden = true;
    this.clearUnseen();
    this.closeDetail();
    this.setStatus('loading', 'Loading events…');
    return this.loadMore();
  }

  async loadMore() {
    if (this.loading || this.done || this.failed || !this.params) return;
    this.loading = true;
    this.setBusy(true);
    const generation = this.generation;
    this.moreEl.replaceChildren(this.events.length ? el('span', { class: 'spinner' }) : '');
    if (this.events.length) this.moreEl.append(' Loading older events…');
    try {
      const page = await this.api.json('/v1/events', { ...this.params, limit: PAGE, cursor: this.cursor });
      if (generation !== this.generation) return;
      this.cursor = page.next_cursor;
      this.done = !page.next_cursor;
      this.appendEvents(page.data);
      this.setStatus('ok');
      this.moreEl.replaceChildren(this.done && this.events.length > 0
        ? el('span', { class: 'muted' }, `That is all: ${plural(this.events.length, 'event')}.`) : '');
      if (this.events.length === 0) this.showEmpty();
    } catch (e) {
      if (generation !== this.generation) return;
      this.failed = true;
      this.moreEl.replaceChildren();
      this.setStatus('error', e.message, () => { this.failed = false; this.loadMore(); });
      if (e.status === 401) document.dispatchEvent(new CustomEvent('actlog:unauthenticated', { detail: e.message }));
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.setBusy(false);
      }
    }
    // The sentinel may still be in view (a tall screen): keep filling it.
    if (generation === this.generation && !this.done && !this.failed && this.sentinelVisible()) this.loadMore();
  }

  // aria-busy on the table while a page loads (assistive technology, and the tests).
  setBusy(busy) {
    document.getElementById('table').setAttribute('aria-busy', String(busy));
  }

  sentinelVisible() {
    return this.moreEl.getBoundingClientRect().top < window.innerHeight + 600;
  }

  appendEvents(list) {
    const now = Date.now();
    const frag = document.createDocumentFragment();
    for (const event of list) {
      if (this.ids.has(event.id)) continue;
      this.ids.add(event.id);
      this.events.push(event);
      this.onActor(event.actor);
      frag.append(renderRow(event, this.catalog, now));
    }
    this.rowsEl.append(frag);
  }

  showEmpty() {
    this.emptyEl.hidden = false;
    this.emptyEl.replaceChildren(
      el('p', { class: 'empty-title' }, this.filtered ? 'No events match these filters' : 'No events yet'),
      el('p', { class: 'muted' }, this.filtered
        ? 'Try a wider date range or remove a filter.'
        : 'Events appear here as soon as the platform sends them. Turn on Live to watch for them.'));
    if (this.filtered) {
      this.emptyEl.append(el('button', { type: 'button', onclick: () => this.onFilter(null) }, 'Clear all filters'));
    }
  }

  setStatus(kind, message = '', retry = null) {
    this.statusEl.className = `status ${kind}`;
    this.statusEl.replaceChildren();
    if (kind === 'loading') this.statusEl.append(el('span', { class: 'spinner' }), ' ', message);
    if (kind === 'error') {
      this.statusEl.append(el('strong', {}, 'Could not load events. '), message);
      if (retry) this.statusEl.append(' ', el('button', { type: 'button', onclick: retry }, 'Retry'));
    }
  }

  // A live event: inserted at its place in (occurred_at, seq) order, the viewport kept
  // still. Events older than every loaded row wait for their page.
  addLive(event) {
    if (this.ids.has(event.id)) return;
    let at = this.events.findIndex((e) => newerThan(event, e));
    if (at < 0) {
      if (!this.done) return;
      at = this.events.length;
    }
    const anchor = this.firstVisibleRow();
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    this.ids.add(event.id);
    this.events.splice(at, 0, event);
    this.onActor(event.actor);
    const tr = renderRow(event, this.catalog, Date.now());
    tr.classList.add('fresh');
    this.rowsEl.insertBefore(tr, this.rowsEl.children[at] || null);
    this.emptyEl.hidden = true;
    if (this.selected >= at) this.selected += 1;
    if (anchor && window.scrollY > 0) {
      window.scrollBy(0, anchor.getBoundingClientRect().top - anchorTop);
    }
    if (window.scrollY >= 40 && at <= this.indexOfRow(anchor)) {
      this.unseen += 1;
      this.pill.textContent = `↑ ${plural(this.unseen, 'new event')}`;
      this.pill.hidden = false;
    }
  }

  clearUnseen() {
    this.unseen = 0;
    this.pill.hidden = true;
  }

  firstVisibleRow() {
    for (const tr of this.rowsEl.children) {
      if (tr.getBoundingClientRect().bottom > 0) return tr;
    }
    return null;
  }

  indexOf(id) {
    return this.events.findIndex((e) => e.id === id);
  }

  indexOfRow(tr) {
    return tr ? this.indexOf(tr.dataset.id) : this.events.length;
  }

  maxSeq() {
    return this.events.reduce((m, e) => Math.max(m, e.seq), -1);
  }

  // Keyboard: j/k or arrows move, Enter opens, Esc closes.
  move(delta) {
    if (this.events.length === 0) return;
    const next = Math.min(this.events.length - 1, Math.max(0, this.selected + delta));
    this.select(next, { open: this.openId !== null });
    if (next >= this.events.length - 5) this.loadMore();
  }

  select(index, { open = false } = {}) {
    if (index < 0 || index >= this.events.length) return;
    const old = this.rowsEl.querySelector('tr.selected');
    if (old) {
      old.classList.remove('selected');
      old.removeAttribute('aria-selected');
    }
    this.selected = index;
    const tr = this.rowsEl.children[index];
    tr.classList.add('selected');
    tr.setAttribute('aria-selected', 'true');
    tr.scrollIntoView({ block: 'nearest' });
    if (open) this.openDetail(this.events[index]);
  }

  openSelected() {
    if (this.selected >= 0) this.openDetail(this.events[this.selected]);
  }

  openDetail(event) {
    this.openId = event.id;
    document.getElementById('detail-title').textContent = `Event #${event.seq}`;
    renderDetail(this.detailBody, event, {
      api: this.api, catalog: this.catalog, filterBy: (k, v) => this.onFilter(k, v),
    });
    this.detail.hidden = false;
    document.body.classList.add('panel-open');
    this.detailBody.scrollTop = 0;
  }

  closeDetail() {
    if (this.openId === null) return false;
    this.openId = null;
    this.detail.hidden = true;
    document.body.classList.remove('panel-open');
    return true;
  }

  async copyOpen() {
    const event = this.events.find((e) => e.id === this.openId);
    if (!event) return;
    const text = JSON.stringify(event, null, 2);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = el('textarea', { class: 'offscreen' });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    document.dispatchEvent(new CustomEvent('actlog:toast', { detail: 'Event copied as JSON' }));
  }
}
