// "Pemberitahuan login": every push state in words, in both languages, and
// the "Izinkan pemberitahuan?" dialog offered once a run, only on Android,
// only when the system has not asked yet.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { PUSH_STATES, type Added, type PushState, type PushStatus } from './ipc';
import { EMBEDDED_FCM, pushWords } from './push';
import { en } from './i18n/en';
import { id } from './i18n/id';

const status = (state: PushState, distributor: string | null = null): PushStatus => ({ state, distributor });

describe('push states in words', () => {
  it('words every state in both languages, with the same placeholders', () => {
    for (const state of PUSH_STATES) {
      const w = pushWords(status(state, state === 'on' ? 'ntfy' : null));
      for (const key of [w.title, w.body, ...(w.detail ? [w.detail] : [])]) {
        expect(en, key).toHaveProperty([key]);
        expect(id, key).toHaveProperty([key]);
        expect(en[key].trim().length, key).toBeGreaterThan(1);
        expect(id[key].trim().length, key).toBeGreaterThan(1);
      }
    }
  });

  it('draws only "on" as fine, every other state in the warning hue', () => {
    expect(pushWords(status('on', 'ntfy')).tone).toBe('ok');
    for (const state of PUSH_STATES.filter((s) => s !== 'on')) expect(pushWords(status(state)).tone, state).toBe('warn');
  });

  it('offers "Izinkan pemberitahuan" only when the system has not asked yet', () => {
    for (const state of PUSH_STATES) expect(pushWords(status(state)).canAsk, state).toBe(state === 'notificationsUnasked');
    expect(id['push.allow']).toBe('Izinkan pemberitahuan');
    expect(en['push.allow']).toBe('Allow notifications');
  });

  it('names the distributor app when on, and says nothing of it when unnamed', () => {
    const w = pushWords(status('on', 'ntfy'));
    expect(w.detail).toBe('push.on.detail');
    expect(id[w.detail!]).toContain('{app}');
    expect(en[w.detail!]).toContain('{app}');
    expect(pushWords(status('on')).detail).toBeNull();
  });

  it('names ntfy for a missing distributor, and Android’s settings for refused notifications', () => {
    const none = pushWords(status('noDistributor'));
    expect(id[none.body]).toContain('ntfy');
    expect(en[none.body]).toContain('ntfy');
    const denied = pushWords(status('notificationsDenied'));
    expect(id[denied.body]).toMatch(/Setelan\s› Aplikasi\s› SPSE\sAuth\s› Notifikasi/);
    expect(en[denied.body]).toMatch(/Settings\s› Apps\s› SPSE\sAuth\s› Notifications/);
  });

  it('keeps the jargon out of the main lines: “UnifiedPush” only in a detail line', () => {
    for (const table of [id, en]) {
      const leaks = Object.entries(table).filter(([key, text]) => /UnifiedPush/i.test(text) && !key.endsWith('.detail'));
      expect(leaks).toEqual([]);
    }
  });

  it('words the desktop tray settings and the dialog in both languages', () => {
    expect(id['settings.tray']).toBe('Tetap berjalan di baki sistem saat ditutup');
    expect(en['settings.tray']).toBe('Keep running in the tray when closed');
    expect(id['settings.startAtLogin']).toBe('Mulai saat masuk ke komputer');
    expect(en['settings.startAtLogin']).toBe('Start when you log in to the computer');
    expect(id['notify.body']).toBe('Agar permintaan login sampai walau aplikasi tertutup, izinkan SPSE\u00a0Auth menampilkan pemberitahuan.');
    expect(id['notify.allow']).toBe('Izinkan');
    expect(id['notify.later']).toBe('Nanti');
  });
});

const enrolled: Added = { ids: ['a'], server: 'https://spse.kuduskab.go.id', siteName: null, user: 'PPK2' };
const generic: Added = { ids: ['g'], server: null, siteName: null, user: null };

/** A fresh app module (its once-a-run memory new), on `platform`, whose push_status answers `state`. */
async function fresh(platform: string, state: PushState) {
  vi.resetModules();
  invoke.mockReset();
  invoke.mockImplementation(async (cmd: string) => {
    if (cmd === 'push_status') return status(state);
    if (cmd === 'ask_notifications') return status('on', 'ntfy');
    throw new Error(`unexpected ${cmd}`);
  });
  const mod = await import('./app.svelte');
  mod.app.platform = platform as typeof mod.app.platform;
  return mod;
}

const pushCalls = () => invoke.mock.calls.filter(([cmd]) => cmd === 'push_status').length;

describe('the "Izinkan pemberitahuan?" dialog after the first account', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('opens on Android after the first SPSE account when not asked yet', async () => {
    const { app, offerNotifications } = await fresh('android', 'notificationsUnasked');
    await offerNotifications(enrolled, false);
    expect(app.notifyOffer).toBe(true);
    expect(app.push?.state).toBe('notificationsUnasked');
  });

  it('is offered once a run: not after "Nanti", nor after "Izinkan"', async () => {
    const { app, offerNotifications, notificationsLater } = await fresh('android', 'notificationsUnasked');
    await offerNotifications(enrolled, false);
    notificationsLater();
    expect(app.notifyOffer).toBe(false);
    await offerNotifications(enrolled, false);
    expect(app.notifyOffer).toBe(false);
    expect(pushCalls()).toBe(1);

    const again = await fresh('android', 'notificationsUnasked');
    await again.offerNotifications(enrolled, false);
    const after = await again.allowNotifications();
    expect(after.state).toBe('on');
    expect(again.app.notifyOffer).toBe(false);
    expect(again.app.push?.state).toBe('on');
    await again.offerNotifications(enrolled, false);
    expect(again.app.notifyOffer).toBe(false);
  });

  it('never opens on desktop, and does not even ask there', async () => {
    for (const platform of ['linux', 'windows', 'macos']) {
      const { app, offerNotifications } = await fresh(platform, 'notificationsUnasked');
      await offerNotifications(enrolled, false);
      expect(app.notifyOffer, platform).toBe(false);
      expect(pushCalls(), platform).toBe(0);
    }
  });

  it('stays closed when notifications are on, refused, or push cannot work', async () => {
    for (const state of PUSH_STATES.filter((s) => s !== 'notificationsUnasked')) {
      const { app, offerNotifications } = await fresh('android', state);
      await offerNotifications(enrolled, false);
      expect(app.notifyOffer, state).toBe(false);
    }
  });

  it('waits for the first account on an SPSE site: not for a codes-only account, nor when one was there', async () => {
    const { app, offerNotifications } = await fresh('android', 'notificationsUnasked');
    await offerNotifications(generic, false);
    await offerNotifications(enrolled, true);
    expect(app.notifyOffer).toBe(false);
    expect(pushCalls()).toBe(0);
    // The first SPSE account still gets it, later in the run.
    await offerNotifications(enrolled, false);
    expect(app.notifyOffer).toBe(true);
  });

  it('stays closed when push_status fails', async () => {
    const { app, offerNotifications } = await fresh('android', 'notificationsUnasked');
    invoke.mockRejectedValue({ code: 'internal', message: 'no plugin' });
    await offerNotifications(enrolled, false);
    expect(app.notifyOffer).toBe(false);
  });
});

describe('hasSiteAccount', () => {
  it('tells an SPSE account from a codes-only one', async () => {
    const { hasSiteAccount } = await import('./app.svelte');
    const base = { id: 'x', issuer: 'SPSE', name: 'x', label: null, kind: 'totp' as const, digits: 6, period: 30, enrolled: true, pending: false, snoozedUntil: null };
    expect(hasSiteAccount([])).toBe(false);
    expect(hasSiteAccount([{ ...base, server: null }])).toBe(false);
    expect(hasSiteAccount([{ ...base, server: null }, { ...base, server: 'https://spse.kuduskab.go.id' }])).toBe(true);
  });

  it('names Google Play services, not an app, for the embedded FCM distributor', () => {
    const w = pushWords(status('on', EMBEDDED_FCM));
    expect(w.detail).toBe('push.on.fcm');
    expect(id['push.on.fcm']).toBe('Dikirim lewat layanan Google Play.');
    expect(en['push.on.fcm']).toBe('Delivered through Google Play services.');
  });
});
