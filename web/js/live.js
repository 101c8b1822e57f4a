// Live mode: GET /v1/events/stream (Server-Sent Events) read with fetch, because
// EventSource cannot send an Authorization header and the credential must never be in a
// URL. Reconnects with Last-Event-ID after a drop, so nothing is missed or repeated.

export class LiveStream {
  // onEvent(event) for each event; onState('connecting'|'live'|'retrying', detail).
  constructor(api, params, { onEvent, onState, lastSeq = null }) {
    this.api = api;
    this.params = params;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastSeq = lastSeq;
    this.controller = null;
    this.stopped = false;
    this.delay = 1000;
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async run() {
    while (!this.stopped) {
      this.controller = new AbortController();
      this.onState('connecting');
      try {
        const headers = this.lastSeq === null ? {} : { 'Last-Event-ID': String(this.lastSeq) };
        const response = await this.api.fetch('/v1/events/stream', this.params, {
          headers, signal: this.controller.signal,
        });
        this.onState('live');
        this.delay = 1000;
        await this.read(response.body.getReader());
      } catch (e) {
        if (this.stopped) return;
        if (e.status && e.status >= 400 && e.status < 500 && e.status !== 429) {
          this.onState('failed', e.message);
          return;
        }
      }
      if (this.stopped) return;
      this.onState('retrying');
      await new Promise((r) => setTimeout(r, this.delay));
      this.delay = Math.min(this.delay * 2, 30000);
    }
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.frame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  // One SSE frame: "id:", "event:", "data:" lines; ":" lines are comments (pings).
  frame(text) {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    if (id !== null && /^\d+$/.test(id)) this.lastSeq = Number(id);
    if (type !== 'event') return;
    try {
      this.onEvent(JSON.parse(data.join('\n')));
    } catch {
      // a frame that is not an event: ignore it, the stream goes on
    }
  }
}
