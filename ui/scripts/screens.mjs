// The screenshot suite: every screen of the mocked build (dist-screens, made by
// `vite build --mode screens`) in both languages, both themes, at 360×740 and
// 1024×768, saved under ../target/ui-screens/, each checked by axe-core
// (serious or critical violations fail) and, at 360 px, for horizontal overflow.
// Runs Debian's Chromium through playwright-core; never downloads a browser.
import { createServer } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../dist-screens');
const out = resolve(here, '../../target/ui-screens');
const only = process.env.SCREENS_ONLY ? new RegExp(process.env.SCREENS_ONLY) : null;

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** A tiny static server for the built files, under a strict CSP header so a violation shows up as a page error. */
function serve() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        // The strictest policy the app runs under: no inline script or style, nothing from elsewhere.
        'content-security-policy': "default-src 'self'",
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Each screen: the mock scenario (+ query) and the steps to reach it. */
const screens = [
  { name: 'accounts', query: 'mock=main', ready: '.row' },
  { name: 'accounts-next-code', query: 'mock=main&late=1', ready: '.next.show' },
  { name: 'accounts-copied', query: 'mock=main', steps: (p) => p.locator('.row .code').first().click(), ready: '.snack' },
  { name: 'accounts-empty', query: 'mock=empty', ready: '.empty' },
  { name: 'accounts-restored', query: 'mock=restored', ready: '.restored' },
  { name: 'accounts-many', query: 'mock=many', ready: '.search' },
  {
    name: 'accounts-search',
    query: 'mock=many',
    ready: '.search',
    steps: async (p) => p.fill('.search input', 'kudus'),
  },
  { name: 'add', query: 'mock=main', steps: async (p) => p.click('.fab'), ready: '#qr-text' },
  { name: 'add-mobile', query: 'mock=main&platform=android', steps: async (p) => p.click('.fab'), ready: '.scan' },
  { name: 'add-preview-training', query: 'mock=main', steps: (p) => readText(p, 'spse training'), ready: '.preview' },
  { name: 'add-preview-replace', query: 'mock=main', steps: (p) => readText(p, 'spse replace'), ready: '.preview' },
  {
    name: 'add-success',
    query: 'mock=main',
    steps: async (p) => {
      await readText(p, 'spse');
      await p.click('.row-actions .btn.big');
    },
    ready: '.big-icon.ok',
  },
  { name: 'add-error', query: 'mock=main', steps: (p) => readText(p, 'bad text'), ready: '.big-icon.bad' },
  {
    name: 'add-manual-errors',
    query: 'mock=main',
    steps: async (p) => {
      await p.click('.fab');
      await p.locator('.option').last().click();
      await p.fill('#m-secret', 'abc1');
      await p.click('form button[type=submit]');
    },
    ready: '.field.invalid',
  },
  { name: 'login-number', query: 'mock=login', ready: 'dialog[open] #login-number' },
  {
    name: 'login-number-mismatch',
    query: 'mock=login',
    steps: async (p) => {
      await p.fill('#login-number', '17');
      await p.click('.answers .btn.filled');
    },
    ready: 'dialog[open] .field.invalid',
  },
  {
    name: 'login-approved',
    query: 'mock=login',
    steps: async (p) => {
      await p.fill('#login-number', '42');
      await p.click('.answers .btn.filled');
    },
    ready: 'dialog[open] .result.ok',
  },
  { name: 'login-expired', query: 'mock=expire', steps: (p) => p.waitForTimeout(3200), ready: 'dialog[open] .result.bad' },
  { name: 'details', query: 'mock=main', steps: (p) => p.locator('.row .more').first().click(), ready: '#d-label' },
  {
    name: 'delete-still-active',
    query: 'mock=main',
    steps: async (p) => {
      await p.locator('.row .more').first().click();
      await p.click('.danger-zone .btn');
    },
    ready: 'dialog[open] .warn-icon',
  },
  {
    name: 'delete-unknown',
    query: 'mock=main',
    steps: async (p) => {
      await p.locator('.row .more').nth(2).click();
      await p.click('.danger-zone .btn');
    },
    ready: 'dialog[open] .warn-icon',
  },
  { name: 'settings', query: 'mock=main', steps: (p) => p.click('.bar .icon-btn'), ready: '.switch' },
  {
    name: 'about',
    query: 'mock=main',
    steps: async (p) => {
      await p.click('.bar .icon-btn');
      await p.click('.option');
    },
    ready: '.lic li',
  },
];

async function readText(page, text) {
  await page.click('.fab');
  await page.fill('#qr-text', text);
  await page.click('.text-form button[type=submit]');
}

const sizes = [
  { w: 360, h: 740 },
  { w: 1024, h: 768 },
];

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
await mkdir(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const failures = [];
let shots = 0;
const started = Date.now();

/** One browser context per size, theme and language; a few run at once (2 cores: mostly waiting on the page). */
async function runCombo({ size, theme, lang }) {
  const context = await browser.newContext({
    viewport: { width: size.w, height: size.h },
    deviceScaleFactor: 1,
    colorScheme: theme,
    reducedMotion: 'reduce',
    locale: lang === 'id' ? 'id-ID' : 'en-US',
  });
  for (const s of screens) {
    const name = `${s.name}-${lang}-${theme}-${size.w}`;
    if (only && !only.test(name)) continue;
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${base}?${s.query}&lang=${lang}&theme=${theme}`);
      await page.waitForSelector('.bar');
      if (s.query.includes('login') || s.query.includes('expire')) await page.waitForSelector('dialog[open]');
      else await page.waitForFunction(() => !document.querySelector('.loading'));
      if (s.steps) await s.steps(page);
      await page.waitForSelector(s.ready, { timeout: 5000 });
      await page.waitForTimeout(150);
      // Focus moves may have scrolled; a full-page shot starts at the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      const dialog = await page.$('dialog[open]');
      // The whole page as on a screen tall enough for it: the window grows
      // to the page, so what floats at the bottom (the add button, a
      // notice) is drawn there, not over the list where the first screen
      // ended. A dialog is shot in the window as it is.
      const tall = dialog ? 0 : await page.evaluate(() => document.documentElement.scrollHeight);
      if (tall > size.h) await page.setViewportSize({ width: size.w, height: tall });
      await page.screenshot({ path: join(out, `${name}.png`) });
      if (tall > size.h) await page.setViewportSize({ width: size.w, height: size.h });
      shots += 1;

      const axe = await new AxeBuilder({ page }).analyze();
      for (const v of axe.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          failures.push(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
        }
      }
      if (size.w === 360) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) failures.push(`${name}: horizontal overflow of ${overflow}px at 360 px`);
      }
      for (const e of errors) failures.push(`${name}: page error: ${e}`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
      await page.screenshot({ path: join(out, `${name}.FAILED.png`) }).catch(() => undefined);
    } finally {
      await page.close();
    }
  }
  await context.close();
}

const combos = sizes.flatMap((size) => ['light', 'dark'].flatMap((theme) => ['id', 'en'].map((lang) => ({ size, theme, lang }))));
const WORKERS = Number(process.env.SCREENS_WORKERS ?? 3);

/** Back navigation: Escape and the history (Android's back button) return Settings → About → Settings → list. */
async function checkBack() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  try {
    await page.goto(`${base}?mock=main&lang=en&theme=light`);
    await page.waitForSelector('.row');
    await page.click('.bar .icon-btn');
    await page.click('.option');
    await page.waitForSelector('.lic li');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.switch');
    await page.goBack();
    await page.waitForSelector('.row');
    await page.click('.fab');
    await page.waitForSelector('#qr-text');
    await page.click('.bar .icon-btn');
    await page.waitForSelector('.row');
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    if (focused !== 'H1') failures.push(`back navigation: focus on ${focused}, not the list's heading`);
  } catch (err) {
    failures.push(`back navigation: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  } finally {
    await context.close();
  }
}

try {
  await checkBack();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let c = combos.shift(); c; c = combos.shift()) await runCombo(c);
    }),
  );
} finally {
  await browser.close();
  server.close();
}

console.log(`${shots} screenshots in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (failures.length > 0) {
  console.error(`${failures.length} problem(s):\n` + failures.map((f) => `  - ${f}`).join('\n'));
  process.exit(1);
}
console.log('axe-core: no serious or critical violations; no horizontal overflow at 360 px');
