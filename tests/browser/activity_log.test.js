// The Activity Log page in a real browser (Debian's chromium, driven by playwright-core)
// against the real `actlog serve --demo`: what issue 6's "Done when" lists. Every
// expectation about rows is compared with what the API answers for the same filter.
//
//   ACTLOG_BINARY=build/actlog SCREENSHOT_DIR=build/browser-screenshots node --test
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ApiClient } from './server.js';

const BINARY = process.env.ACTLOG_BINARY || 'build/actlog';
const SHOTS = process.env.SCREENSHOT_DIR || 'build/browser-screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server;
let browser;
let admin;    // admin key: setup only (its reads and exports are logged as admin actions)
let reader;   // read key of org_demo: what the page's rows are compared with
let token;    // viewer token of org_demo
let otherKey; // read key of another org
const problems = [];  // console errors and page errors, from every page of the run

async function openPage({ width = 1440, height = 900, fragment = '' } = {}) {
  // Not UTC, so that the date inputs (the reader's zone) and the API (UTC) must agree.
  const context = await browser.newContext({
    viewport: { width, height }, acceptDownloads: true, timezoneId: 'America/New_York',
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure() ? r.failure().errorText : '';
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${r.url()} ${why}`);
  });
  await page.goto(`${server.url}/${fragment}`);
  return page;
}

async function openLog(options = {}) {
  const page = await openPage({ ...options, fragment: `#token=${token}${options.hash ? `&${options.hash}` : ''}` });
  await settled(page);
  return page;
}

const rowIds = (page) => page.$$eval('#rows tr', (trs) => trs.map((t) => t.dataset.id));

// Waits until the table is not loading and (if given) shows exactly `expected`.
async function settled(page, expected = null, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const busy = await page.getAttribute('#table', 'aria-busy');
    const ids = await rowIds(page);
    const same = expected === null ? ids.length > 0 || !(await page.isHidden('#empty'))
      : JSON.stringify(ids) === JSON.stringify(expected);
    if (busy === 'false' && same) return ids;
    if (Date.now() > deadline) {
      assert.deepEqual(ids, expected, `the table did not settle (aria-busy=${busy})`);
      return ids;
    }
    await page.waitForTimeout(100);
  }
}

// Waits until the side panel's integrity check has an outcome; returns its text.
async function checked(page) {
  await page.waitForSelector('#detail .integrity:is(.verified, .failed, .unavailable)', { timeout: 30000 });
  return page.textContent('#detail .integrity');
}

const hashQuery = (page) => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('q') || '');

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer(BINARY);
  admin = new ApiClient(server.url, server.adminKey);
  reader = new ApiClient(server.url, (await admin.json('POST', '/v1/keys', { body: { kind: 'read', org: 'org_demo' } })).key);
  token = (await admin.json('POST', '/v1/orgs/org_demo/viewer-tokens', { body: { ttl_seconds: 3600 } })).token;
  await admin.json('POST', '/v1/orgs', { body: { org: 'org_other', name: 'Other Ltd' } });
  await admin.json('POST', '/v1/events', {
    body: {
      events: [1, 2, 3].map((i) => ({
        org: 'org_other', code: 'org.member:invited', id: `other-${i}`,
        actor: { type: 'user', id: 'usr_other', name: 'Olga Other', email: 'olga@other.example' },
        target: { type: 'org.member', id: `mem_other_${i}`, name: `Member ${i}` },
      })),
    },
  });
  otherKey = (await admin.json('POST', '/v1/keys', { body: { kind: 'read', org: 'org_other' } })).key;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

describe('the Activity Log page', () => {
  it('is served with a strict CSP and opens from the demo URL with no console errors', async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(server.demoPage, /^http:\/\/127\.0\.0\.1:\d+\/#token=actlog_vt_/);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.demoPage);
    const ids = await settled(page);
    assert.deepEqual(ids, await reader.ids({}), 'the first page is the API\'s first page');
    assert.equal(await page.evaluate(() => location.hash), '', 'the token left the address');
    assert.equal(await page.textContent('#org-name'), 'org_demo');
    await page.waitForSelector('#chart[aria-busy="false"] svg .bar');
    await page.screenshot({ path: join(SHOTS, 'main.png') });
    await page.locator('.chart-card').screenshot({ path: join(SHOTS, 'chart.png') });
    await context.close();
    assert.deepEqual(problems, []);
  });

  it('filters the rows exactly as the API does for the same filter', async () => {
    const page = await openLog();
    const sample = (await reader.events({ outcome: 'failure' }))[0];
    const cases = [
      ['#f-code', 'org.member:*', { code: 'org.member:*' }],
      ['#f-code', 'org.api_key:created', { code: 'org.api_key:created' }],
      ['#f-actor', sample.actor.id, { actor: sample.actor.id }],
      ['#f-outcome', 'failure', { outcome: 'failure' }],
    ];
    for (const [selector, value, params] of cases) {
      await page.selectOption(selector, value);
      const expected = await reader.ids(params);
      assert.ok(expected.length > 0, `the demo has events for ${JSON.stringify(params)}`);
      await settled(page, expected);
      await page.click('#clear-filters');
      await settled(page, await reader.ids({}));
    }
    // Target: a free-text id.
    await page.fill('#f-target', sample.target.id);
    await page.press('#f-target', 'Enter');
    await settled(page, await reader.ids({ target_id: sample.target.id }));
    await page.click('#clear-filters');
    // Date range: the hour around the sample (the inputs are in the browser's zone).
    const from = new Date(Date.parse(sample.occurred_at) - 30 * 60e3);
    const to = new Date(Date.parse(sample.occurred_at) + 30 * 60e3);
    // What a datetime-local input holds for that instant in the browser's zone.
    const local = (d) => page.evaluate((iso) => {
      const x = new Date(iso);
      const p = (n) => String(n).padStart(2, '0');
      return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())}T${p(x.getHours())}:${p(x.getMinutes())}:${p(x.getSeconds())}`;
    }, d.toISOString());
    assert.notEqual(await local(from), from.toISOString().slice(0, 19), 'the browser is not on UTC');
    await page.fill('#f-from', await local(from));
    await page.dispatchEvent('#f-from', 'change');
    await page.fill('#f-to', await local(to));
    await page.dispatchEvent('#f-to', 'change');
    const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');
    await settled(page, await reader.ids({ from: iso(from), to: iso(to) }));
    await page.click('#clear-filters');
    // Text search.
    await page.fill('#search', '"Bankline"');
    await page.press('#search', 'Enter');
    await settled(page, await reader.ids({ q: 'Bankline' }));
    // A bar of the chart narrows the date range to its bucket.
    await page.click('#clear-filters');
    await settled(page, await reader.ids({}));
    await page.waitForSelector('#chart[aria-busy="false"] .bar');
    const bar = page.locator('#chart .bar').first();
    const start = await bar.getAttribute('data-start');
    await bar.click();
    const q = await hashQuery(page);
    assert.match(q, /after:\S+ before:\S+/);
    const after = /after:(\S+)/.exec(q)[1];
    assert.equal(Date.parse(after), Date.parse(start));
    await settled(page, await reader.ids({ search: q }));
    await page.context().close();
  });

  it('keeps the search box, the controls and the address in step, and restores them', async () => {
    const page = await openLog();
    const actor = (await reader.events({ code: 'org.member:*' }))[0].actor.id;
    await page.fill('#search', `code:org.member:* actor:${actor} -outcome:success`);
    await page.press('#search', 'Enter');
    const expected = await reader.ids({ code: 'org.member:*', actor, search: '-outcome:success' });
    await settled(page, expected);
    assert.equal(await page.inputValue('#f-code'), 'org.member:*');
    assert.equal(await page.inputValue('#f-actor'), actor);
    assert.equal(await hashQuery(page), `code:org.member:* actor:${actor} -outcome:success`);
    // A control changes the box and the address.
    await page.selectOption('#f-code', 'org.member:signed_in');
    await settled(page, await reader.ids({ code: 'org.member:signed_in', actor, search: '-outcome:success' }));
    assert.equal(await page.inputValue('#search'), `actor:${actor} code:org.member:signed_in -outcome:success`);
    const q = await hashQuery(page);
    assert.equal(q, `actor:${actor} code:org.member:signed_in -outcome:success`);
    // Reload: the same view.
    await page.reload();
    await settled(page, await reader.ids({ search: q }));
    assert.equal(await page.inputValue('#f-code'), 'org.member:signed_in');
    assert.equal(await page.inputValue('#search'), q);
    // A shared link (a fresh browser with only the address and a token) shows the same.
    const shared = await openLog({ hash: new URLSearchParams({ q }).toString() });
    await settled(shared, await reader.ids({ search: q }));
    assert.equal(await shared.inputValue('#f-actor'), actor);
    await shared.context().close();
    // Personal data (an e-mail, free text) stays out of the address.
    const email = (await reader.events({ actor_type: 'user' }))[0].actor.email;
    await page.fill('#search', `actor_email:${email} "signed"`);
    await page.press('#search', 'Enter');
    await settled(page, await reader.ids({ actor_email: email, q: 'signed' }));
    const address = await page.evaluate(() => location.href);
    assert.ok(!address.includes(email.split('@')[0]) && !address.includes('signed'), address);
    assert.equal(await page.isVisible('#privacy-note'), true);
    await page.context().close();
  });

  it('loads older pages as the reader scrolls, and moves by keyboard', async () => {
    const page = await openLog();
    const expected = await reader.ids({}, { pages: 3 });
    for (let i = 0; i < 40 && (await rowIds(page)).length < 150; ++i) {
      await page.mouse.wheel(0, 4000);
      await page.waitForTimeout(150);
    }
    const ids = await settled(page);
    assert.ok(ids.length >= 150, `only ${ids.length} rows after scrolling`);
    assert.deepEqual(ids.slice(0, 150), expected);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(await page.getAttribute('#rows tr.selected', 'data-id'), ids[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden])');
    assert.equal(await page.textContent('#detail-title'), `Event #${(await reader.events({}, 2))[1].seq}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detail', { state: 'hidden' });
    await page.context().close();
  });

  it('shows every field, the change diff and the verified badge in the side panel', async () => {
    const page = await openLog();
    const event = (await reader.events({ code: 'deposit_account:updated' }))[0];
    await page.selectOption('#f-code', 'deposit_account:updated');
    await settled(page, await reader.ids({ code: 'deposit_account:updated' }));
    await page.click(`#rows tr[data-id="${event.id}"]`);
    await page.waitForSelector('#detail:not([hidden])');
    const diff = await page.$$eval('#detail .diff tbody tr', (trs) => trs.map((tr) =>
      [tr.querySelector('th').textContent, tr.querySelector('.before').textContent, tr.querySelector('.after').textContent]));
    const want = Object.entries(event.changes).map(([f, c]) =>
      [f, typeof c.from === 'string' ? c.from : JSON.stringify(c.from), typeof c.to === 'string' ? c.to : JSON.stringify(c.to)]);
    assert.deepEqual(diff, want);
    const text = await page.textContent('#detail-body');
    const shown = [event.id, event.actor.id, event.actor.name, event.actor.email, event.target.id,
      event.target.name, event.context && event.context.ip, event.occurred_at].filter(Boolean);
    for (const v of shown) {
      assert.ok(text.includes(v), `the panel shows ${v}`);
    }
    const integrity = await checked(page);
    assert.ok(await page.isVisible('#detail .badge.verified'), `no verified badge: ${integrity}`);
    assert.match(integrity, /inclusion proof/);
    assert.match(integrity, /signature \(Ed25519\) checked/);
    await page.screenshot({ path: join(SHOTS, 'side-panel.png') });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('#detail-copy');
    await page.waitForSelector('#toast:not([hidden])');
    assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), event);
    await page.context().close();
  });

  it('shows no verified badge when the proof does not check out', async () => {
    const page = await openLog();
    // The server's proof with one hash changed on its way to the page.
    await page.route('**/v1/events/*/proof*', async (route) => {
      const response = await route.fetch();
      const proof = await response.json();
      proof.hashes[0] = Buffer.alloc(32, 7).toString('base64');
      await route.fulfill({ response, json: proof });
    });
    await page.click('#rows tr:nth-child(4)');
    const integrity = await checked(page);
    assert.match(integrity, /Verification failed: the inclusion proof does not lead to the checkpoint root/);
    assert.equal(await page.locator('#detail .badge.verified').count(), 0);
    assert.equal(await page.isVisible('#detail .badge.failed'), true);
    await page.context().close();
  });

  it('shows erased personal values as erased, and their events still verify', async () => {
    await admin.json('POST', '/v1/events', {
      body: {
        org: 'org_demo', code: 'org.member:updated', id: 'erase-me-1',
        actor: { type: 'user', id: 'usr_erase', name: 'Erin Erased', email: 'erin@erased.example' },
        target: { type: 'org.member', id: 'mem_erase', name: 'Theo Target' },
        context: { ip: '198.51.100.77' }, changes: { role: { from: 'viewer', to: 'admin' } },
      },
    });
    await admin.request('POST', '/v1/orgs/org_demo/subjects/usr_erase:erase');
    const [event] = await reader.events({ actor: 'usr_erase' });
    assert.ok(event.erased.includes('actor.name') && event.actor.name === null, JSON.stringify(event));
    const page = await openLog({ hash: new URLSearchParams({ q: 'actor:usr_erase' }).toString() });
    await settled(page, ['erase-me-1']);
    const row = await page.textContent('#rows tr');
    assert.match(row, /erased/);
    assert.doesNotMatch(row, /Erin|erin@/);
    await page.click('#rows tr');
    const integrity = await checked(page);
    assert.ok(await page.isVisible('#detail .badge.verified'), `no verified badge: ${integrity}`);
    const panel = await page.textContent('#detail-body');
    assert.doesNotMatch(panel, /Erin|erin@|198\.51\.100\.77/);
    assert.equal(await page.locator('#detail .erased').count(), event.erased.length);
    await page.screenshot({ path: join(SHOTS, 'erased.png') });
    await page.context().close();
  });

  it('adds an event ingested during the test in live mode, without moving the view', async () => {
    const page = await openLog();
    await page.click('#live-toggle');
    await page.waitForSelector('#live-toggle[data-state="live"]');
    const id = `live-${Date.now()}`;
    await admin.json('POST', '/v1/events', {
      body: {
        org: 'org_demo', code: 'org.member:invited', id,
        actor: { type: 'user', id: 'usr_live', name: 'Lina Live', email: 'lina@example.com' },
        target: { type: 'org.member', id: 'mem_live', name: 'New Member' },
      },
    });
    await page.waitForSelector(`#rows tr[data-id="${id}"]`, { timeout: 15000 });
    assert.equal((await rowIds(page))[0], id);
    // Scrolled down: the rows in view stay in place and a pill counts the new event.
    await page.evaluate(() => window.scrollTo(0, 1200));
    await page.waitForTimeout(200);
    const anchor = await page.evaluate(() => {
      const tr = [...document.querySelectorAll('#rows tr')].find((t) => t.getBoundingClientRect().top >= 0);
      return { id: tr.dataset.id, top: tr.getBoundingClientRect().top };
    });
    const second = `${id}-2`;
    await admin.json('POST', '/v1/events', {
      body: { org: 'org_demo', code: 'org.member:joined', id: second, actor: { type: 'user', id: 'usr_live' } },
    });
    await page.waitForSelector(`#rows tr[data-id="${second}"]`, { state: 'attached', timeout: 15000 });
    const top = await page.evaluate((a) => document.querySelector(`#rows tr[data-id="${a}"]`).getBoundingClientRect().top, anchor.id);
    assert.ok(Math.abs(top - anchor.top) < 2, `the row in view moved from ${anchor.top} to ${top}`);
    assert.match(await page.textContent('#new-pill'), /1 new event/);
    await page.click('#new-pill');
    await page.waitForSelector('#new-pill', { state: 'hidden' });
    await page.context().close();
  });

  it('exports the filtered rows as CSV and JSON Lines, as the API does', async () => {
    const page = await openLog();
    await page.selectOption('#f-outcome', 'failure');
    await settled(page, await reader.ids({ outcome: 'failure' }));
    for (const format of ['csv', 'jsonl']) {
      await page.click('#export-button');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`#export-menu [data-format="${format}"]`),
      ]);
      const got = readFileSync(await download.path(), 'utf8');
      const want = (await reader.request('GET', '/v1/export', { params: { search: 'outcome:failure', format } })).text;
      assert.equal(got, want);
      assert.match(download.suggestedFilename(), new RegExp(`^actlog-org_demo-.*\\.${format}$`));
      const lines = got.trim().split('\n');
      const failures = (await reader.events({ outcome: 'failure' })).length;
      assert.equal(lines.length, format === 'csv' ? failures + 1 : failures);
    }
    await page.context().close();
  });

  it('shows a read key of another org none of this org\'s events', async () => {
    const page = await openPage();
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('#login-key', otherKey);
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector('#app:not([hidden])');
    const other = new ApiClient(server.url, otherKey);
    const ids = await settled(page, await other.ids({}));
    assert.ok(ids.includes('other-1') && ids.includes('other-3'));
    const demoIds = new Set(await reader.ids({}, { limit: 200, pages: 20 }));
    assert.ok(ids.every((id) => !demoIds.has(id)));
    assert.equal(await page.textContent('#org-name'), 'org_other');
    // Nor can that key be pointed at org_demo.
    await assert.rejects(other.ids({ org: 'org_demo' }), /403/);
    await page.context().close();
  });

  it('shows a viewer token limited to one actor only that actor\'s events', async () => {
    const actor = (await reader.events({ actor_type: 'user' }))[0].actor.id;
    const limited = (await admin.json('POST', '/v1/orgs/org_demo/viewer-tokens', {
      body: { ttl_seconds: 600, actor },
    })).token;
    const page = await openPage({ fragment: `#token=${limited}` });
    await settled(page, await reader.ids({ actor }));
    assert.equal(await page.isDisabled('#f-actor'), true);
    assert.equal(await page.inputValue('#f-actor'), actor);
    await page.selectOption('#f-outcome', 'success');
    await settled(page, await reader.ids({ actor, outcome: 'success' }));
    await page.context().close();
  });

  it('shows empty and error states, and fits a phone', async () => {
    const page = await openLog({ width: 390, height: 844 });
    await page.waitForSelector('#chart[aria-busy="false"] svg');
    await page.screenshot({ path: join(SHOTS, 'phone.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
    await page.click('#rows tr');
    await page.waitForSelector('#detail:not([hidden])');
    await page.screenshot({ path: join(SHOTS, 'phone-panel.png') });
    await page.keyboard.press('Escape');
    await page.fill('#search', '"no such text anywhere 9f2c"');
    await page.press('#search', 'Enter');
    await page.waitForSelector('#empty:not([hidden])');
    assert.match(await page.textContent('#empty'), /No events match/);
    await page.fill('#search', 'code:NOT_A_CODE');
    await page.press('#search', 'Enter');
    await page.waitForSelector('#status.error');
    assert.match(await page.textContent('#status'), /code/);
    await page.context().close();
  });

  it('logged no console errors on any page', () => {
    // The error state above answers 400 on purpose; the browser logs the failed fetch.
    const unexpected = problems.filter((p) => !/status of 400/.test(p));
    assert.deepEqual(unexpected, []);
  });
});
