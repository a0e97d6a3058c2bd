// The app state against the Rust side (invoke mocked): the backup warning
// that must be told again (F-20), and "Nanti" / "Tampilkan lagi" (F-02).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { app, dismissRestored, loadAccounts, onSiteState, showSiteAgain, snoozeAccount } from './app.svelte';
import type { AccountView, AccountsView, RestoredFrom, SiteView } from './ipc';

const KUDUS = 'https://spse.kuduskab.go.id';
const site: SiteView = { server: KUDUS, name: 'LPSE Kabupaten Kudus', training: false, state: 'reachable', pausedUntil: null };
const acct = (id: string, snoozedUntil: number | null = null): AccountView => ({
  id,
  server: KUDUS,
  issuer: 'SPSE',
  name: id,
  label: null,
  kind: 'totp',
  digits: 6,
  period: 30,
  enrolled: true,
  pending: false,
  snoozedUntil,
});

/** The accounts view the vault reports next (no accounts, so no codes are asked for). */
function reports(restoredFromBackup: RestoredFrom | null, restores: number): void {
  invoke.mockImplementationOnce(async (cmd: string) => {
    expect(cmd).toBe('accounts');
    return { sites: [], accounts: [], restoredFromBackup, restores, backup: null } satisfies AccountsView;
  });
}

describe('the backup warning (F-20)', () => {
  beforeEach(() => invoke.mockReset());

  it('stays away after "Mengerti" while the vault reports the same restore', async () => {
    reports('corrupt', 1);
    await loadAccounts();
    expect(app.restoredFromBackup).toBe('corrupt');
    dismissRestored();
    expect(app.restoredFromBackup).toBeNull();
    reports('corrupt', 1);
    await loadAccounts();
    expect(app.restoredFromBackup).toBeNull();
  });

  it('is told again for a second restore in the run, with the same reason', async () => {
    reports('corrupt', 2);
    await loadAccounts();
    dismissRestored();
    reports('corrupt', 2);
    await loadAccounts();
    expect(app.restoredFromBackup).toBeNull();
    reports('corrupt', 3);
    await loadAccounts();
    expect(app.restoredFromBackup).toBe('corrupt');
  });

  it('is told again for a second restore with another reason', async () => {
    reports('tampered', 4);
    await loadAccounts();
    expect(app.restoredFromBackup).toBe('tampered');
    dismissRestored();
    reports('missing', 5);
    await loadAccounts();
    expect(app.restoredFromBackup).toBe('missing');
  });
});

describe('"Nanti" and "Tampilkan lagi" (F-02)', () => {
  beforeEach(() => {
    invoke.mockReset();
    app.sites = [{ ...site, pausedUntil: 9_000_000_000_000 }];
    app.accounts = [acct('ppk2'), acct('pokja', 9_000_000_000_000)];
  });

  it('puts an account aside through snooze_logins, and the row follows at once', async () => {
    invoke.mockResolvedValueOnce(1_700_000_900_000);
    const until = await snoozeAccount('ppk2', 15);
    expect(invoke).toHaveBeenCalledWith('snooze_logins', { accountId: 'ppk2', minutes: 15 });
    expect(until).toBe(1_700_000_900_000);
    expect(app.accounts.find((a) => a.id === 'ppk2')?.snoozedUntil).toBe(1_700_000_900_000);
    // Putting aside does not resume the site.
    expect(app.sites[0].pausedUntil).not.toBeNull();
  });

  it('shows a paused site again: 0 minutes for each of its accounts, the pause and the snoozes gone', async () => {
    invoke.mockResolvedValue(null);
    await showSiteAgain(KUDUS);
    expect(invoke.mock.calls).toEqual([
      ['snooze_logins', { accountId: 'ppk2', minutes: 0 }],
      ['snooze_logins', { accountId: 'pokja', minutes: 0 }],
    ]);
    expect(app.sites[0].pausedUntil).toBeNull();
    expect(app.accounts.map((a) => a.snoozedUntil)).toEqual([null, null]);
  });

  it('follows the site-state event: a pause told, then ended', () => {
    onSiteState({ server: KUDUS, state: 'reachable', pausedUntil: 1234 });
    expect(app.sites[0].pausedUntil).toBe(1234);
    onSiteState({ server: KUDUS, state: 'offline', pausedUntil: null });
    expect(app.sites[0]).toMatchObject({ state: 'offline', pausedUntil: null });
  });
});
