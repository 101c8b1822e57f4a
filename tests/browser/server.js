// Starts the real `actlog serve --demo` on a free port with a fresh data directory, and
// talks to its API the way the tests compare against: plain fetch with a key.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

export async function startServer(binary) {
  const dataDir = mkdtempSync(join(tmpdir(), 'actlog-browser-'));
  const child = spawn(binary, ['serve', '--demo', '--data', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const url = /listening on (http:\/\/\S+)/.exec(stdout);
      const key = /admin key: (\S+)/.exec(stdout);
      const page = /web page: (\S+)/.exec(stdout);
      if (url && key && page) resolve({ url: url[1], adminKey: key[1], demoPage: page[1] });
    });
    child.on('exit', (code) => reject(new Error(`actlog serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  const timeout = new Promise((_, reject) => setTimeout(
    () => reject(new Error(`actlog serve did not start in 60 s:\n${stdout}\n${stderr}`)), 60000));
  const info = await Promise.race([ready, timeout]);
  return {
    ...info,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A small client of the API with one key.
export class ApiClient {
  constructor(base, key) {
    this.base = base;
    this.key = key;
  }

  async request(method, path, { params = {}, body } = {}) {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(params)) {
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
    }
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url.pathname}${url.search}: ${response.status} ${text}`);
    return { response, text };
  }

  async json(method, path, options) {
    return JSON.parse((await this.request(method, path, options)).text);
  }

  // The first `pages` pages of GET /v1/events with `params`, as event ids.
  async ids(params, { limit = 50, pages = 1 } = {}) {
    const ids = [];
    let cursor = null;
    for (let i = 0; i < pages; ++i) {
      const page = await this.json('GET', '/v1/events', { params: { ...params, limit, ...(cursor ? { cursor } : {}) } });
      ids.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return ids;
  }

  async events(params, limit = 200) {
    return (await this.json('GET', '/v1/events', { params: { ...params, limit } })).data;
  }
}
