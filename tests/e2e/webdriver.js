// A small W3C WebDriver client over plain fetch, for tauri-driver (which
// hands the session to WebKitWebDriver and starts the app).
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts tauri-driver through `processes` (processes.js: its own process
 * group, marked, its output through a pipe of ours) with `env`, which it
 * passes on to WebKitWebDriver and the app; resolves when it answers.
 * The caller's teardown (processes.endAll) ends it and what it started.
 */
export async function startDriver(driverBin, processes, env) {
  const port = await freePort();
  const nativePort = await freePort();
  const child = processes.spawn(driverBin, ['--port', String(port), '--native-port', String(nativePort)], { env });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/status`, { signal: AbortSignal.timeout(1_000) });
      return { url, child };
    } catch {
      await sleep(100);
    }
  }
  throw new Error('tauri-driver did not answer on ' + url);
}

export class Session {
  constructor(url, id) {
    this.url = url;
    this.id = id;
  }

  static async create(url, application) {
    const res = await fetch(`${url}/session`, {
      method: 'POST',
      signal: AbortSignal.timeout(60_000), // the app starting
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { 'tauri:options': { application } } } }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`new session: ${JSON.stringify(body)}`);
    return new Session(url, body.value.sessionId);
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.url}/session/${this.id}${path}`, {
      method,
      signal: AbortSignal.timeout(30_000), // no command waits for ever
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  }

  /** Ends the session (WebKitWebDriver then ends the app); gives up after `timeout` ms. */
  async delete(timeout = 5_000) {
    await fetch(`${this.url}/session/${this.id}`, { method: 'DELETE', signal: AbortSignal.timeout(timeout) }).catch(() => {});
  }

  exec(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return Object.values(v)[0];
  }

  async sendKeys(css, text) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/value`, { text, value: [...text] });
  }

  /** The text the app shows. */
  text() {
    return this.exec('return document.body.innerText;');
  }

  /** Waits until the app's text matches `pattern` (a RegExp); returns the time it was seen. */
  async waitText(pattern, timeout = 10_000) {
    const end = Date.now() + timeout;
    let last = '';
    for (;;) {
      last = await this.text().catch(() => '');
      if (pattern.test(last)) return Date.now();
      if (Date.now() > end) throw new Error(`app: ${pattern} not shown within ${timeout} ms`);
      await sleep(40);
    }
  }

  /** Clicks the first visible, enabled button (or link) whose text or aria-label is `name`, once it takes presses. */
  async click(name, timeout = 5_000) {
    const end = Date.now() + timeout;
    for (;;) {
      const ok = await this.exec(
        `const want = arguments[0];
         const els = [...document.querySelectorAll('button, a, [role=button], label')];
         // As a user would: not a button that holds still (aria-disabled) or is off.
         const el = els.find((e) => e.getClientRects().length > 0 && !e.disabled &&
           e.getAttribute('aria-disabled') !== 'true' &&
           ((e.innerText || '').trim() === want || e.getAttribute('aria-label') === want));
         if (!el) return false;
         el.click();
         return true;`,
        name,
      );
      if (ok) return;
      if (Date.now() > end) throw new Error(`app: no button "${name}"`);
      await sleep(50);
    }
  }
}
