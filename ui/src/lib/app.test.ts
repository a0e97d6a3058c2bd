import { describe, expect, it } from 'vitest';
import { app, mergeLogins } from './app.svelte';
import type { LoginView } from './ipc';

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
