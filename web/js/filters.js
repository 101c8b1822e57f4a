// The filter controls (event type, actor, target, outcome, date range) as views of the
// one parsed search (search.js): reading a control changes the search, and a new search
// sets every control. The search box shows the whole search as text.
import { el, toLocalInput, toRfc3339 } from './format.js';
import { firstValue, withValue, withBounds, parseBound, formatSearch } from './search.js';

const PRESETS = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };

export class Filters {
  // onChange(newSearch) is called when the reader changes a control.
  constructor(root, onChange) {
    this.onChange = onChange;
    this.search = null;
    this.code = root.querySelector('#f-code');
    this.actor = root.querySelector('#f-actor');
    this.target = root.querySelector('#f-target');
    this.outcome = root.querySelector('#f-outcome');
    this.from = root.querySelector('#f-from');
    this.to = root.querySelector('#f-to');
    this.box = root.querySelector('#search');
    this.actorNames = new Map();  // actor id -> label
    this.code.addEventListener('change', () => this.set('code', this.code.value));
    this.actor.addEventListener('change', () => this.set('actor', this.actor.value));
    this.outcome.addEventListener('change', () => this.set('outcome', this.outcome.value));
    this.target.addEventListener('change', () => this.set('target', this.target.value.trim()));
    const bounds = () => this.onChange(withBounds(this.search,
      this.from.value ? toRfc3339(new Date(this.from.value)) : null,
      this.to.value ? toRfc3339(new Date(this.to.value)) : null));
    this.from.addEventListener('change', bounds);
    this.to.addEventListener('change', bounds);
    for (const b of root.querySelectorAll('[data-preset]')) {
      b.addEventListener('click', () => {
        const span = PRESETS[b.dataset.preset];
        const after = span ? toRfc3339(new Date(Math.floor((Date.now() - span) / 1000) * 1000)) : null;
        this.onChange(withBounds(this.search, after, null));
      });
    }
  }

  set(key, value) {
    this.onChange(withValue(this.search, key, value));
  }

  // The catalog (GET /v1/event-types): one group per resource, "all of it" first.
  setCatalog(groups) {
    for (const g of groups) {
      const group = el('optgroup', { label: g.resource });
      group.append(el('option', { value: `${g.resource}:*` }, `All ${g.resource} events`));
      for (const t of g.types) group.append(el('option', { value: t.code }, `${t.description} (${t.code})`));
      this.code.append(group);
    }
  }

  // Actor ids (from GET /v1/stats?group_by=actor), labelled with names as they are seen.
  setActors(ids) {
    for (const id of ids) if (!this.actorNames.has(id)) this.actorNames.set(id, null);
    this.renderActors();
  }

  learnActor(actor) {
    if (!actor || !actor.id) return false;
    const label = actor.name || actor.email || null;
    if (this.actorNames.get(actor.id) === label) return false;
    if (this.actorNames.has(actor.id) && !label) return false;
    this.actorNames.set(actor.id, label);
    return true;
  }

  renderActors() {
    if (this.locked) {
      const label = this.actorNames.get(this.locked);
      this.actor.replaceChildren(el('option', { value: this.locked }, label ? `${label} (${this.locked})` : this.locked));
      this.actor.value = this.locked;
      return;
    }
    const current = this.search ? firstValue(this.search, 'actor') : '';
    if (current && !this.actorNames.has(current)) this.actorNames.set(current, null);
    const entries = [...this.actorNames.entries()].sort((a, b) =>
      (a[1] || `~${a[0]}`).localeCompare(b[1] || `~${b[0]}`));
    this.actor.replaceChildren(el('option', { value: '' }, 'Anyone'),
      ...entries.map(([id, label]) => el('option', { value: id }, label ? `${label} (${id})` : id)));
    this.actor.value = current;
  }

  // A viewer token limited to one actor: the server applies that filter to every read.
  lockActor(id) {
    this.locked = id;
    this.renderActors();
    this.actor.disabled = true;
    this.actor.title = 'This link shows one actor’s events only';
  }

  // Sets every control from `search` without firing onChange.
  show(search) {
    this.search = search;
    const code = firstValue(search, 'code');
    if (code && ![...this.code.options].some((o) => o.value === code)) {
      this.code.append(el('option', { value: code }, code));
    }
    this.code.value = code;
    this.renderActors();
    this.target.value = firstValue(search, 'target');
    this.outcome.value = firstValue(search, 'outcome');
    const after = search.after && parseBound(search.after);
    const before = search.before && parseBound(search.before);
    this.from.value = after ? toLocalInput(after) : '';
    this.to.value = before ? toLocalInput(before) : '';
    this.box.value = formatSearch(search);
  }
}
