// The sandbox SPSE pages in a real browser (Debian's Chromium, driven by
// playwright-core), with the real spse-auth CLI answering the logins over a
// real Secret Service: the flows an official goes through, end to end.
// Run by `make test` (inside scripts/with-secret-service.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const bin = (name) => process.env[`${name.toUpperCase().replace('-', '_')}_BIN`] ?? join(root, 'target', 'debug', name);
const shots = join(root, 'target', 'browser');
const scratch = mkdtempSync(join(tmpdir(), 'spse-browser-'));

let sandbox;
let base;
let browser;

// `spse-auth args...`; a last argument `{ input }` goes to standard input.
function cli(...args) {
  const input = typeof args.at(-1) === 'object' ? args.pop().input : undefined;
  const run = spawnSync(bin('spse-auth'), args, {
    env: { ...process.env, SPSE_AUTH_DATA_DIR: join(scratch, 'vault') },
    encoding: 'utf8',
    input,
  });
  assert.equal(run.status, 0, `spse-auth ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  sandbox = spawn(bin('spse-sandbox'), [
    '--listen', '127.0.0.1:0', '--db', join(scratch, 'sandbox.db'), '--seed-demo',
  ]);
  const lines = createInterface({ input: sandbox.stdout });
  base = await new Promise((done, fail) => {
    lines.once('line', (line) => done(line.replace('listening on ', '')));
    sandbox.once('exit', () => fail(new Error('spse-sandbox exited')));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  sandbox?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

async function login(page, user) {
  await page.goto(base);
  await page.getByLabel('User ID').fill(user);
  await page.getByLabel('Password').fill(`latihan-${user}`);
  await page.getByRole('button', { name: 'Login' }).click();
}

test('an official enrolls, then approves and denies logins from the app', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();

  // Enable TOTP: Beranda -> Aktivasi TOTP shows the QR.
  await login(page, 'PPK2');
  await page.waitForURL('**/beranda');
  await page.getByText('TOTP belum aktif').waitFor();
  await page.getByRole('link', { name: /Aktivasi TOTP/ }).click();
  await page.getByRole('img', { name: 'Kode QR aktivasi TOTP' }).waitFor();
  // What a phone user shares: a screenshot of the whole page at 360 px.
  const shot = join(shots, 'aktivasi-360.png');
  await page.screenshot({ path: shot, fullPage: true });
  const payload = await (await page.request.get(`${base}/totp/aktivasi/payload`)).text();
  assert.match(payload, /^otpauth:\/\/totp\/.*&spse=.*&enroll=/);
  assert.equal(cli('inspect', '--image', shot), cli('inspect', '-', { input: payload }));

  // The app reads the QR from that screenshot: enrolled, and the site says TOTP Aktif.
  assert.match(cli('add', '--image', shot, '--yes'), /^added a[0-9a-f]{16}\n$/);
  await page.goto(`${base}/beranda`);
  await page.getByText('TOTP Aktif').waitFor();

  // Log in again: the waiting page shows the number and counts down.
  await page.getByRole('button', { name: 'Logout' }).click();
  await login(page, 'PPK2');
  await page.waitForURL('**/login/wait');
  await page.getByText('Segera klik akun Anda pada SPSE Authenticator').waitFor();
  const number = (await page.locator('#number').textContent()).trim();
  assert.match(number, /^[1-9][0-9]$/);
  const widest = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(widest <= 360, `the waiting page overflows 360 px (${widest})`);
  await page.screenshot({ path: join(shots, 'waiting.png'), fullPage: true });

  // "Ya" with the number: the page moves on to Beranda by itself.
  const [login1] = JSON.parse(cli('pending', '--json'));
  assert.equal(login1.user_id, 'PPK2');
  assert.equal(cli('approve', login1.tx, '--number', number), 'Login PPK2 diterima\n');
  await page.waitForURL('**/beranda', { timeout: 10_000 });
  await page.getByText('Selamat datang, PPK2').waitFor();

  // "Tidak": the waiting page says the login was refused.
  await page.getByRole('button', { name: 'Logout' }).click();
  await login(page, 'PPK2');
  await page.waitForURL('**/login/wait');
  const [login2] = JSON.parse(cli('pending', '--json'));
  assert.equal(cli('deny', login2.tx), 'Login PPK2 ditolak\n');
  await page.getByText('Login ditolak.').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'denied.png'), fullPage: true });
  await context.close();
});

test('a provider types the 6-digit code instead', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await login(page, 'penyedia1');
  await page.waitForURL('**/beranda');
  await page.getByRole('link', { name: /Aktivasi TOTP/ }).click();
  await page.getByRole('img', { name: 'Kode QR aktivasi TOTP' }).waitFor();
  // A desktop screenshot: the 1280 px window as it is, the QR among the page.
  const shot = join(shots, 'aktivasi-1280.png');
  await page.screenshot({ path: shot });
  assert.match(cli('add', '--image', shot, '--yes'), /^added a[0-9a-f]{16}\n$/);
  await page.getByRole('link', { name: 'Kembali ke Beranda' }).click();
  await page.getByRole('button', { name: 'Logout' }).click();

  await login(page, 'penyedia1');
  await page.waitForURL('**/login/code');
  // The code of the next step: the enrollment already used the current one.
  const now = Math.floor(Date.now() / 1000);
  const code = cli('code', '--image', shot, '--at', String(now + 30)).trim();
  await page.getByLabel(/Masukkan 6 digit kode/).fill(code);
  await page.getByRole('button', { name: 'Kirim' }).click();
  await page.waitForURL('**/beranda');
  await page.getByText('Selamat datang, penyedia1').waitFor();
  await context.close();
});
