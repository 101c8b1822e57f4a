// The timeline above the table: events per hour or day from GET /v1/stats, stacked by
// resource type, drawn as SVG by this file. Clicking a bar narrows the date range to it.
import { el, svg, plural } from './format.js';

const HEIGHT = 132;
const PAD = { top: 8, right: 8, bottom: 22, left: 36 };
const MAX_SERIES = 8;  // the largest resources get a colour each; the rest are "other"
const HOUR = 3600e3;
const DAY = 86400e3;

// Buckets from the first to the last, gaps filled with zeros (the server sends only
// buckets with events).
function continuous(data, step) {
  if (data.length === 0) return [];
  const byTime = new Map(data.map((b) => [Date.parse(b.bucket), b.counts]));
  const first = Date.parse(data[0].bucket);
  const last = Date.parse(data[data.length - 1].bucket);
  const out = [];
  for (let t = first; t <= last && out.length < 2000; t += step) {
    out.push({ start: t, counts: byTime.get(t) || {} });
  }
  return out;
}

function series(buckets) {
  const totals = new Map();
  for (const b of buckets) {
    for (const [k, n] of Object.entries(b.counts)) totals.set(k, (totals.get(k) || 0) + n);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const named = ranked.slice(0, MAX_SERIES);
  return { named, hasOther: ranked.length > MAX_SERIES };
}

// Hours in the reader's zone; days are the server's UTC days, so they are named in UTC.
const tickFormat = {
  hour: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  day: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
};
const fullFormat = {
  hour: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
  day: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }),
};

// Draws `stats` (the /v1/stats answer, group_by=resource) into `container` and the
// legend into `legend`. onPick(startDate, endDate) is called when a bar is clicked.
export function drawChart(container, legend, stats, bucket, onPick) {
  container.replaceChildren();
  legend.replaceChildren();
  const step = bucket === 'hour' ? HOUR : DAY;
  const buckets = continuous(stats.data, step);
  if (buckets.length === 0) {
    container.append(el('p', { class: 'chart-empty' }, 'No events in this range.'));
    return;
  }
  const { named, hasOther } = series(buckets);
  const keyOf = (k) => (named.includes(k) ? k : 'other');
  const keys = hasOther ? [...named, 'other'] : named;
  const width = Math.max(container.clientWidth, 280);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const stacks = buckets.map((b) => {
    const parts = new Map();
    for (const [k, n] of Object.entries(b.counts)) parts.set(keyOf(k), (parts.get(keyOf(k)) || 0) + n);
    let total = 0;
    for (const n of parts.values()) total += n;
    return { ...b, parts, total };
  });
  const max = Math.max(1, ...stacks.map((s) => s.total));
  const slot = plotW / stacks.length;
  const barW = Math.max(1, Math.min(48, slot * 0.78));
  const root = svg('svg', {
    width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'chart-svg',
  });
  // Horizontal guides at 0, half and the maximum (half only when it is a whole number).
  for (const frac of max % 2 === 0 ? [0, 0.5, 1] : [0, 1]) {
    const y = PAD.top + plotH * (1 - frac);
    root.append(svg('line', { x1: PAD.left, x2: width - PAD.right, y1: y, y2: y, class: 'guide' }));
    root.append(svg('text', { x: PAD.left - 6, y: y + 3, class: 'axis', 'text-anchor': 'end' },
      Math.round(max * frac).toLocaleString()));
  }
  const ticks = Math.max(1, Math.floor(plotW / 90));
  const every = Math.max(1, Math.ceil(stacks.length / ticks));
  stacks.forEach((s, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const group = svg('g', {
      class: 'bar', tabindex: 0, role: 'button', 'data-start': new Date(s.start).toISOString(),
      'aria-label': `${fullFormat[bucket].format(s.start)}: ${plural(s.total, 'event')}`,
    });
    const lines = [`${fullFormat[bucket].format(s.start)} — ${plural(s.total, 'event')}`];
    let y = PAD.top + plotH;
    // A bar with events is at least 2 px tall, however small beside the largest.
    const stretch = s.total > 0 ? Math.max(1, 2 / ((s.total / max) * plotH)) : 1;
    keys.forEach((k, ki) => {
      const n = s.parts.get(k) || 0;
      if (n === 0) return;
      const h = (n / max) * plotH * stretch;
      y -= h;
      group.append(svg('rect', { x, y, width: barW, height: h, class: `s${ki}` }));
      lines.push(`${k}: ${n.toLocaleString()}`);
    });
    // A transparent hit area the full height of the plot, so thin bars are easy to click.
    group.append(svg('rect', { x: PAD.left + i * slot, y: PAD.top, width: slot, height: plotH, class: 'hit' }));
    group.append(svg('title', {}, lines.join('\n')));
    const pick = () => onPick(new Date(s.start), new Date(s.start + step));
    group.addEventListener('click', pick);
    group.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
    root.append(group);
    if (i % every === 0) {
      root.append(svg('text', { x: x + barW / 2, y: HEIGHT - 6, class: 'axis', 'text-anchor': 'middle' },
        tickFormat[bucket].format(s.start)));
    }
  });
  container.append(root);
  keys.forEach((k, ki) => legend.append(el('span', { class: 'key' }, el('i', { class: `s${ki}` }), k)));
}

// Day buckets unless the range is three days or less, or the days with events span
// three days or less: then hours.
export function chooseBucket(after, before, dayStats) {
  if (after && before && before - after <= 3 * DAY) return 'hour';
  const days = dayStats ? dayStats.data : [];
  if (days.length > 0 &&
      Date.parse(days[days.length - 1].bucket) - Date.parse(days[0].bucket) < 3 * DAY) return 'hour';
  return 'day';
}
