// The vault cannot be opened at start: the state the startup error screen
// shows, and "Coba lagi" asking `accounts` again.
import { describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { app, loadAccounts, setAsideAndRestore, start } from './app.svelte';
import { errorText, locale } from './i18n/index.svelte';

describe('opening the vault', () => {
  it('keeps the error for the startup screen, and a retry that works clears it', async () => {
    const failure = { code: 'keystoreUnavailable', message: 'KeyStoreException: system error -1' };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'accounts') throw failure;
      return { now: 0, codes: [] };
    });
    await loadAccounts();
    expect(app.loaded).toBe(true);
    expect(app.loadError).toEqual(failure);
    expect(app.accounts).toEqual([]);

    const view = { sites: [], accounts: [{ id: 'a' }], restoredFromBackup: null };
    invoke.mockImplementation(async (cmd: string) => (cmd === 'accounts' ? view : { now: 0, codes: [] }));
    await loadAccounts(); // "Coba lagi"
    expect(invoke.mock.calls.filter(([cmd]) => cmd === 'accounts')).toHaveLength(2);
    expect(app.loadError).toBeNull();
    expect(app.accounts).toEqual(view.accounts);
  });

  it('tells a phone user what to do when the Keystore failed, in both languages, and that nothing is lost', () => {
    const err = { code: 'keystoreUnavailable', message: '' };
    locale.current = 'id';
    const id = errorText(err);
    expect(id).toMatch(/tidak hilang/);
    expect(id).toMatch(/ponsel/);
    expect(id).toMatch(/kunci layar/);
    locale.current = 'en';
    const en = errorText(err);
    expect(en).toMatch(/not lost/);
    expect(en).toMatch(/phone/);
    expect(en).toMatch(/screen lock/);
  });

  it('sets an unreadable vault aside (kept, not deleted) and opens the backup view at its restore', async () => {
    vi.stubGlobal('history', { pushState: vi.fn(), go: vi.fn(), back: vi.fn() });
    vi.stubGlobal('window', { scrollTo: vi.fn() });
    let asideDone = false;
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'accounts') {
        if (!asideDone) throw { code: 'vaultTampered', message: 'vault.json: bad tag' };
        return { sites: [], accounts: [], restoredFromBackup: null, restores: 0, backup: null };
      }
      if (cmd === 'set_aside_vault') {
        asideDone = true;
        return { keptAs: 'vault.unreadable-2026-12-02.json' };
      }
      return { now: 0, codes: [] };
    });
    await loadAccounts();
    expect(app.loadError).toMatchObject({ code: 'vaultTampered' });
    const kept = await setAsideAndRestore();
    expect(kept).toBe('vault.unreadable-2026-12-02.json');
    expect(invoke.mock.calls.filter(([cmd]) => cmd === 'set_aside_vault')).toHaveLength(1);
    expect(app.loadError).toBeNull();
    expect(app.view).toEqual({ name: 'backup', section: 'restore' });
    vi.unstubAllGlobals();
  });

  it('takes the list’s backup reminder from the vault', async () => {
    invoke.mockImplementation(async (cmd: string) =>
      cmd === 'accounts' ? { sites: [], accounts: [{ id: 'a' }], restoredFromBackup: null, restores: 0, backup: { state: 'changed', lastAt: 1793005980 } } : { now: 0, codes: [] },
    );
    await loadAccounts();
    expect(app.backup).toEqual({ state: 'changed', lastAt: 1793005980 });
  });
});

describe('the cold start', () => {
  it('shows the window only once the first codes are in the DOM, and lets its visibilitychange tell the foreground', async () => {
    const listeners: Record<string, () => void> = {};
    const doc = {
      hidden: true, // the window is still unmapped
      documentElement: { dataset: {}, lang: '' },
      addEventListener: (type: string, f: () => void) => (listeners[type] = f),
    };
    vi.stubGlobal('document', doc);
    vi.stubGlobal('window', { addEventListener: vi.fn() });
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string) => {
      switch (cmd) {
        case 'platform':
          return 'linux';
        case 'settings':
          return { language: 'en', theme: 'dark' };
        case 'accounts':
          return { sites: [], accounts: [{ id: 'a' }], restoredFromBackup: null, restores: 0, backup: null };
        case 'codes':
          return { now: 0, codes: [{ id: 'a', code: '123456', validUntil: null }] };
        case 'page_ready':
          return true; // the window is being shown
        default:
          return null;
      }
    });
    await start();
    const calls = () => invoke.mock.calls.map(([cmd]) => cmd);
    expect(calls().indexOf('page_ready')).toBeGreaterThan(calls().indexOf('codes'));
    expect(calls().indexOf('codes')).toBeGreaterThan(calls().indexOf('accounts'));
    expect(app.codes.a?.code).toBe('123456');
    expect(doc.documentElement.dataset).toEqual({ theme: 'dark' });
    // Hidden because it is being shown: the foreground is not told yet,
    // neither as hidden (the polls would stop) nor as visible.
    expect(calls()).not.toContain('set_foreground');

    doc.hidden = false;
    listeners.visibilitychange();
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('set_foreground', { visible: true }));
    expect(invoke).not.toHaveBeenCalledWith('set_foreground', { visible: false });
    vi.unstubAllGlobals();
  });

  it('tells the foreground itself where nothing was to be shown (a phone, or the tray at login)', async () => {
    const doc = { hidden: true, documentElement: { dataset: {}, lang: '' }, addEventListener: vi.fn() };
    vi.stubGlobal('document', doc);
    vi.stubGlobal('window', { addEventListener: vi.fn() });
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'settings') return { language: 'id', theme: 'system' };
      if (cmd === 'accounts') return { sites: [], accounts: [], restoredFromBackup: null, restores: 0, backup: null };
      return cmd === 'page_ready' ? false : null;
    });
    await start();
    expect(invoke).toHaveBeenCalledWith('set_foreground', { visible: false });
    vi.unstubAllGlobals();
  });
});
