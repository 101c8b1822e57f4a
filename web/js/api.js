// The page's only way to the server: every call sends the reader's credential as an
// Authorization header (never in a URL), and every failure becomes an ApiError with the
// server's stable error code (docs/API.md "Errors").

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  // `org` may be null: read keys and viewer tokens read their own org.
  constructor(credential, org) {
    this.credential = credential;
    this.org = org || null;
  }

  url(path, params = {}) {
    const q = new URLSearchParams();
    if (this.org && !path.startsWith('/v1/orgs/')) q.set('org', this.org);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === '') continue;
      for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
    }
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.credential}`, ...extra };
  }

  async fetch(path, params, init = {}) {
    let response;
    try {
      response = await fetch(this.url(path, params), {
        ...init, headers: this.headers(init.headers), cache: 'no-store', referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and retry.');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async json(path, params, init) {
    return (await this.fetch(path, params, init)).json();
  }

  async text(path, params, init) {
    return (await this.fetch(path, params, init)).text();
  }

  async bytes(path, params, init) {
    return new Uint8Array(await (await this.fetch(path, params, init)).arrayBuffer());
  }
}

async function errorOf(response) {
  let code = 'http_' + response.status;
  let message = `The server answered ${response.status}.`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 429 || response.status === 503) {
    const after = response.headers.get('Retry-After');
    if (after) message += ` Retry in ${after} s.`;
  }
  return new ApiError(response.status, code, message);
}
