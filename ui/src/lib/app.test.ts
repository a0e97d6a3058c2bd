import { describe, expect, it } from 'vitest';
import { app, mergeLogins, openLink } from './app.svelte';
import type { LinkView, LoginView } from './ipc';

const login = (tx: string): LoginView => ({
  tx,
  accountId: 'a',
  userId: 'PPK2',
  server: 'https://spse.example.go.id',
  siteName: null,
  browser: 'Firefox 133 on Windows',
  ip: '192.0.2.1',
  createdAt: 0,
  expiresAt: Date.now() + 60_000,
  numberMatch: false,
});

describe('mergeLogins', () => {
  it('adds logins a check found, without duplicates', () => {
    app.logins = [login('t1')];
    mergeLogins([login('t1'), login('t2')]);
    expect(app.logins.map((l) => l.tx)).toEqual(['t1', 't2']);
  });

  it('shows a closed login again when the user asks for it', () => {
    app.logins = [login('t1')];
    app.dismissed = ['t1', 'old'];
    mergeLogins([login('t1')]);
    expect(app.dismissed).toEqual(['old']);
  });
});

describe('openLink', () => {
  const link: LinkView = {
    preview: { handle: 'h1', kind: 'otpauth', server: null, training: false, replaces: null, accounts: [] },
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
