import { describe, expect, it } from 'vitest';
import { HOLD_MS, PressGuard, SNOOZE_MINUTES, finish, heldBack, loginKey, loginToRaise, loginsOffered, putAside, shownLogins } from './logins';
import type { LoginView } from './ipc';
import { loginFixture } from './fixtures.test-support';

const login = (tx: string, accountId = 'a', expiresAt = 60_000): LoginView => loginFixture(tx, accountId, expiresAt);

describe('PressGuard (answers hold still after a login is shown)', () => {
  it('holds for about 700 ms', () => {
    expect(HOLD_MS).toBeGreaterThanOrEqual(600);
    expect(HOLD_MS).toBeLessThanOrEqual(1000);
  });

  it('ignores a click at 100 ms and takes one at 800 ms', () => {
    const g = new PressGuard();
    g.arm(1000);
    g.down(1100);
    expect(g.accept(1100, true)).toBe(false);
    g.down(1800);
    expect(g.accept(1800, true)).toBe(true);
  });

  it('ignores a press that began before the answers were armed, however late it ends', () => {
    const g = new PressGuard();
    g.arm(1000);
    g.down(1600); // the finger was already going down
    expect(g.accept(1800, true)).toBe(false);
    // and a finger down before the sheet even rose
    g.down(900);
    expect(g.accept(5000, true)).toBe(false);
  });

  it('judges a keyboard press (no pointer) by its own time, not an old pointerdown', () => {
    const g = new PressGuard();
    g.arm(1000);
    expect(g.accept(1200, false)).toBe(false);
    g.down(1100);
    expect(g.accept(1900, false)).toBe(true);
  });

  it('holds again when new answers are shown (the second step, a retry)', () => {
    const g = new PressGuard();
    g.arm(0);
    g.down(800);
    expect(g.accept(800, true)).toBe(true);
    g.arm(810); // "Ya" turned into "Ya, ini login saya": a double tap lands on nothing
    g.down(900);
    expect(g.accept(905, true)).toBe(false);
    g.down(1600);
    expect(g.accept(1650, true)).toBe(true);
  });

  it('is not armed before anything was shown... and then only after the hold', () => {
    const g = new PressGuard();
    g.arm(100);
    expect(g.isArmed(799)).toBe(false);
    expect(g.isArmed(800)).toBe(true);
  });
});

describe('one login at a time, never chained (F-04)', () => {
  it('raises the first waiting login', () => {
    expect(loginToRaise([login('t1'), login('t2')], [], [], 0)?.tx).toBe('t1');
  });

  it('after OK, raises nothing while the next login waits: it is offered instead', () => {
    const logins = [login('t1'), login('t2')];
    const after = finish(logins[0], logins, [], []);
    expect(after.dismissed).toEqual([loginKey(logins[0])]);
    expect(loginToRaise(logins, after.dismissed, after.offered, 0)).toBeUndefined();
    expect(loginsOffered(logins, after.dismissed, after.offered, 0).map((l) => l.tx)).toEqual(['t2']);
  });

  it('raises a login that arrives after the user finished', () => {
    const logins = [login('t1'), login('t2')];
    const after = finish(logins[0], logins, [], []);
    const later = [...logins, login('t3')];
    expect(loginToRaise(later, after.dismissed, after.offered, 0)?.tx).toBe('t3');
  });

  it('leaves out logins that ran out of time', () => {
    const logins = [login('t1', 'a', 10), login('t2', 'a', 100)];
    expect(loginToRaise(logins, [], [], 50)?.tx).toBe('t2');
    expect(loginsOffered(logins, [], [loginKey(logins[0]), loginKey(logins[1])], 50).map((l) => l.tx)).toEqual(['t2']);
  });
});

describe('logins are keyed by account and tx (F-13)', () => {
  it('tells apart two sites that gave the same tx', () => {
    expect(loginKey(login('tx-1', 'kudus'))).not.toBe(loginKey(login('tx-1', 'ntt')));
  });

  it('answering one of them leaves the other waiting', () => {
    const twins = [login('tx-1', 'kudus'), login('tx-1', 'ntt')];
    const after = finish(twins[0], twins, [], []);
    expect(loginsOffered(twins, after.dismissed, after.offered, 0).map((l) => l.accountId)).toEqual(['ntt']);
  });
});

describe('"Nanti" and paused sites hold logins back (F-02)', () => {
  const acct = (id: string, snoozedUntil: number | null = null) => ({ id, snoozedUntil });
  const site = (server: string, pausedUntil: number | null = null) => ({ server, pausedUntil });
  const SITE = 'https://spse.example.go.id';

  it('puts prompts aside for a stated, sensible while (the sheet says "15 menit")', () => {
    expect(SNOOZE_MINUTES).toBe(15);
  });

  it('holds back the logins of an account put aside, until its snooze ends on the local clock', () => {
    const logins = [login('t1', 'a'), login('t2', 'b')];
    const accounts = [acct('a', 1000), acct('b')];
    expect(shownLogins(logins, accounts, [site(SITE)], 999).map((l) => l.accountId)).toEqual(['b']);
    expect(shownLogins(logins, accounts, [site(SITE)], 1000).map((l) => l.accountId)).toEqual(['a', 'b']);
  });

  it('holds back every login of a paused site, whichever account', () => {
    const other = { ...login('t3', 'c'), server: 'https://lpse.other.go.id' };
    const logins = [login('t1', 'a'), login('t2', 'b'), other];
    expect(shownLogins(logins, [acct('a'), acct('b'), acct('c')], [site(SITE, 5000)], 10).map((l) => l.tx)).toEqual(['t3']);
    expect(heldBack(logins[0], [], [site(SITE, 5000)], 6000)).toBe(false);
  });

  it('"Nanti" is no answer: nothing is dismissed, the account\'s logins are raised again once shown, the others are offered', () => {
    const logins = [login('t1', 'a'), login('t2', 'a'), login('t3', 'b')];
    const after = putAside(logins[0], logins, [], [loginKey(logins[1])]);
    expect(after.dismissed).toEqual([]);
    expect(after.offered).toEqual([loginKey(logins[2])]);
    // While put aside, nothing of "a" is raised, and "b" waits on the banner (never chained into the sheet).
    const aside = shownLogins(logins, [acct('a', 100)], [], 0);
    expect(loginToRaise(aside, after.dismissed, after.offered, 0)).toBeUndefined();
    expect(loginsOffered(aside, after.dismissed, after.offered, 0).map((l) => l.tx)).toEqual(['t3']);
    // Shown again ("Tampilkan lagi"): the login put aside is raised.
    const again = shownLogins(logins, [acct('a', null)], [], 0);
    expect(loginToRaise(again, after.dismissed, after.offered, 0)?.tx).toBe('t1');
  });
});
