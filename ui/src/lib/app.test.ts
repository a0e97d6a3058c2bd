import { describe, expect, it } from 'vitest';
import { app, finishLogin, mergeLogins, openLink, showLogin } from './app.svelte';
import type { LinkView, LoginView } from './ipc';
import { loginFixture } from './fixtures.test-support';
import { loginKey, loginToRaise, loginsOffered } from './logins';

const login = (tx: string, accountId = 'a'): LoginView => loginFixture(tx, accountId, Date.now() + 60_000);

describe('mergeLogins', () => {
  it('adds logins a check found, without duplicates', () => {
    app.logins = [login('t1')];
    mergeLogins([login('t1'), login('t2')]);
    expect(app.logins.map((l) => l.tx)).toEqual(['t1', 't2']);
  });

  it('shows a closed or offered login again when the user asks for it', () => {
    app.logins = [login('t1'), login('t2')];
    app.dismissed = [loginKey(login('t1')), 'old'];
    app.offered = [loginKey(login('t2'))];
    mergeLogins([login('t1'), login('t2')]);
    expect(app.dismissed).toEqual(['old']);
    expect(app.offered).toEqual([]);
  });

  it('keeps two logins of two sites with the same tx apart (F-13)', () => {
    app.logins = [login('tx-1', 'kudus')];
    app.dismissed = [];
    mergeLogins([login('tx-1', 'ntt')]);
    expect(app.logins.map((l) => l.accountId)).toEqual(['kudus', 'ntt']);
  });
});

describe('two sites that gave one tx (F-13)', () => {
  it('keeps both, and answering one leaves the other waiting, raised once asked for', () => {
    app.logins = [];
    app.dismissed = [];
    app.offered = [];
    mergeLogins([login('tx-1', 'kudus'), login('tx-1', 'ntt')]);
    expect(app.logins.map((l) => l.accountId)).toEqual(['kudus', 'ntt']);
    finishLogin(app.logins[0]);
    expect(app.dismissed).toEqual([loginKey(login('tx-1', 'kudus'))]);
    expect(loginsOffered(app.logins, app.dismissed, app.offered, 0).map((l) => l.accountId)).toEqual(['ntt']);
    showLogin(loginKey(login('tx-1', 'ntt')));
    expect(loginToRaise(app.logins, app.dismissed, app.offered, 0)?.accountId).toBe('ntt');
    // The same check again finds kudus's login only: ntt's stays as it was, nothing doubled.
    mergeLogins([login('tx-1', 'kudus')]);
    expect(app.logins).toHaveLength(2);
    expect(loginToRaise(app.logins, app.dismissed, app.offered, 0)?.accountId).toBe('kudus');
  });
});

describe('finishLogin / showLogin', () => {
  it('offers the logins still waiting instead of raising the next one, until asked', () => {
    app.logins = [login('t1'), login('t2', 'b')];
    app.dismissed = [];
    app.offered = [];
    finishLogin(app.logins[0]);
    expect(loginToRaise(app.logins, app.dismissed, app.offered, 0)).toBeUndefined();
    showLogin(loginKey(app.logins[1]));
    expect(loginToRaise(app.logins, app.dismissed, app.offered, 0)?.tx).toBe('t2');
  });
});

describe('openLink', () => {
  const link: LinkView = {
    preview: { handle: 'h1', kind: 'otpauth', server: null, training: false, replaces: [], accounts: [] },
    error: null,
  };

  it('takes a link to the Add screen as a preview, adding nothing', () => {
    const pushed: unknown[] = [];
    Object.assign(globalThis, {
      history: { pushState: (state: unknown) => pushed.push(state), go: () => undefined, back: () => undefined },
      window: { scrollTo: () => undefined },
    });
    app.view = { name: 'accounts' };
    app.accounts = [];
    openLink(link);
    expect(app.view).toEqual({ name: 'add' });
    expect(app.linked).toEqual(link);
    expect(pushed).toHaveLength(1);
    expect(app.accounts).toEqual([]);
  });

  it('stays on the Add screen when already there', () => {
    app.view = { name: 'add' };
    app.linked = null;
    const failed: LinkView = { preview: null, error: { code: 'payloadInvalid', message: 'secret: empty' } };
    openLink(failed);
    expect(app.view).toEqual({ name: 'add' });
    expect(app.linked).toEqual(failed);
  });
});
