// The screenshot suite: every screen of the mocked build (dist-screens, made by
// `vite build --mode screens`) in both languages, both themes, at 360×740 and
// 1024×768 (the desktop screens marked `wide` at 1280×800 too), saved under
// ../target/ui-screens/, each checked by axe-core
// (serious or critical violations fail) and, at 360 px, for horizontal overflow.
// Then the phone as Android draws it edge-to-edge (phone-insets-*): a 24 px
// status bar and a 48 px navigation bar given to the page as safe-area insets
// (Chrome DevTools Protocol), and for the login sheet an open keyboard (the
// viewport 300 px shorter); the run fails when the header's title, the add
// button, the sheet's who/where line, number field, Ya, Tidak or Bukan saya
// are covered by a bar or the keyboard, clipped, or off screen. And the
// scanner's overlay (Batal, Back, Escape, a photo instead) and the startup
// error's "Coba lagi" are driven in the page.
// Runs Debian's Chromium through playwright-core; never downloads a browser.
import { createServer } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  { name: 'accounts', query: 'mock=main', ready: '.row', wide: true },
  { name: 'accounts-next-code', query: 'mock=main&late=1', ready: '.next.show' },
  { name: 'accounts-copied', query: 'mock=main', steps: (p) => p.locator('.row .code').first().click(), ready: '.snack' },
  // The mouse over a code: the copy hint.
  { name: 'accounts-copy-hint', query: 'mock=main', steps: (p) => p.hover('.row .code'), ready: '.row .code:hover', wide: true },
  { name: 'accounts-empty', query: 'mock=empty', ready: '.empty' },
  { name: 'accounts-restored', query: 'mock=restored', ready: '.restored' },
  // A site that sent too many logins: its prompts paused, said on its card with "Tampilkan lagi" (F-02).
  { name: 'accounts-paused', query: 'mock=paused', ready: '.paused', wide: true },
  // An account whose prompts were put aside ("Nanti"): a quiet line on its row.
  { name: 'accounts-snoozed', query: 'mock=snoozed', ready: '.snooze-note', wide: true },
  // The search: in the list on a phone, in the top bar from 900 px (whichever shows).
  { name: 'accounts-many', query: 'mock=many', ready: 'input[type=search]:visible', wide: true },
  {
    name: 'accounts-search',
    wide: true,
    query: 'mock=many',
    ready: 'input[type=search]:visible',
    steps: async (p) => p.fill('input[type=search]:visible', 'kudus'),
  },
  { name: 'add', query: 'mock=main', steps: async (p) => p.click(ADD), ready: '#qr-text', wide: true },
  { name: 'add-mobile', query: 'mock=main&platform=android', steps: async (p) => p.click(ADD), ready: '.scan' },
  { name: 'add-preview-training', query: 'mock=main', steps: (p) => readText(p, 'spse training'), ready: '.preview' },
  { name: 'add-preview-replace', query: 'mock=main', steps: (p) => readText(p, 'spse replace'), ready: '.preview' },
  // An export holding two accounts already here (F-18): each is named, with its label.
  { name: 'add-preview-migration-replace', query: 'mock=main', steps: (p) => readText(p, 'migration replace'), ready: 'ul.replaced li:nth-child(2)' },
  {
    name: 'add-success',
    query: 'mock=main',
    steps: async (p) => {
      await readText(p, 'spse');
      await p.click('.add-btn:not(.held)');
    },
    ready: '.big-icon.ok',
  },
  { name: 'add-error', query: 'mock=main', steps: (p) => readText(p, 'bad text'), ready: '.big-icon.bad' },
  // A link opened while a preview is on screen: it waits below, the preview stays.
  {
    name: 'add-link-queued',
    query: 'mock=main',
    steps: async (p) => {
      await readText(p, 'spse');
      await p.waitForSelector('.preview');
      await p.evaluate(() => globalThis.__emit('link', { preview: { handle: 'h-evil', kind: 'spse', server: 'https://lpse-kudus.example', training: false, replaces: [], accounts: [{ issuer: 'SPSE', name: 'PPK2', kind: 'totp', digits: 6, period: 30 }] }, error: null }));
    },
    ready: '.queued',
  },
  {
    name: 'add-manual-errors',
    query: 'mock=main',
    steps: async (p) => {
      await p.click(ADD);
      await p.locator('.option').last().click();
      await p.fill('#m-secret', 'abc1');
      await p.click('form button[type=submit]');
    },
    ready: '.field.invalid',
  },
  { name: 'login-number', query: 'mock=login', ready: 'dialog[open] #login-number', wide: true },
  // F-15: a training server on the LAN that names itself like a ministry: the host leads, the training mark on top.
  { name: 'login-training', query: 'mock=login&site=training', ready: 'dialog[open] #login-training' },
  // "Sembunyikan 15 menit" ("Nanti"): the sheet closes, the row says so, the snackbar says until when.
  {
    name: 'login-put-aside',
    query: 'mock=login',
    steps: async (p) => {
      await armed(p);
      await p.click('dialog[open] .acts .later');
    },
    ready: '.snooze-note',
  },
  {
    name: 'login-number-mismatch',
    query: 'mock=login',
    steps: async (p) => {
      await armed(p);
      await p.fill('#login-number', '17');
      await p.click('.answers .btn.yes');
    },
    ready: 'dialog[open] .field.invalid',
  },
  // The second mismatch: the login may be someone else's; "Bukan saya" leads, no more retries.
  {
    name: 'login-number-suspect',
    query: 'mock=login',
    steps: async (p) => {
      await armed(p);
      await p.fill('#login-number', '17');
      await p.click('.answers .btn.yes');
      await p.waitForSelector('dialog[open] .field.invalid');
      await p.fill('#login-number', '71');
      await p.click('.answers .btn.yes');
    },
    ready: 'dialog[open] .suspect',
  },
  {
    name: 'login-approved',
    query: 'mock=login',
    steps: async (p) => {
      await armed(p);
      await p.fill('#login-number', '42');
      await p.click('.answers .btn.yes');
    },
    ready: 'dialog[open] .result.ok',
  },
  { name: 'login-expired', query: 'mock=expire', steps: (p) => p.waitForTimeout(3200), ready: 'dialog[open] .result.bad' },
  // The last 10 s: the bar and the seconds in the warning colour, thicker, in a container.
  { name: 'login-urgent', query: 'mock=expire', ready: 'dialog[open] .countdown.urgent' },
  // A login the site asks no number for: marked weaker, and "Ya" asks again.
  { name: 'login-weak', query: 'mock=weak', ready: 'dialog[open] .weak' },
  {
    name: 'login-confirm',
    query: 'mock=weak',
    steps: async (p) => {
      await armed(p);
      await p.click('.answers .btn.yes');
    },
    ready: 'dialog[open] .confirm-yes',
  },
  // Two logins waiting: after the first one's "OK" the sheet closes and the second is offered.
  {
    name: 'login-next-offered',
    query: 'mock=pair',
    steps: async (p) => {
      await armed(p);
      await p.click('.answers .btn.yes');
      await p.waitForSelector('.confirm-yes');
      await armed(p);
      await p.click('.confirm-yes');
      await p.click('dialog[open] .result .btn.big');
      await p.waitForSelector('dialog[open]', { state: 'detached' }).catch(() => undefined);
      await p.waitForFunction(() => !document.querySelector('dialog[open]'));
    },
    ready: '.show-next',
  },
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
  // A site that says TOTP is off: the row's "Hapus akun" opens the (safe) delete at once.
  {
    name: 'delete-safe',
    query: 'mock=main',
    steps: (p) => p.click('.row .del'),
    ready: 'dialog[open] .btn.danger',
  },
  { name: 'startup-error', query: 'mock=keystore', ready: '.startup' },
  // A desktop (Linux): screenshot protection's hint, then the tray: keep running when closed, start at login.
  { name: 'settings', query: 'mock=main', steps: (p) => p.click(SETTINGS), ready: '#s-start', wide: true },
  { name: 'settings-large', query: 'mock=main&text=large', steps: (p) => p.click(SETTINGS), ready: '#s-start' },
  // Android: "Pemberitahuan login", whether login requests reach the phone while the app is closed, in each state.
  { name: 'settings-android-on', query: 'mock=main&platform=android&push=on', steps: (p) => p.click(SETTINGS), ready: '.push-icon.ok' },
  { name: 'settings-android-nodistributor', query: 'mock=main&platform=android&push=noDistributor', steps: (p) => p.click(SETTINGS), ready: '.push-icon.warn' },
  { name: 'settings-android-nodistributor-large', query: 'mock=main&platform=android&push=noDistributor&text=large', steps: (p) => p.click(SETTINGS), ready: '.push-icon.warn' },
  { name: 'settings-android-unasked', query: 'mock=main&platform=android&push=notificationsUnasked', steps: (p) => p.click(SETTINGS), ready: '.push .allow' },
  { name: 'settings-android-denied', query: 'mock=main&platform=android&push=notificationsDenied', steps: (p) => p.click(SETTINGS), ready: '.push-icon.warn' },
  // The first account on an SPSE site, on a phone the system has not asked about notifications yet: "Izinkan pemberitahuan?".
  { name: 'notify-dialog', query: 'mock=empty&platform=android&push=notificationsUnasked', steps: (p) => enrollByPhoto(p), ready: 'dialog[open] #notify-title' },
  // F-16: on Windows (and macOS) the window is left out of screenshots and screen sharing; the hint says so.
  { name: 'settings-windows', query: 'mock=main&platform=windows', steps: (p) => p.click(SETTINGS), ready: '.switch' },
  // Backup and restore (Settings › Cadangan & pulihkan): the four sections, the password's strength, the
  // restore and import flows (password, wrong password, the preview, each error), the export's warning.
  { name: 'accounts-backup-changed', query: 'mock=main&backup=changed', ready: '.backup-note', wide: true },
  { name: 'accounts-backup-never', query: 'mock=main&backup=never', ready: '.backup-note' },
  { name: 'backup', query: 'mock=main&backup=changed', steps: (p) => toBackup(p), ready: '#export-title', wide: true },
  { name: 'backup-large', query: 'mock=main&backup=changed&text=large', steps: (p) => toBackup(p), ready: '#export-title' },
  { name: 'backup-empty', query: 'mock=empty', steps: (p) => toBackup(p), ready: '#restore-title' },
  {
    name: 'backup-strength',
    query: 'mock=main',
    steps: async (p) => {
      await toBackup(p);
      await p.fill('#b-pass', 'pokja kudus 2026');
      await p.fill('#b-pass2', 'pokja kudus 2025');
    },
    ready: '#b-pass2-err',
  },
  { name: 'backup-weak', query: 'mock=main', steps: async (p) => (await toBackup(p), p.fill('#b-pass', 'kudus2026')), ready: '.meter[data-level=weak]' },
  {
    name: 'backup-saved',
    query: 'mock=main&backup=changed',
    steps: async (p) => {
      await toBackup(p);
      await p.fill('#b-pass', 'pokja kudus 2026');
      await p.fill('#b-pass2', 'pokja kudus 2026');
      await p.click('.btn.make');
    },
    ready: '.snack',
  },
  { name: 'restore-password', query: 'mock=main', steps: (p) => pickBackupFile(p, 'restore', 'spse'), ready: '#unlock-pass' },
  {
    name: 'restore-wrong-password',
    query: 'mock=main',
    steps: async (p) => {
      await pickBackupFile(p, 'restore', 'spse');
      await p.fill('#unlock-pass', 'salah');
      await p.click('.btn.unlock');
    },
    ready: '#unlock-err',
  },
  { name: 'restore-preview', query: 'mock=main', steps: (p) => unlockBackup(p, 'spse'), ready: '.confirm-import', wide: true },
  { name: 'restore-preview-empty', query: 'mock=empty', steps: (p) => unlockBackup(p, 'spse'), ready: '.confirm-import' },
  {
    name: 'restore-done',
    query: 'mock=main',
    steps: async (p) => {
      await unlockBackup(p, 'spse');
      await p.click('.confirm-import');
    },
    ready: '.snack',
  },
  { name: 'restore-newer', query: 'mock=main', steps: (p) => unlockBackup(p, 'newer'), ready: '.other-file' },
  { name: 'restore-damaged', query: 'mock=main', steps: (p) => unlockBackup(p, 'damaged'), ready: '.other-file' },
  { name: 'import-preview', query: 'mock=main', steps: (p) => pickBackupFile(p, 'import', 'aegis'), ready: '.confirm-import', wide: true },
  { name: 'import-preview-large', query: 'mock=main&text=large', steps: (p) => pickBackupFile(p, 'import', 'aegis'), ready: '.confirm-import' },
  { name: 'import-encrypted', query: 'mock=main', steps: (p) => pickBackupFile(p, 'import', 'aegisEncrypted'), ready: '#unlock-pass' },
  { name: 'import-all-here', query: 'mock=main', steps: (p) => pickBackupFile(p, 'import', 'allhere'), ready: '.notice.info' },
  { name: 'import-memory', query: 'mock=main', steps: (p) => unlockBackup(p, 'memory', 'import'), ready: '.other-file' },
  { name: 'import-unrecognised', query: 'mock=main', steps: (p) => pickBackupFile(p, 'import', 'foto liburan'), ready: '.other-file' },
  {
    name: 'export-plain-warning',
    query: 'mock=main',
    steps: async (p) => {
      await toBackup(p);
      await p.check('input[name=export-format][value=aegisPlain]');
      await p.click('.btn.export');
    },
    ready: 'dialog[open] .plain-go',
  },
  {
    name: 'export-done',
    query: 'mock=main',
    steps: async (p) => {
      await toBackup(p);
      await p.fill('#e-pass', 'pindah ke aegis 2026');
      await p.fill('#e-pass2', 'pindah ke aegis 2026');
      await p.click('.btn.export');
    },
    ready: '.snack',
  },
  // The vault changed outside the app: "Pulihkan dari berkas cadangan" sets it aside, then the restore.
  { name: 'startup-vault-tampered', query: 'mock=tampered', ready: '.restore-btn' },
  { name: 'startup-vault-restore', query: 'mock=tampered', steps: (p) => p.click('.restore-btn'), ready: '.snack' },
  {
    name: 'about',
    query: 'mock=main',
    steps: async (p) => {
      await p.click('.bar .icon-btn');
      await p.click('.option.about-row');
    },
    ready: '.lic li',
  },
  // The open-source licences at 150 % text: the largest group opened, its packages listed.
  {
    name: 'about-licences-xlarge',
    query: 'mock=main&text=xlarge',
    steps: async (p) => {
      await p.click('.bar .icon-btn');
      await p.click('.option.about-row');
      await p.locator('.lic .group summary').first().scrollIntoViewIfNeeded();
      await p.click('.lic .group summary');
    },
    ready: '.lic .pkgs li',
  },
];

/** "Tambah akun": the floating button on a phone, the top bar's from 900 px. */
const ADD = '.fab:visible, .bar .bar-add:visible';
/** The top bar's settings button. */
const SETTINGS = '.bar .icon-btn[aria-label="Pengaturan"], .bar .icon-btn[aria-label="Settings"]';

/** The mock scenarios that raise the login sheet at start. */
const SHEET = /mock=(login|expire|weak|pair|twins)\b/;

/** Waits until the sheet's answers take presses (the hold after they appear is over). */
const armed = (p) => p.waitForSelector('dialog[open] .answers:not(.held)');

/** A tiny PNG the mock reads as an SPSE activation QR (on android, sent as base64). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** Android: an account added from a photo of its activation QR ("Tambah akun", the photo, "Tambah"), up to "Akun pada … berhasil ditambahkan". */
async function enrollByPhoto(page) {
  await page.click('.empty .btn, .fab:visible');
  await page.waitForSelector('.scan');
  await page.setInputFiles('input[type=file]', { name: 'aktivasi.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('.preview');
  await page.click('.add-btn:not(.held)');
  await page.waitForSelector('.big-icon.ok');
}

/** Settings › Cadangan & pulihkan. */
async function toBackup(page) {
  await page.click(SETTINGS);
  await page.click('.backup-row');
  await page.waitForSelector('#restore-title');
}

/** A file picked in the backup view's restore or import section (the bytes name what the mock makes of it). */
async function pickBackupFile(page, section, content) {
  await toBackup(page);
  const chooser = page.waitForEvent('filechooser');
  await page.click(section === 'restore' ? '.pick-restore' : '.pick-import');
  await (await chooser).setFiles({ name: `${content}.bin`, mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
}

/** An encrypted file picked and its (right) password typed. */
async function unlockBackup(page, content, section = 'restore') {
  await pickBackupFile(page, section, content);
  await page.fill('#unlock-pass', 'kata sandi kantor');
  await page.click('.btn.unlock');
}

async function readText(page, text) {
  await page.click(ADD);
  await page.fill('#qr-text', text);
  await page.click('.text-form button[type=submit]');
}

const sizes = [
  { w: 360, h: 740 },
  { w: 1024, h: 768 },
  // A maximised desktop window: only the screens marked `wide` (the list, the sheet, add, settings).
  { w: 1280, h: 800, wide: true },
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
    if (size.wide && !s.wide) continue;
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${base}?${s.query}&lang=${lang}&theme=${theme}`);
      await page.waitForSelector('.bar');
      if (s.query.includes('text=')) await page.waitForSelector('html[data-text]', { state: 'attached' });
      if (SHEET.test(s.query)) await page.waitForSelector('dialog[open]');
      else await page.waitForFunction(() => !document.querySelector('.loading'));
      if (s.steps) await s.steps(page);
      await page.waitForSelector(s.ready, { timeout: 5000 });
      // The answers as the user meets them once the hold is over (held, they are greyed).
      await page.waitForFunction(() => !document.querySelector('dialog[open] .held, .add-btn.held'));
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
      if (lang === 'id') for (const e of await englishIn(page)) failures.push(`${name}: English in the Indonesian screen: ${e}`);
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

/**
 * English inside an Indonesian screen: text (seen or read out: labels too)
 * outside an element marked `lang="en"`, with an English word or unit in it
 * ("Rincian: not an otpauth…", "30 s", "Firefox on Windows"). The site's
 * own button names in quotes ("Enable TOTP", "Disable TOTP", "Reset TOTP"),
 * "User ID" and the app's name are Indonesian usage, and pass; so does what
 * is marked `translate="no"` (package names, SPDX expressions).
 */
function englishIn(page) {
  return page.evaluate(() => {
    const ENGLISH = /\b(the|and|is|are|was|of|on|to|with|your|you|not|an|could|please|failed|invalid|payload|detail|seconds?|error)\b|\b\d+\s?s\b/i;
    const ALLOWED = /“(Enable|Disable|Reset) TOTP”|Reset TOTP|User ID|SPSE Auth/g;
    const found = new Set();
    const look = (text, el) => {
      const t = text.replace(ALLOWED, '').trim();
      if (t && ENGLISH.test(t) && !el.closest('[lang="en"], [translate="no"]')) found.add(`"${text.trim().slice(0, 80)}"`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('script, style')) continue;
      look(n.textContent, n.parentElement);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const a of ['aria-label', 'placeholder', 'title']) if (el.getAttribute(a)) look(el.getAttribute(a), el);
    }
    return [...found];
  });
}

// ---- the phone, edge-to-edge: safe-area insets, the keyboard ----

const PHONE = { w: 360, h: 740 };
const STATUS_BAR = 24;
const NAV_BAR = 48;
const KEYBOARD = 300;

/**
 * Each phone screen: what must stay uncovered (`targets`, CSS selectors),
 * and whether the keyboard is up (the number field focused first, then the
 * web view shortened by the keyboard, as on the phone).
 */
const loginTargets = ['#login-desc', '#login-number', '.answers .btn.no', '.answers .btn.yes', '.acts .btn.notme'];
/** With room (no keyboard), the site's own name, the device line and "Nanti" too. */
const loginTargetsAll = [...loginTargets, '#login-name', '.acts .device', '.acts .later'];
/** At 150 % text without the keyboard: the answers and "Nanti" (the site's name and the device line may step aside). */
const loginTargetsXlarge = [...loginTargets, '.acts .later'];
/** A training site's sheet: the mark at the top, whatever the text size or the keyboard. */
const trainingTargets = [...loginTargets, '#login-training'];
const weakTargets = ['#login-desc', '.weak .title-s', '.answers .btn.no', '.answers .btn.yes', '.acts .btn.notme'];
const phoneScreens = [
  { name: 'accounts', query: 'mock=main', ready: '.row', targets: ['.bar .title', '.bar .icon-btn', '.fab'] },
  { name: 'accounts-large', query: 'mock=main&text=large', ready: '.row', targets: ['.bar .title', '.fab'] },
  { name: 'accounts-many-xlarge', query: 'mock=many&text=xlarge', ready: '.row', targets: ['.bar .title', '.fab'] },
  {
    name: 'add',
    query: 'mock=main',
    steps: (p) => p.click(ADD),
    ready: '.scan',
    targets: ['.bar .title', '.bar .icon-btn', '.scan'],
    // The page's end scrolls clear of the navigation bar.
    bottom: '.page .option:last-of-type',
  },
  // The login sheet at 100, 130 and 150 % text, with the keyboard up or not, with short and long names
  // ("LPSE Kementerian Pekerjaan Umum dan Perumahan Rakyat", an 18-digit NIP): every answer fully on screen.
  // At 150 % the site's own name may step aside and the device line move into the body (fit() in LoginSheet.svelte);
  // "Nanti" stays under the answers, except with the keyboard up (then at the end of the body).
  ...[
    ['', '', loginTargetsAll],
    ['-large', '&text=large', loginTargetsAll],
    ['-xlarge', '&text=xlarge', loginTargetsXlarge],
  ].flatMap(([size, text, all]) =>
    [
      ['', ''],
      ['-long', '&site=long'],
    ].flatMap(([names, site]) => [
      { name: `login${names}${size}`, query: `mock=login${site}${text}`, ready: 'dialog[open] #login-number', targets: all },
      { name: `login${names}${size}-keyboard`, query: `mock=login${site}${text}`, ready: 'dialog[open] #login-number', keyboard: true, targets: loginTargets },
    ]),
  ),
  { name: 'login-weak-xlarge', query: 'mock=weak&site=long&text=xlarge', ready: 'dialog[open] .weak', targets: weakTargets },
  // F-15 at 150 % text, with and without the keyboard: the host, the training mark, the answers (and "Nanti" with room).
  { name: 'login-training-xlarge', query: 'mock=login&site=training&text=xlarge', ready: 'dialog[open] #login-training', targets: [...trainingTargets, '.acts .later'] },
  { name: 'login-training-xlarge-keyboard', query: 'mock=login&site=training&text=xlarge', ready: 'dialog[open] #login-training', keyboard: true, targets: trainingTargets },
  // A paused site and an account put aside, at 150 % text: what holds the prompts back and "Tampilkan lagi" on screen.
  { name: 'accounts-paused-xlarge', query: 'mock=paused&text=xlarge', ready: '.paused', targets: ['.bar .title', '.paused p', '.paused .show-again'] },
  { name: 'accounts-snoozed-xlarge', query: 'mock=snoozed&text=xlarge', ready: '.snooze-note', targets: ['.bar .title', '.snooze-note span', '.snooze-note .show-again'] },
  {
    name: 'scan',
    query: 'mock=main',
    steps: async (p) => {
      await p.click(ADD);
      await p.click('.scan');
    },
    ready: 'dialog.scanner[open]',
    camera: true,
    targets: ['#scan-title', '#scan-instruction', '.scanner .photo', '.scanner .cancel'],
  },
  {
    name: 'nocamera',
    query: 'mock=main&camera=none',
    steps: (p) => p.click(ADD),
    ready: '.scan-notice',
    targets: ['.bar .title', '.scan-notice', '#photo-button'],
  },
  {
    name: 'denied',
    query: 'mock=main&camera=denied',
    steps: async (p) => {
      await p.click(ADD);
      await p.click('.scan');
    },
    ready: '.scan-notice',
    targets: ['.bar .title', '.scan-notice .btn', '.scan'],
  },
  { name: 'startup-error', query: 'mock=keystore', ready: '.startup', targets: ['.bar .title', '#startup-title', '.startup .btn'] },
  // Backup: the password fields with the keyboard up (the field, its strength words; the file's password and "Buka berkas").
  {
    name: 'backup-keyboard',
    query: 'mock=main',
    steps: async (p) => (await toBackup(p), p.fill('#b-pass', 'Kudus2026')),
    ready: '#b-pass-meter',
    keyboard: '#b-pass',
    targets: ['.bar .title', '#b-pass', '#b-pass-meter'],
  },
  { name: 'backup-xlarge', query: 'mock=main&backup=changed&text=xlarge', steps: (p) => toBackup(p), ready: '#make-title', targets: ['.bar .title', '#make-title'] },
  {
    name: 'restore-password-keyboard',
    query: 'mock=main',
    steps: (p) => pickBackupFile(p, 'restore', 'spse'),
    ready: '#unlock-pass',
    keyboard: '#unlock-pass',
    targets: ['#unlock-pass', '.btn.unlock'],
  },
  {
    name: 'restore-password-xlarge-keyboard',
    query: 'mock=main&text=xlarge',
    steps: (p) => pickBackupFile(p, 'restore', 'spse'),
    ready: '#unlock-pass',
    keyboard: '#unlock-pass',
    targets: ['#unlock-pass', '.btn.unlock'],
  },
  {
    name: 'export-keyboard',
    query: 'mock=main',
    steps: async (p) => (await toBackup(p), p.fill('#e-pass', 'pindah ke aegis 2026')),
    ready: '#e-pass-meter',
    keyboard: '#e-pass',
    targets: ['#e-pass', '#e-pass-meter'],
  },
  { name: 'restore-preview-xlarge', query: 'mock=main&text=xlarge', steps: (p) => unlockBackup(p, 'spse'), ready: '.confirm-import', targets: ['.bar .title', '#flow-title'], bottom: '.confirm-import' },
  { name: 'startup-vault-tampered-large', query: 'mock=tampered&text=large', ready: '.restore-btn', targets: ['.bar .title', '#startup-title', '.startup .btn.big', '.restore-btn'] },
  // "Pemberitahuan login" at 130 % text: the state, what to do, and "Izinkan pemberitahuan" on screen.
  {
    name: 'settings-nodistributor-large',
    query: 'mock=main&push=noDistributor&text=large',
    steps: (p) => p.click(SETTINGS),
    ready: '.push-icon.warn',
    targets: ['.bar .title', '#push-title', '.push-icon', '.push-text'],
  },
  {
    name: 'settings-unasked-large',
    query: 'mock=main&push=notificationsUnasked&text=large',
    steps: (p) => p.click(SETTINGS),
    ready: '.push .allow',
    targets: ['.bar .title', '.push-text', '.push .allow'],
  },
  // "Izinkan pemberitahuan?" after the first account, at 100 and 130 % text: both answers on screen.
  ...[
    ['', ''],
    ['-large', '&text=large'],
  ].map(([size, text]) => ({
    name: `notify-dialog${size}`,
    query: `mock=empty&push=notificationsUnasked${text}`,
    steps: (p) => enrollByPhoto(p),
    ready: 'dialog[open] #notify-title',
    targets: ['#notify-title', '#notify-desc', 'dialog[open] .allow', 'dialog[open] .later'],
  })),
];

/** Where the system draws over the web view: CSS px of the phone's screen (the web view's viewport starts at 0,0). */
function coveredRegions(keyboard) {
  const regions = [{ name: 'status bar', x: 0, y: 0, w: PHONE.w, h: STATUS_BAR }];
  if (keyboard) regions.push({ name: 'keyboard', x: 0, y: PHONE.h - KEYBOARD, w: PHONE.w, h: KEYBOARD });
  else regions.push({ name: 'navigation bar', x: 0, y: PHONE.h - NAV_BAR, w: PHONE.w, h: NAV_BAR });
  return regions;
}

/** Sets the safe-area insets through CDP and proves env() follows: a probe element must get them. */
async function setInsets(page, cdp, insets) {
  await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets: { top: 0, right: 0, bottom: 0, left: 0, ...insets } });
  const got = await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.paddingTop = 'env(safe-area-inset-top, 999px)';
    probe.style.paddingBottom = 'env(safe-area-inset-bottom, 999px)';
    document.body.append(probe);
    const cs = getComputedStyle(probe);
    const v = [cs.paddingTop, cs.paddingBottom];
    probe.remove();
    return v;
  });
  const want = [`${insets.top ?? 0}px`, `${insets.bottom ?? 0}px`];
  if (got[0] !== want[0] || got[1] !== want[1]) {
    throw new Error(`Emulation.setSafeAreaInsetsOverride did not reach env(): safe-area-inset-top/bottom are ${got.join('/')}, not ${want.join('/')}`);
  }
}

/** Each target's box, what clips it (overflow ancestors), and what a tap on it would hit. */
async function measure(page, selectors) {
  return page.evaluate((sels) => {
    return sels.map((sel) => {
      const el = document.querySelector(sel);
      if (!el) return { sel, missing: true };
      const r = el.getBoundingClientRect();
      let clip = { l: r.left, t: r.top, r: r.right, b: r.bottom };
      for (let a = el.parentElement; a; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
        const ar = a.getBoundingClientRect();
        clip = { l: Math.max(clip.l, ar.left), t: Math.max(clip.t, ar.top), r: Math.min(clip.r, ar.right), b: Math.min(clip.b, ar.bottom) };
      }
      // A tap in the middle and just inside each edge (not the corners, which
      // round off) lands on the element itself, not on something drawn over it.
      const inset = Math.min(4, r.width / 4, r.height / 4);
      const cx = (r.left + r.right) / 2;
      const cy = (r.top + r.bottom) / 2;
      const points = [
        [cx, cy],
        [cx, r.top + inset],
        [cx, r.bottom - inset],
        [r.left + inset, cy],
        [r.right - inset, cy],
      ];
      const hits = points.map(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return hit !== null && (hit === el || el.contains(hit) || (el.control && hit === el.control));
      });
      const visible = getComputedStyle(el).visibility === 'visible' && r.width > 0 && r.height > 0;
      return { sel, rect: { x: r.left, y: r.top, w: r.width, h: r.height }, clip, hits, visible };
    });
  }, selectors);
}

/** What is wrong with the targets: covered by a bar or the keyboard, clipped, off screen, or drawn over. */
function coverage(boxes, viewport, regions) {
  const problems = [];
  for (const b of boxes) {
    if (b.missing) {
      problems.push(`${b.sel}: not on the page`);
      continue;
    }
    const { x, y, w, h } = b.rect;
    if (!b.visible) problems.push(`${b.sel}: not visible`);
    if (x < -0.5 || y < -0.5 || x + w > viewport.w + 0.5 || y + h > viewport.h + 0.5) {
      problems.push(`${b.sel}: outside the ${viewport.w}×${viewport.h} viewport (${Math.round(x)},${Math.round(y)} ${Math.round(w)}×${Math.round(h)})`);
    }
    for (const r of regions) {
      const ix = Math.min(x + w, r.x + r.w) - Math.max(x, r.x);
      const iy = Math.min(y + h, r.y + r.h) - Math.max(y, r.y);
      if (ix > 0.5 && iy > 0.5) problems.push(`${b.sel}: under the ${r.name} (${Math.round(iy)} px of its ${Math.round(h)} px height)`);
    }
    const c = b.clip;
    if (c.l > x + 0.5 || c.t > y + 0.5 || c.r < x + w - 0.5 || c.b < y + h - 0.5) problems.push(`${b.sel}: cut off by a scrolling container`);
    if (b.hits.some((hit) => !hit)) problems.push(`${b.sel}: something is drawn over it`);
  }
  return problems;
}

/** A camera picture behind the transparent page (the plugin's preview, in the real app): a QR code on a screen. */
async function fakeCamera(page) {
  await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = innerWidth;
    c.height = innerHeight;
    c.style.position = 'fixed';
    c.style.inset = '0';
    c.style.zIndex = '-1';
    const g = c.getContext('2d');
    const bg = g.createLinearGradient(0, 0, c.width, c.height);
    bg.addColorStop(0, '#5b5e63');
    bg.addColorStop(1, '#2b2d31');
    g.fillStyle = bg;
    g.fillRect(0, 0, c.width, c.height);
    const cx = c.width / 2;
    const cy = c.height * 0.47;
    g.save();
    g.translate(cx, cy);
    g.rotate(-0.05);
    g.fillStyle = '#e9ecef';
    g.fillRect(-150, -170, 300, 330);
    const n = 25;
    const m = 7;
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    g.fillStyle = '#111';
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const finder = (a, b) => i >= a && i < a + 7 && j >= b && j < b + 7;
        const inFinder = finder(0, 0) || finder(0, n - 7) || finder(n - 7, 0);
        let on = rnd() > 0.5;
        if (inFinder) {
          const fi = i < 7 ? i : i - (n - 7);
          const fj = j < 7 ? j : j - (n - 7);
          on = fi === 0 || fi === 6 || fj === 0 || fj === 6 || (fi >= 2 && fi <= 4 && fj >= 2 && fj <= 4);
        }
        if (on) g.fillRect(-n * m / 2 + j * m, -n * m / 2 + i * m - 10, m, m);
      }
    g.restore();
    document.body.append(c);
  });
}

/** The screenshot as the phone shows it: the system's status bar and navigation bar (or keyboard) drawn over it. */
async function composite(context, shot, { keyboard, theme, overCamera }) {
  const page = await context.newPage();
  // Over the camera the system bars want light icons whatever the theme (the Android side's to set).
  const dark = theme === 'dark' || overCamera;
  const ink = dark ? '#f1dedc' : '#231918';
  const navBg = dark ? 'rgb(26 17 17 / 0.8)' : 'rgb(255 248 247 / 0.8)';
  const keys = ['1', '2', '3', '–', '4', '5', '6', '␣', '7', '8', '9', '⌫', ',', '0', '.', '✓'];
  const viewH = keyboard ? PHONE.h - KEYBOARD : PHONE.h;
  await page.setViewportSize({ width: PHONE.w, height: PHONE.h });
  await page.setContent(`<!doctype html><style>
    body{margin:0;width:${PHONE.w}px;height:${PHONE.h}px;position:relative;overflow:hidden;background:#000;font:500 13px system-ui,sans-serif}
    img{position:absolute;top:0;left:0;width:${PHONE.w}px;height:${viewH}px}
    .status{position:absolute;top:0;left:0;right:0;height:${STATUS_BAR}px;display:flex;align-items:center;justify-content:space-between;padding:0 14px;color:${ink};outline:1px dashed rgb(0 160 255 / 0.6);outline-offset:-1px}
    .status b{display:inline-block;width:16px;height:9px;border:1.5px solid currentColor;border-radius:2px;margin-left:6px;position:relative}
    .status b::after{content:'';position:absolute;inset:1px 4px 1px 1px;background:currentColor}
    .nav{position:absolute;left:0;right:0;bottom:0;height:${NAV_BAR}px;display:flex;align-items:center;justify-content:space-around;background:${navBg};color:${ink};font-size:20px;outline:1px dashed rgb(0 160 255 / 0.6);outline-offset:-1px}
    .kb{position:absolute;left:0;right:0;bottom:0;height:${KEYBOARD}px;background:${dark ? '#202124' : '#e8eaed'};box-sizing:border-box;padding:8px 6px ${NAV_BAR}px}
    .kb .keys{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;height:100%}
    .kb span{display:grid;place-items:center;border-radius:8px;background:${dark ? '#3c4043' : '#fff'};color:${dark ? '#e8eaed' : '#202124'};font-size:20px}
    .kb .nav{background:transparent;color:${dark ? '#e8eaed' : '#202124'}}
  </style>
  <img src="data:image/png;base64,${shot.toString('base64')}">
  <div class="status"><span>9:41</span><span>▾ ▴<b></b></span></div>
  ${keyboard ? `<div class="kb"><div class="keys">${keys.map((k) => `<span>${k}</span>`).join('')}</div><div class="nav"><span>▽</span><span>○</span><span>□</span></div></div>` : '<div class="nav"><span>◁</span><span>○</span><span>□</span></div>'}`);
  const png = await page.screenshot();
  await page.close();
  return png;
}

/** One phone context per theme and language: every phone screen, edge-to-edge. */
async function runPhone({ theme, lang }) {
  const context = await browser.newContext({
    viewport: { width: PHONE.w, height: PHONE.h },
    deviceScaleFactor: 1,
    colorScheme: theme,
    reducedMotion: 'reduce',
    locale: lang === 'id' ? 'id-ID' : 'en-US',
  });
  for (const s of phoneScreens) {
    const name = `phone-insets-${s.name}-${lang}-${theme}`;
    if (only && !only.test(name)) continue;
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      const cdp = await page.context().newCDPSession(page);
      await page.goto(`${base}?${s.query}&platform=android&lang=${lang}&theme=${theme}`);
      await setInsets(page, cdp, { top: STATUS_BAR, bottom: NAV_BAR });
      await page.waitForSelector('.bar');
      if (s.query.includes('text=')) await page.waitForSelector('html[data-text]', { state: 'attached' });
      if (SHEET.test(s.query)) await page.waitForSelector('dialog[open]');
      else await page.waitForFunction(() => !document.querySelector('.loading'));
      if (s.steps) await s.steps(page);
      await page.waitForSelector(s.ready, { timeout: 5000 });
      let viewport = PHONE;
      if (s.keyboard) {
        // The user taps the number field; the keyboard opens and the web view
        // ends above it (its nav bar is part of the keyboard's region).
        const field = typeof s.keyboard === 'string' ? s.keyboard : '#login-number';
        await page.focus(field);
        viewport = { w: PHONE.w, h: PHONE.h - KEYBOARD };
        await page.setViewportSize({ width: viewport.w, height: viewport.h });
        await setInsets(page, cdp, { top: STATUS_BAR, bottom: 0 });
        // As the web view does when the keyboard shrinks it: the focused field is scrolled into view (a page, not the sheet).
        if (typeof s.keyboard === 'string') await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), field);
      }
      if (s.camera) await fakeCamera(page);
      await page.waitForFunction(() => !document.querySelector('dialog[open] .held'));
      await page.waitForTimeout(200);
      if (!s.keyboard && !SHEET.test(s.query)) await page.evaluate(() => window.scrollTo(0, 0));

      const regions = coveredRegions(s.keyboard);
      for (const p of coverage(await measure(page, s.targets), viewport, regions)) failures.push(`${name}: ${p}`);
      if (s.camera) {
        const see = await page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
        if (see.some((c) => c !== 'rgba(0, 0, 0, 0)')) failures.push(`${name}: the page is not transparent while scanning (${see.join(', ')})`);
      }
      const shot = await page.screenshot();
      await writeFile(join(out, `${name}.png`), await composite(context, shot, { keyboard: s.keyboard, theme, overCamera: s.camera }));
      shots += 1;
      if (s.bottom) {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await page.waitForTimeout(100);
        for (const p of coverage(await measure(page, [s.bottom]), viewport, regions)) failures.push(`${name} (scrolled to the end): ${p}`);
      }

      const axe = await new AxeBuilder({ page }).analyze();
      for (const v of axe.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          failures.push(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
        }
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) failures.push(`${name}: horizontal overflow of ${overflow}px at 360 px`);
      if (lang === 'id') for (const e of await englishIn(page)) failures.push(`${name}: English in the Indonesian screen: ${e}`);
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

/** The scanner in the page (the plugin mocked): Batal, Back and Escape cancel it and bring the page back; a photo instead. */
async function checkScan() {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  const fail = (what) => failures.push(`scanning: ${what}`);
  try {
    const page = await context.newPage();
    await page.goto(`${base}?mock=main&platform=android&lang=en&theme=light`);
    await page.waitForSelector('.row');
    await page.click(ADD);
    await page.waitForSelector('.scan');
    const state = () =>
      page.evaluate(() => ({
        overlay: !!document.querySelector('dialog.scanner[open]'),
        // The page's own paint: html and body (the body carries the surface colour).
        root: `${getComputedStyle(document.documentElement).backgroundColor} ${getComputedStyle(document.body).backgroundColor}`,
        bar: getComputedStyle(document.querySelector('.bar')).visibility,
        scanEntry: history.state?.scan ?? null,
        onAdd: !!document.querySelector('.scan'),
        mock: { ...globalThis.__mock },
        focused: document.activeElement?.className ?? '',
      }));
    const before = await state();

    // Batal.
    await page.click('.scan');
    await page.waitForSelector('dialog.scanner[open]');
    let s = await state();
    if (s.root !== 'rgba(0, 0, 0, 0) rgba(0, 0, 0, 0)') fail(`the page stays opaque while scanning (${s.root})`);
    if (s.bar !== 'hidden') fail('the top bar shows over the camera');
    if (!s.scanEntry) fail('no history entry for Back while scanning');
    if (s.mock.scans !== 1) fail(`the plugin was asked to scan ${s.mock.scans} times`);
    if (!s.focused.includes('cancel')) fail(`focus is on "${s.focused}", not Batal`);
    await page.click('.scanner .cancel');
    await page.waitForSelector('dialog.scanner', { state: 'detached' });
    await page.waitForTimeout(100);
    s = await state();
    if (s.root !== before.root) fail(`Batal left the page's background ${s.root}, not ${before.root}`);
    if (s.bar !== 'visible' || !s.onAdd) fail('Batal did not bring the Add screen back');
    if (s.scanEntry) fail("Batal left the scan's history entry");
    if (s.mock.cancels !== 1) fail(`Batal called the plugin's cancel ${s.mock.cancels} times`);

    // Android's Back: goes back in the web view, which pops the scan's entry.
    await page.click('.scan');
    await page.waitForSelector('dialog.scanner[open]');
    await page.goBack();
    await page.waitForSelector('dialog.scanner', { state: 'detached' });
    await page.waitForTimeout(100);
    s = await state();
    if (!s.onAdd) fail('Back while scanning left the Add screen');
    if (s.mock.cancels !== 2) fail("Back did not call the plugin's cancel");
    if (s.root !== before.root) fail('Back left the page transparent');

    // Escape (a keyboard on the phone; the dialog's cancel).
    await page.click('.scan');
    await page.waitForSelector('dialog.scanner[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.scanner', { state: 'detached' });
    s = await state();
    if (s.mock.cancels !== 3 || !s.onAdd) fail('Escape did not cancel the scan on the Add screen');

    // A photo picked on the overlay: the scan is cancelled and the photo read, as base64 JSON (Android's IPC).
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await page.click('.scan');
    await page.waitForSelector('dialog.scanner[open]');
    await page.setInputFiles('.scanner input[type=file]', { name: 'aktivasi.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.preview');
    s = await state();
    if (s.mock.cancels !== 4) fail('picking a photo did not cancel the scan');
    if (s.mock.images[0] !== png.toString('base64')) fail(`the photo did not reach preview_image as base64 (${s.mock.images[0]})`);
    if (s.overlay || s.root !== before.root) fail('the overlay stayed after a photo was picked');
    await page.close();

    // The photo from the Add screen itself, on a phone without a camera: no scan at all.
    const bare = await context.newPage();
    await bare.goto(`${base}?mock=main&platform=android&camera=none&lang=id&theme=light`);
    await bare.waitForSelector('.row');
    await bare.click(ADD);
    await bare.waitForSelector('.scan-notice');
    if (await bare.$('#scan-button')) fail('a phone without a camera still offers the scan');
    const chooser = bare.waitForEvent('filechooser', { timeout: 3000 });
    await bare.click('#photo-button');
    const picker = await chooser;
    if (picker.element && (await picker.element().getAttribute('accept')) !== 'image/*') fail('the phone picker does not take any image');
    await picker.setFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: png });
    await bare.waitForSelector('.preview');
    const m = await bare.evaluate(() => globalThis.__mock);
    if (m.scans !== 0) fail('the scanner was opened on a phone without a camera');
    if (m.images.length !== 1) fail('the picked photo was not sent');
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/** The startup error's "Coba lagi" asks for the accounts again, and the list comes. */
async function checkRetry() {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    await page.goto(`${base}?mock=keystore&recover=1&lang=id&theme=light`);
    await page.waitForSelector('.startup');
    if (await page.$('.row, .fab')) failures.push('startup error: the list shows beside the error');
    await page.click('.startup .btn');
    await page.waitForSelector('.row');
    const calls = await page.evaluate(() => globalThis.__mock.accountsCalls);
    if (calls !== 2) failures.push(`startup error: accounts asked ${calls} times, not twice`);
  } catch (err) {
    failures.push(`startup error: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  } finally {
    await context.close();
  }
}

const PHONE_VIEWPORT = { width: PHONE.w, height: PHONE.h };

/**
 * What the rows offer, and how they wrap, at 100, 130 and 150 % text on a
 * phone and on a desktop: a code never runs into its ring (or out of its
 * row); a user ID, e-mail or host breaks only between its groups (a NIP
 * as BKN writes it, an e-mail before its domain); a site that says TOTP is
 * off offers "Hapus akun", no code and no "Cek login"; an activation not
 * finished shows no code to copy. And the delete dialogs: the filled button
 * is never the delete, an unreachable site offers "Coba lagi", which asks again.
 */
async function checkRows() {
  const fail = (what) => failures.push(`rows: ${what}`);
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  try {
    for (const [w, text] of [
      [360, ''],
      [360, 'large'],
      [360, 'xlarge'],
      [1024, 'xlarge'],
    ]) {
      const page = await context.newPage();
      await page.setViewportSize({ width: w, height: 740 });
      await page.goto(`${base}?mock=many&lang=id&theme=light${text ? `&text=${text}` : ''}`);
      if (text) await page.waitForSelector('html[data-text]', { state: 'attached' });
      await page.waitForSelector('.row .code .digits');
      await page.waitForTimeout(100);
      const where = `${w} px${text ? `, text ${text}` : ''}`;
      const problems = await page.evaluate(() => {
        const out = [];
        const box = (el) => el.getBoundingClientRect();
        const meets = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
        for (const row of document.querySelectorAll('.row')) {
          const name = row.querySelector('.name')?.textContent.trim();
          const digits = row.querySelector('button.code .digits');
          const ring = row.querySelector('.timer');
          if (digits && ring && meets(box(digits), box(ring))) out.push(`${name}: the code runs into its ring`);
          if (digits && box(digits).right > box(row).right + 0.5) out.push(`${name}: the code runs out of its row`);
          for (const g of row.querySelectorAll('.grp')) {
            const r = document.createRange();
            r.selectNodeContents(g);
            const lines = new Set([...r.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
            if (lines.size < 2) continue;
            // Allowed only when the group alone is wider than the line it is on.
            const room = g.parentElement.closest('.name, .sub, dd, h2, p').getBoundingClientRect().width;
            const probe = document.createElement('span');
            probe.textContent = g.textContent;
            probe.style.whiteSpace = 'nowrap';
            probe.style.maxWidth = 'none';
            probe.style.position = 'absolute';
            g.parentElement.append(probe);
            const alone = probe.getBoundingClientRect().width;
            probe.remove();
            if (alone <= room + 0.5) out.push(`${name}: "${g.textContent}" is broken inside (${lines.size} lines), though it fits a line`);
          }
          const off = row.closest('section.group')?.querySelector('.chip.disabled');
          if (off) {
            if (row.querySelector('button.code')) out.push(`${name}: TOTP is off on its site, yet a code is offered`);
            if (/Cek login/.test(row.textContent)) out.push(`${name}: TOTP is off on its site, yet "Cek login" is offered`);
            if (!row.querySelector('.del')) out.push(`${name}: TOTP is off on its site, and no "Hapus akun"`);
          }
          if (/Aktivasi belum selesai/.test(row.textContent) && row.querySelector('button.code')) out.push(`${name}: an activation not finished offers a code to copy`);
        }
        if (![...document.querySelectorAll('.row .name')].some((n) => n.textContent.includes('19920315'))) out.push('no NIP on the list');
        return out;
      });
      for (const p of problems) fail(`${where}: ${p}`);
      await page.close();
    }

    // The delete dialogs: "Batal" (or "Coba lagi") is the filled button, never the delete.
    const page = await context.newPage();
    await page.goto(`${base}?mock=main&lang=id&theme=light`);
    await page.waitForSelector('.row');
    for (const [nth, what] of [
      [0, 'still active'],
      [2, 'unknown'],
    ]) {
      await page.goto(`${base}?mock=main&lang=id&theme=light`);
      await page.waitForSelector('.row .more');
      await page.locator('.row .more').nth(nth).click();
      await page.click('.danger-zone .btn');
      await page.waitForSelector('dialog[open] .dlg');
      const filled = await page.$$eval('dialog[open] .btn.filled', (bs) => bs.map((b) => b.textContent.trim()));
      if (filled.some((f) => /hapus/i.test(f))) fail(`delete (${what}): the filled button deletes (${filled.join(', ')})`);
      if (filled.length === 0) fail(`delete (${what}): no filled, safe way out`);
      if (what === 'unknown') {
        const before = await page.evaluate(() => globalThis.__mock.removalChecks);
        const retry = await page.$('dialog[open] .retry');
        if (!retry) fail('delete (unknown): no "Coba lagi"');
        else {
          await retry.click();
          await page.waitForFunction((n) => globalThis.__mock.removalChecks > n, before, { timeout: 3000 }).catch(() => fail('delete (unknown): "Coba lagi" did not ask the site again'));
        }
      }
    }
    await page.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * F-07 and F-13 in the page. A link that comes while a preview is on screen
 * never replaces it: the card stays, a banner offers the link, and "Tambah"
 * adds what the user saw; after "Tampilkan" the new preview's "Tambah" takes
 * no press for ~1 s (nor one begun before). Two sites' logins with the same
 * tx stay apart: answering one leaves the other offered, and opens it.
 */
async function checkLinks() {
  const fail = (what) => failures.push(`links: ${what}`);
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  const evil = { handle: 'h-evil', kind: 'spse', server: 'https://lpse-kudus.example', training: false, replaces: [], accounts: [{ issuer: 'SPSE', name: 'PPK2', kind: 'totp', digits: 6, period: 30 }] };
  try {
    const page = await context.newPage();
    await page.goto(`${base}?mock=main&lang=en&theme=light`);
    await page.waitForSelector('.row');
    await readText(page, 'spse');
    await page.waitForSelector('.preview');
    await page.waitForSelector('.add-btn:not(.held)');
    await page.evaluate((preview) => globalThis.__emit('link', { preview, error: null }), evil);
    await page.waitForSelector('.queued', { timeout: 3000 }).catch(() => fail('no banner for the link that came while a preview was on screen'));
    const site = await page.textContent('.preview .site');
    if (site.includes('lpse-kudus.example')) fail('the link replaced the preview on screen');
    // The tap meant for the preview the user saw adds that one.
    await page.click('.add-btn');
    await page.waitForSelector('.big-icon.ok', { timeout: 3000 });
    let confirmed = await page.evaluate(() => globalThis.__mock.confirmed);
    if (confirmed.join() !== 'h-spse') fail(`confirm_add got ${confirmed.join(', ')}, not the preview on screen (h-spse)`);
    // "Tampilkan": the new preview's "Tambah" holds ~1 s, and a press begun before does not count.
    await page.click('.queued .show-link');
    await page.waitForSelector('.preview');
    const t0 = await page.evaluate(() => performance.now());
    await page.evaluate(() => {
      const b = document.querySelector('.add-btn');
      b.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      b.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1 }));
    });
    const early = (await page.evaluate(() => performance.now())) - t0;
    await page.waitForTimeout(150);
    confirmed = await page.evaluate(() => globalThis.__mock.confirmed);
    if (confirmed.length > 1 && early < 800) fail(`"Tambah" took a press ${Math.round(early)} ms after the preview changed`);
    await page.waitForSelector('.add-btn:not(.held)');
    await page.click('.add-btn');
    await page.waitForSelector('.big-icon.ok', { timeout: 3000 });
    confirmed = await page.evaluate(() => globalThis.__mock.confirmed);
    if (confirmed.join() !== 'h-spse,h-evil') fail(`after "Show" and a wait, confirm_add got ${confirmed.join(', ')}`);
    await page.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
  try {
    // F-13: two logins of two sites with the same tx.
    const twins = await context.newPage();
    await twins.goto(`${base}?mock=twins&lang=en&theme=light`);
    await twins.waitForSelector('dialog[open] .answers:not(.held)');
    const first = await twins.textContent('#login-desc');
    await twins.fill('#login-number', '42');
    await twins.click('.answers .btn.yes');
    await twins.click('dialog[open] .result .btn.big');
    await twins.waitForFunction(() => !document.querySelector('dialog[open]'));
    const offered = await twins.$('.show-next');
    if (!offered) fail(`answering ${first} hid the other site's login with the same tx`);
    else {
      await twins.click('.show-next');
      await twins.waitForSelector('dialog[open] #login-desc');
      const second = await twins.textContent('#login-desc');
      if (second === first || !second.includes('PPK.DINKES.01')) fail(`"Show the next login" opened ${second}, not the other site's`);
    }
    await twins.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * A desktop window (1024 px) looks like a desktop app, not a stretched
 * phone: "Tambah akun" and the search in the top bar (no floating button),
 * the sites in two columns, a copy hint when the mouse is over a code,
 * Ctrl+F to the search and Ctrl+C on a focused code. On a phone (360 px): the
 * floating button, no bar search.
 */
async function checkDesktop() {
  const fail = (what) => failures.push(`desktop: ${what}`);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    await page.goto(`${base}?mock=main&lang=id&theme=light`);
    await page.waitForSelector('.row .code .digits');
    const seen = (sel) => page.locator(sel).first().isVisible();
    if (!(await seen('.bar .bar-add'))) fail('no "Tambah akun" in the top bar');
    if (await seen('.fab')) fail('the floating add button shows on a desktop window');
    if (!(await seen('.bar .bar-search input'))) fail('no search in the top bar');
    const lefts = await page.$$eval('section.group', (gs) => new Set(gs.map((g) => Math.round(g.getBoundingClientRect().left))).size);
    if (lefts < 2) fail(`the sites are in ${lefts} column(s), not side by side`);
    // The mouse over a code: the copy hint shows.
    await page.hover('.row .code');
    await page.waitForTimeout(250);
    const hint = await page.$eval('.row .code .copy-hint', (h) => ({ o: getComputedStyle(h).opacity, d: getComputedStyle(h).display, t: h.textContent.trim() }));
    if (hint.d === 'none' || Number(hint.o) < 0.9) fail(`no copy hint on hover (${JSON.stringify(hint)})`);
    else if (hint.t !== 'Klik untuk menyalin') fail(`the copy hint says "${hint.t}"`);
    // Ctrl+F: to the search, and what is typed filters the list.
    await page.mouse.click(5, 500);
    await page.keyboard.press('Control+f');
    const focused = await page.evaluate(() => document.activeElement?.matches('.bar-search input') ?? false);
    if (!focused) fail('Ctrl+F did not focus the search');
    await page.keyboard.type('jembrana');
    await page.waitForTimeout(150);
    const rows = await page.$$eval('.row', (r) => r.length);
    if (rows !== 1) fail(`the search for "jembrana" left ${rows} rows`);
    await page.fill('.bar-search input', '');
    // Ctrl+C on a focused code copies it (the snackbar says so).
    await page.focus('.row .code');
    await page.keyboard.press('Control+c');
    await page.waitForSelector('.snack', { timeout: 2000 }).catch(() => fail('Ctrl+C on a focused code did not copy it'));
    // A maximised window (1280 px): the same, the list using the width.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(150);
    if (!(await seen('.bar .bar-add')) || (await seen('.fab'))) fail('at 1280 px "Tambah akun" is not (only) in the top bar');
    const wide = await page.evaluate(() => ({
      cols: new Set([...document.querySelectorAll('section.group')].map((g) => Math.round(g.getBoundingClientRect().left))).size,
      width: document.querySelector('.groups').getBoundingClientRect().width,
    }));
    if (wide.cols < 2 || wide.width < 1000) fail(`at 1280 px the list is ${Math.round(wide.width)} px wide in ${wide.cols} column(s)`);
    // Up to 899 px it stays the phone's layout: one column, the floating button, no bar search.
    await page.setViewportSize({ width: 899, height: 740 });
    await page.waitForTimeout(150);
    const narrow = await page.evaluate(() => new Set([...document.querySelectorAll('section.group')].map((g) => Math.round(g.getBoundingClientRect().left))).size);
    if (narrow !== 1) fail(`at 899 px the sites are in ${narrow} columns`);
    if (!(await seen('.fab')) || (await seen('.bar .bar-add')) || (await seen('.bar .bar-search'))) fail('at 899 px the top bar carries the desktop search or "Tambah akun"');
    // The phone keeps its floating button and the search in the list.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(150);
    if (!(await seen('.fab'))) fail('no floating add button at 360 px');
    if (await seen('.bar .bar-add')) fail('the bar\'s "Tambah akun" shows at 360 px');
    // Ctrl+F on a short list (no search field yet) opens one.
    await page.keyboard.press('Control+f');
    const opened = await page.evaluate(() => document.activeElement?.matches('.search.in-list input') ?? false);
    if (!opened) fail('Ctrl+F on a short list at 360 px did not open and focus the search');
    await page.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * "Nanti" (F-02), in the page. "Sembunyikan 15 menit" takes no press in the
 * answers' hold (nor one begun in it); after it, snooze_logins(kudus-ppk2,
 * 15) is called and nothing is decided; the sheet closes with no result and
 * does not come back; the row says the prompts are aside and the snackbar
 * until when; the account's ⋮ (the way to Delete) takes a click. The row's
 * "Tampilkan lagi" calls snooze_logins(…, 0) and the login still waiting is
 * raised again. A paused site holds its login back until its card's
 * "Tampilkan lagi", which shows it again for each of its accounts.
 */
async function checkLater() {
  const HOLD = 700;
  const LATER = 'dialog[open] .acts .later';
  const fail = (what) => failures.push(`Nanti: ${what}`);
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  await context.addInitScript(watchAppearances, [LATER]);
  const calls = (page) => page.evaluate(() => globalThis.__mock.snoozed.map((c) => `${c.accountId} ${c.minutes}`));
  try {
    for (let attempt = 1; ; attempt++) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=login&lang=id&theme=light`);
      await page.waitForSelector(LATER);
      const label = (await page.textContent(LATER)).trim();
      if (label !== 'Sembunyikan 15 menit') fail(`the button says "${label}"`);
      const early = await pressIn(page, { from: LATER, sel: LATER, downMs: 100, upMs: 130 });
      const begun = await pressIn(page, { from: LATER, sel: LATER, downMs: 400, upMs: 900 });
      if ((early.up > HOLD - 100 || begun.down > HOLD - 100) && attempt < 4) {
        await page.close();
        continue;
      }
      await page.waitForTimeout(100);
      if ((await calls(page)).length) fail(`a press within the hold put the prompts aside (${JSON.stringify({ early, begun })})`);
      await page.waitForSelector('dialog[open] .acts:not(.held)');
      await page.click(LATER);
      await page.waitForFunction(() => !document.querySelector('dialog[open]'), null, { timeout: 3000 }).catch(() => fail('the sheet stayed open'));
      if ((await calls(page)).join() !== 'kudus-ppk2 15') fail(`snooze_logins calls: ${(await calls(page)).join(', ')}`);
      const decided = await page.evaluate(() => globalThis.__mock.decided.length);
      if (decided) fail('"Nanti" sent an answer');
      const note = await page.locator('.row', { hasText: 'PPK2' }).locator('.snooze-note').textContent().catch(() => '');
      if (!/Login disembunyikan sampai \d\d\.\d\d/.test(note)) fail(`the row says "${note}"`);
      const snackText = await page.textContent('.snack').catch(() => '');
      if (!/Login untuk PPK2 disembunyikan sampai \d\d\.\d\d/.test(snackText)) fail(`the snackbar says "${snackText}"`);
      await page.waitForTimeout(1200);
      if (await page.$('dialog[open]')) fail('the login put aside came back at once');
      await page.locator('.row', { hasText: 'PPK2' }).locator('.more').click();
      await page.waitForSelector('.danger-zone .btn', { timeout: 3000 }).catch(() => fail('the way to Delete cannot be reached after "Nanti"'));
      await page.goBack();
      await page.click('.snooze-note .show-again');
      await page.waitForSelector('dialog[open] #login-number', { timeout: 3000 }).catch(() => fail('"Tampilkan lagi" did not raise the login still waiting'));
      if ((await calls(page)).join() !== 'kudus-ppk2 15,kudus-ppk2 0') fail(`after "Tampilkan lagi", snooze_logins calls: ${(await calls(page)).join(', ')}`);
      if (await page.$('.snooze-note')) fail('the row still says its prompts are aside');
      await page.close();
      break;
    }
    const paused = await context.newPage();
    await paused.goto(`${base}?mock=paused&lang=id&theme=light`);
    await paused.waitForSelector('.paused');
    const text = await paused.textContent('.paused p');
    if (!/^Permintaan login dari situs ini dijeda sampai \d\d\.\d\d karena terlalu banyak\.$/.test(text.trim())) fail(`the paused card says "${text.trim()}"`);
    const card = await paused.$eval('.paused', (el) => el.closest('section.group').querySelector('h2').textContent.trim());
    if (card !== 'LPSE Kabupaten Kudus') fail(`the pause is said on "${card}"'s card`);
    await paused.waitForTimeout(800);
    if (await paused.$('dialog[open]')) fail("a paused site's login was raised");
    await paused.click('.paused .show-again');
    await paused.waitForSelector('dialog[open] #login-number', { timeout: 3000 }).catch(() => fail('"Tampilkan lagi" on the paused site did not show its login'));
    const shown = (await calls(paused)).join();
    if (shown !== 'kudus-ppk2 0,kudus-pokja 0') fail(`the paused site's "Tampilkan lagi" called snooze_logins ${shown}`);
    if (await paused.$('.paused')) fail('the card still says the site is paused');
    await paused.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * F-16: the screenshot setting's hint says what the platform keeps: on
 * Android the existing promise, on Windows and macOS the window hidden from
 * screenshots and screen sharing, on Linux plainly that the screen can
 * still be captured.
 */
async function checkSettings() {
  const fail = (what) => failures.push(`settings: ${what}`);
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  try {
    for (const [platform, lang, want] of [
      ['android', 'id', /^Layar aplikasi ini tidak bisa ditangkap atau direkam/],
      ['windows', 'id', /^Jendela aplikasi ini disembunyikan dari tangkapan layar dan berbagi layar/],
      ['macos', 'en', /^This app’s window is hidden from screenshots and screen sharing/],
      ['linux', 'id', /^Di Linux, perlindungan ini tidak tersedia: layar aplikasi ini tetap bisa ditangkap/],
      ['linux', 'en', /^On Linux, this protection is not available: this app’s screen can still be captured/],
    ]) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=main&platform=${platform}&lang=${lang}&theme=light`);
      await page.waitForSelector('.row');
      await page.click(SETTINGS);
      const hint = (await page.textContent('#s-shot-hint')).trim();
      if (!want.test(hint)) fail(`on ${platform} (${lang}) the hint says "${hint}"`);
      // The tray on desktop only; "Pemberitahuan login" on Android only.
      const tray = !!(await page.$('#s-tray')) && !!(await page.$('#s-start'));
      const push = !!(await page.$('.push'));
      if (tray !== (platform !== 'android')) fail(`on ${platform} the tray switches are ${tray ? 'shown' : 'missing'}`);
      if (push !== (platform === 'android')) fail(`on ${platform} the login notifications card is ${push ? 'shown' : 'missing'}`);
      await page.close();
    }

    // The tray switches save what they say: closeToTray on by default, startAtLogin off.
    const desk = await context.newPage();
    await desk.goto(`${base}?mock=main&lang=id&theme=light`);
    await desk.waitForSelector('.row');
    await desk.click(SETTINGS);
    if (!(await desk.isChecked('#s-tray')) || (await desk.isChecked('#s-start'))) fail('the tray switches do not start as closeToTray on, startAtLogin off');
    await desk.click('#s-tray');
    await desk.click('#s-start');
    await desk.waitForFunction(() => globalThis.__mock.saved.length === 2);
    const saved = await desk.evaluate(() => globalThis.__mock.saved.at(-1));
    if (saved.closeToTray !== false || saved.startAtLogin !== true) fail(`the tray switches saved ${JSON.stringify(saved)}`);
    await desk.close();

    // "Izinkan pemberitahuan" in Settings: the system's prompt, then the new state in words.
    const phone = await context.newPage();
    await phone.goto(`${base}?mock=main&platform=android&push=notificationsUnasked&lang=id&theme=light`);
    await phone.waitForSelector('.row');
    await phone.click(SETTINGS);
    await phone.click('.push .allow');
    await phone.waitForSelector('.push-icon.ok', { timeout: 3000 }).catch(() => fail('"Izinkan pemberitahuan" did not show the new state'));
    const said = (await phone.textContent('.push-state')).trim();
    if (!/Aktif/.test(said) || !/ntfy/.test(said)) fail(`after "Izinkan pemberitahuan" the card says "${said}"`);
    if (await phone.$('.push .allow')) fail('"Izinkan pemberitahuan" stays after the user answered');
    await phone.close();

    // The dialog after the first SPSE account: on Android when not asked yet, once a run; never on desktop.
    const first = await context.newPage();
    await first.goto(`${base}?mock=empty&platform=android&push=notificationsUnasked&lang=id&theme=light`);
    await first.waitForSelector('.empty');
    await enrollByPhoto(first);
    await first.waitForSelector('dialog[open] #notify-title', { timeout: 3000 }).catch(() => fail('no "Izinkan pemberitahuan?" after the first account'));
    await first.click('dialog[open] .allow');
    await first.waitForFunction(() => !document.querySelector('dialog[open]'), null, { timeout: 3000 }).catch(() => fail('"Izinkan" left the dialog open'));
    if ((await first.evaluate(() => globalThis.__mock.asks)) !== 1) fail('"Izinkan" did not ask the system');
    await first.click('.result .btn.big');
    await enrollByPhoto(first);
    // The dialog comes a moment after the success (AddView's OFFER_AFTER_MS, 1.2 s).
    await first.waitForTimeout(1600);
    if (await first.$('dialog[open]')) fail('"Izinkan pemberitahuan?" offered twice in one run');
    await first.close();

    const desktop = await context.newPage();
    await desktop.goto(`${base}?mock=empty&lang=id&theme=light`);
    await desktop.waitForSelector('.empty');
    await desktop.click('.empty .btn');
    await desktop.fill('#qr-text', 'spse');
    await desktop.click('.text-form button[type=submit]');
    await desktop.click('.add-btn:not(.held)');
    await desktop.waitForSelector('.big-icon.ok');
    await desktop.waitForTimeout(1600);
    if (await desktop.$('dialog[open]')) fail('"Izinkan pemberitahuan?" offered on desktop');
    if ((await desktop.evaluate(() => globalThis.__mock.pushStatus)) !== 0) fail('push_status asked on desktop after an account was added');
    await desktop.close();
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * The sheet for ears and thumbs: "Authorize login?" is marked English inside
 * the Indonesian UI; every answer is at least 48 px tall; the time left is
 * said once when it crosses 30 s and once at 10 s, and not before.
 */
async function checkSheet() {
  const fail = (what) => failures.push(`login sheet: ${what}`);
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  try {
    // F-15: the host the app checked leads, the name the site gave itself comes second, a training site is marked on top.
    for (const [site, host, name, training] of [
      ['training', '192.168.1.5:8080', 'LPSE Kementerian Keuangan', true],
      ['', 'spse.kuduskab.go.id', 'LPSE Kabupaten Kudus', false],
    ]) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=login${site ? `&site=${site}` : ''}&lang=id&theme=light`);
      await page.waitForSelector('dialog[open] #login-desc');
      const got = await page.evaluate(() => {
        const top = (sel) => document.querySelector(sel)?.getBoundingClientRect().top ?? null;
        const chip = document.querySelector('#login-training');
        const listChip = document.querySelector('section.group .chip.training');
        return {
          desc: document.querySelector('#login-desc').textContent.replace(/\s+/g, ' ').trim(),
          name: document.querySelector('#login-name')?.textContent.trim() ?? null,
          descTop: top('#login-desc'),
          nameTop: top('#login-name'),
          chip: chip ? { text: chip.textContent.trim(), top: top('#login-training'), bg: getComputedStyle(chip).backgroundColor } : null,
          listBg: listChip ? getComputedStyle(listChip).backgroundColor : null,
          describedBy: document.querySelector('dialog[open]').getAttribute('aria-describedby'),
        };
      });
      if (!got.desc.endsWith(`· ${host}`)) fail(`the sheet's "who · where" is "${got.desc}", not the host ${host}`);
      if (got.desc.includes(name)) fail(`the site's own name leads: "${got.desc}"`);
      if (got.name !== name || !(got.nameTop > got.descTop)) fail(`the site's name "${got.name}" is not second, under the host`);
      if (training) {
        if (!got.chip || got.chip.text !== 'Situs latihan') fail(`no "Situs latihan" mark on a training site's sheet (${JSON.stringify(got.chip)})`);
        else {
          if (!(got.chip.top < got.descTop)) fail('the training mark is not at the top of the sheet');
          if (got.chip.bg !== got.listBg) fail(`the training mark is ${got.chip.bg}, the list's ${got.listBg}`);
          if (!got.describedBy.includes('login-training')) fail('the training mark is not in the sheet\'s description');
        }
      } else if (got.chip) fail('a site that is not for training is marked as one');
      await page.close();
    }
    for (const [left, mark] of [
      [31_800, 30],
      [11_800, 10],
    ]) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=login&left=${left}&lang=id&theme=light`);
      await page.waitForSelector('dialog[open] .answers:not(.held)');
      const before = await page.evaluate(() => document.querySelector('dialog[open] [aria-live]')?.textContent.trim() ?? null);
      if (before === null) fail('no live region for the time left');
      else if (before !== '') fail(`the live region spoke before ${mark} s: "${before}"`);
      if (mark === 30) {
        const lang = await page.getAttribute('#login-title', 'lang');
        if (lang !== 'en') fail(`"Authorize login?" has lang="${lang}", not "en"`);
        const small = await page.evaluate(() =>
          [...document.querySelectorAll('dialog[open] .acts .btn')].filter((b) => b.getBoundingClientRect().height < 48).map((b) => b.textContent.trim()),
        );
        if (small.length) fail(`answers under 48 px tall: ${small.join(', ')}`);
      }
      const said = await page
        .waitForFunction((want) => document.querySelector('dialog[open] [aria-live]')?.textContent.includes(want), `Sisa ${mark} detik`, { timeout: 5000 })
        .then(() => true)
        .catch(() => false);
      if (!said) fail(`"Sisa ${mark} detik" was not said when the time crossed ${mark} s`);
      await page.close();
    }
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

/**
 * Records, in the page, when each watched element appears (performance.now()),
 * from the first frame on: the hold checks time their presses from it.
 */
const WATCH = ['dialog[open] .answers .btn.yes', 'dialog[open] .confirm-yes', 'dialog[open] #login-number'];
function watchAppearances(selectors) {
  window.__seen = {};
  const present = {};
  const look = () => {
    for (const sel of selectors) {
      const on = !!document.querySelector(sel);
      if (on && !present[sel]) window.__seen[sel] = performance.now();
      present[sel] = on;
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
}

/**
 * In the page: a press on `sel` whose pointerdown comes `downMs` and whose
 * pointerup and click come `upMs` after `from` appeared (keyboard: Enter).
 * Returns when each really happened, from that moment.
 */
function pressIn(page, { from, sel, downMs, upMs, key }) {
  return page.evaluate(
    async ({ from, sel, downMs, upMs, key }) => {
      const t0 = window.__seen[from];
      const until = (ms) => new Promise((ok) => setTimeout(ok, Math.max(0, t0 + ms - performance.now())));
      const el = document.querySelector(sel);
      if (!el) throw new Error(`${sel} is not on the page`);
      if (key) {
        await until(upMs);
        const up = performance.now() - t0;
        el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        return { down: up, up };
      }
      await until(downMs);
      const down = performance.now() - t0;
      el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, isPrimary: true }));
      await until(upMs);
      const up = performance.now() - t0;
      el.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, isPrimary: true }));
      el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1 }));
      return { down, up };
    },
    { from, sel, downMs, upMs, key },
  );
}

/**
 * F-04, in the page: the answers take no press in the first ~700 ms after a
 * login (or the second step) is shown, nor a press that began then; a login
 * without a number needs "Ya, ini login saya" as well; after the result's
 * "OK" (double-clicked where the next question's answers would be) the sheet
 * closes, nothing else is decided, and the next login is only offered.
 */
async function checkHold() {
  const HOLD = 700;
  const fail = (what) => failures.push(`answer hold: ${what}`);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, reducedMotion: 'reduce' });
  await context.addInitScript(watchAppearances, WATCH);
  try {
    // The machine may be too busy for a press "at 100 ms" to come before the hold ends: such a run proves nothing, so try again.
    for (let attempt = 1; ; attempt++) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=pair&lang=en&theme=light`);
      await page.waitForSelector(WATCH[0]);
      const decided = () => page.evaluate(() => globalThis.__mock.decided.map((d) => `${d.decision} ${d.tx}`));
      const early = await pressIn(page, { from: WATCH[0], sel: '.answers .btn.no', downMs: 100, upMs: 130 });
      await page.waitForTimeout(50);
      const takenEarly = await decided();
      const heldDown = takenEarly.length ? null : await pressIn(page, { from: WATCH[0], sel: '.answers .btn.no', downMs: 400, upMs: 900 });
      if (early.up > HOLD - 100 || (heldDown && heldDown.down > HOLD - 100)) {
        await page.close();
        if (attempt < 4) continue;
        fail(`the page was too slow to press within the hold (${JSON.stringify({ early, heldDown })})`);
        break;
      }
      await page.waitForTimeout(100);
      if (takenEarly.length) {
        fail(`a press ${Math.round(early.up)} ms after the sheet rose was taken: ${takenEarly}`);
        await page.close();
        break;
      }
      if ((await decided()).length > 0) {
        fail(`a press begun ${Math.round(heldDown.down)} ms after the sheet rose (let go at ${Math.round(heldDown.up)} ms) was taken: ${await decided()}`);
        await page.close();
        break;
      }
      if (!(await page.$('dialog[open] .answers'))) fail('the question left after presses within the hold');
      // A fresh press after the hold: "Ya" on a login without a number asks again, deciding nothing yet.
      await pressIn(page, { from: WATCH[0], sel: '.answers .btn.yes', downMs: 950, upMs: 980 });
      await page.waitForSelector(`${WATCH[1]}, dialog[open] .result`, { timeout: 3000 });
      if ((await decided()).length > 0 || !(await page.$(WATCH[1]))) {
        fail(`"Yes" on a login without a number decided at once (${await decided()}), without a second step`);
        await page.close();
        break;
      }
      const second = await pressIn(page, { from: WATCH[1], sel: '.confirm-yes', downMs: 60, upMs: 100 });
      await page.waitForTimeout(100);
      if ((await decided()).length > 0 && second.up < HOLD) fail(`the second step took a press ${Math.round(second.up)} ms after it appeared`);
      await pressIn(page, { from: WATCH[1], sel: '.confirm-yes', downMs: 800, upMs: 830 });
      await page.waitForSelector('dialog[open] .result.ok', { timeout: 3000 });
      // A double click on "OK", right of centre (where a chained question's "Yes" would be).
      const ok = await page.locator('dialog[open] .result .btn.big').boundingBox();
      await page.mouse.dblclick(ok.x + ok.width * 0.7, ok.y + ok.height / 2);
      await page.waitForTimeout(1200);
      const after = await decided();
      if (after.join() !== 'approve tx-a') fail(`decisions after OK: ${after.join(', ')} (only "approve tx-a" is right)`);
      if (await page.$('dialog[open]')) fail('the sheet stayed open (or the next login took its place) after OK');
      if (!(await page.$('.show-next'))) fail('the next waiting login is not offered ("Show the next login")');
      else {
        await page.click('.show-next');
        await page.waitForSelector('dialog[open] #login-desc');
        const who = await page.textContent('#login-desc');
        if (!who.includes('pokja.konstruksi.2026')) fail(`"Show the next login" opened ${who}`);
      }
      await page.close();
      break;
    }
    // Enter in the number field is "Yes", held the same way.
    for (let attempt = 1; ; attempt++) {
      const page = await context.newPage();
      await page.goto(`${base}?mock=login&lang=id&theme=light`);
      await page.waitForSelector(WATCH[2]);
      await page.evaluate(() => {
        const input = document.querySelector('#login-number');
        input.value = '42';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const early = await pressIn(page, { from: WATCH[2], sel: '#login-number', upMs: 150, key: 'Enter' });
      if (early.up > HOLD - 100 && attempt < 4) {
        await page.close();
        continue;
      }
      await page.waitForTimeout(150);
      const d = await page.evaluate(() => globalThis.__mock.decided.length);
      if (d > 0) fail(`Enter ${Math.round(early.up)} ms after the sheet rose approved`);
      await pressIn(page, { from: WATCH[2], sel: '#login-number', upMs: 800, key: 'Enter' });
      await page.waitForSelector('dialog[open] .result.ok', { timeout: 3000 }).catch(() => fail('Enter after the hold did not approve'));
      await page.close();
      break;
    }
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
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
    await page.click('.option.about-row');
    await page.waitForSelector('.lic li');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.switch');
    await page.goBack();
    await page.waitForSelector('.row');
    await page.click(ADD);
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

/**
 * Backup and restore in the page: a short password never reaches make_backup; Batal and leaving the screen
 * release the picked file (cancel_import); a wrong password asks again and adds nothing; the restore adds
 * only after "Pulihkan N akun" (confirm_import once), the list then holds the new accounts; a plain export
 * is written only after its warning's "Ekspor tanpa sandi"; the startup error's restore sets the vault
 * aside once and opens the restore.
 */
async function checkBackup() {
  const context = await browser.newContext({ viewport: PHONE_VIEWPORT, reducedMotion: 'reduce' });
  const fail = (what) => failures.push(`backup: ${what}`);
  const rec = (page) => page.evaluate(() => globalThis.__mock);
  try {
    const page = await context.newPage();
    await page.goto(`${base}?mock=main&lang=id&theme=light`);
    await page.waitForSelector('.row');
    await toBackup(page);
    await page.fill('#b-pass', 'pendek');
    await page.fill('#b-pass2', 'pendek');
    await page.click('.btn.make');
    await page.waitForSelector('.field.invalid #b-pass');
    if ((await rec(page)).backups.length !== 0) fail('a password under 8 characters was sent to make_backup');

    // Batal at the password releases the file.
    let chooser = page.waitForEvent('filechooser');
    await page.click('.pick-restore');
    await (await chooser).setFiles({ name: 'cadangan.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('spse') });
    await page.waitForSelector('#unlock-pass');
    await page.click('.btn.text:has-text("Batal")');
    await page.waitForSelector('#restore-title');
    let r = await rec(page);
    if (!r.importsCancelled.includes('imp-1')) fail(`Batal did not release the file (${JSON.stringify(r.importsCancelled)})`);

    // A wrong password asks again; the right one shows the preview; only "Pulihkan" adds.
    chooser = page.waitForEvent('filechooser');
    await page.click('.pick-restore');
    await (await chooser).setFiles({ name: 'cadangan.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('spse') });
    await page.fill('#unlock-pass', 'salah');
    await page.click('.btn.unlock');
    await page.waitForSelector('#unlock-err');
    if ((await page.inputValue('#unlock-pass')) !== '') fail('the wrong password stays in its field');
    await page.fill('#unlock-pass', 'kata sandi kantor');
    await page.click('.btn.unlock');
    await page.waitForSelector('.confirm-import');
    r = await rec(page);
    if (r.importsConfirmed.length !== 0) fail('accounts were added before "Pulihkan"');
    const label = await page.textContent('.confirm-import');
    if (!/Pulihkan 3 akun/.test(label ?? '')) fail(`the restore button says "${label?.trim()}", not "Pulihkan 3 akun"`);
    await page.click('.confirm-import');
    await page.waitForSelector('.snack');
    const snackText = await page.textContent('.snack');
    if (!/3 akun dipulihkan, 4 sudah ada/.test(snackText ?? '')) fail(`the snackbar says "${snackText}"`);
    await page.waitForSelector('.row:has-text("ppk.bappeda")');
    r = await rec(page);
    if (r.importsConfirmed.length !== 1) fail(`confirm_import called ${r.importsConfirmed.length} times`);
    if (!(await page.$('.backup-note'))) fail('after a restore the list does not say the accounts changed since the backup');

    // Leaving the screen at the preview releases the file.
    await toBackup(page);
    chooser = page.waitForEvent('filechooser');
    await page.click('.pick-import');
    await (await chooser).setFiles({ name: 'aegis.json', mimeType: 'application/json', buffer: Buffer.from('aegis') });
    await page.waitForSelector('.confirm-import');
    await page.click('.bar .icon-btn');
    await page.waitForSelector('.backup-row');
    r = await rec(page);
    if (!r.importsCancelled.includes('imp-3')) fail(`leaving the preview did not release the file (${JSON.stringify(r.importsCancelled)})`);

    // A plain export only after its warning.
    await page.click('.backup-row');
    await page.check('input[name=export-format][value=otpauth]');
    await page.click('.btn.export');
    await page.waitForSelector('dialog[open] .plain-go');
    await page.click('dialog[open] .plain-keep');
    await page.waitForSelector('dialog[open]', { state: 'detached' }).catch(() => undefined);
    if ((await rec(page)).exports.length !== 0) fail('the plain export was written before its warning was accepted');
    await page.click('.btn.export');
    await page.click('dialog[open] .plain-go');
    await page.waitForSelector('.snack:has-text("diekspor")');
    r = await rec(page);
    if (r.exports.length !== 1 || r.exports[0].format !== 'otpauth' || r.exports[0].password !== null) fail(`export calls: ${JSON.stringify(r.exports)}`);

    // The startup error's restore.
    const start = await context.newPage();
    await start.goto(`${base}?mock=tampered&lang=id&theme=light`);
    await start.waitForSelector('.restore-btn');
    await start.click('.restore-btn');
    await start.waitForSelector('.pick-restore.filled');
    if ((await rec(start)).setAside !== 1) fail('set_aside_vault was not called once');
    if (await start.$('#make-title')) fail('an empty vault offers to make a backup');
  } catch (err) {
    fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
  } finally {
    await context.close();
  }
}

const phoneCombos = ['light', 'dark'].flatMap((theme) => ['id', 'en'].map((lang) => ({ theme, lang, phone: true })));
const jobs = [...phoneCombos, ...combos];

/** `SCREENS_CHECKS=<regex>`: only the in-page checks whose name matches (e.g. `Later|Desktop`); all by default. */
const checksOnly = process.env.SCREENS_CHECKS ? new RegExp(process.env.SCREENS_CHECKS) : null;
const checks = { checkBack, checkBackup, checkScan, checkRetry, checkHold, checkSheet, checkRows, checkLinks, checkDesktop, checkLater, checkSettings };

try {
  for (const [name, check] of Object.entries(checks)) if (!checksOnly || checksOnly.test(name)) await check();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let c = jobs.shift(); c; c = jobs.shift()) await (c.phone ? runPhone(c) : runCombo(c));
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
console.log('phone insets: nothing covered by the status bar, the navigation bar or the keyboard');
console.log('axe-core: no serious or critical violations; no horizontal overflow at 360 px');
