// Pure rules of the login sheet (no Svelte, no IPC), so Vitest covers them:
// which waiting login is shown, which are only offered, which are held back
// ("Nanti", a paused site), and when an answer button takes a press.
import type { AccountView, LoginView, SiteView } from './ipc';

/**
 * A login's identity in the UI: the account and the site's id together. Two
 * sites may hand out the same `tx` (the protocol asks for neither unique nor
 * unpredictable ids), so `tx` alone would let answering one hide the other.
 */
export function loginKey(l: Pick<LoginView, 'accountId' | 'tx'>): string {
  return `${l.accountId}\n${l.tx}`;
}

/**
 * How long the answers hold still after a login (or a new set of answers) is
 * shown: a tap meant for what was there before, or a double tap, lands on
 * nothing. About the time a hand needs to see the sheet and move.
 */
export const HOLD_MS = 700;

/**
 * Takes a press on an answer only when the answers have been shown for
 * HOLD_MS and the press itself began after that: a finger already down when
 * the sheet rose (or when "OK" turned into a question) is not an answer.
 * Times are event time stamps (`performance.now()` scale), so a press the
 * page handles late is still judged by when it happened.
 */
export class PressGuard {
  private shownAt = Number.NEGATIVE_INFINITY;
  private downAt: number | null = null;

  constructor(private readonly holdMs = HOLD_MS) {}

  /** New answers are on screen (a login shown, or its buttons changed). */
  arm(now: number): void {
    this.shownAt = now;
    this.downAt = null;
  }

  /** When the answers take presses. */
  get armedAt(): number {
    return this.shownAt + this.holdMs;
  }

  isArmed(now: number): boolean {
    return now >= this.armedAt;
  }

  /** A pointer went down on an answer. */
  down(at: number): void {
    this.downAt = at;
  }

  /**
   * A press ended (`click` at `at`). `pointer`: it came from a pointer (a
   * click's `detail` > 0), so its pointerdown counts; keyboard presses are
   * judged by their own time.
   */
  accept(at: number, pointer: boolean): boolean {
    const began = pointer && this.downAt !== null ? Math.min(this.downAt, at) : at;
    this.downAt = null;
    return began >= this.armedAt && at >= this.armedAt;
  }
}

/**
 * The login to raise on its own: the first one waiting that is neither
 * answered/closed (`dismissed`) nor only offered (`offered`: it was already
 * waiting when the user finished with another one, so it waits for "Tampilkan
 * login berikutnya" instead of taking the sheet's place), and still in time.
 */
export function loginToRaise(logins: LoginView[], dismissed: string[], offered: string[], now: number): LoginView | undefined {
  return logins.find((l) => {
    const k = loginKey(l);
    return !dismissed.includes(k) && !offered.includes(k) && l.expiresAt > now;
  });
}

/** Logins waiting behind the sheet or the list, for the banner: not answered or closed, still in time. */
export function loginsOffered(logins: LoginView[], dismissed: string[], offered: string[], now: number): LoginView[] {
  return logins.filter((l) => {
    const k = loginKey(l);
    return offered.includes(k) && !dismissed.includes(k) && l.expiresAt > now;
  });
}

/**
 * The user finished with `done` (answered, or closed the sheet): it is
 * dismissed, and every other login waiting now is offered, not raised, so
 * the next question never takes the place of the result the user is tapping.
 */
export function finish(done: LoginView, logins: LoginView[], dismissed: string[], offered: string[]): { dismissed: string[]; offered: string[] } {
  const key = loginKey(done);
  const nextDismissed = dismissed.includes(key) ? dismissed : [...dismissed, key];
  const waiting = logins.map(loginKey).filter((k) => k !== key && !nextDismissed.includes(k));
  const nextOffered = [...offered.filter((k) => k !== key), ...waiting.filter((k) => !offered.includes(k))];
  return { dismissed: nextDismissed, offered: nextOffered };
}

/**
 * How long "Nanti" puts an account's prompts aside: long enough for a flood
 * of prompts to stop standing between the user and the rest of the app
 * (Delete among it), short enough that the user's own login later in the
 * day is not missed. The sheet says the number ("Sembunyikan 15 menit").
 */
export const SNOOZE_MINUTES = 15;

/**
 * A login is held back while its account's prompts are put aside ("Nanti",
 * `snoozedUntil`) or its site is paused for sending too many (`pausedUntil`):
 * it is neither raised nor offered. The Rust side leaves such logins out of
 * the `logins` event too; this covers the moment before that event arrives
 * and a hold that ends on the local clock.
 */
export function heldBack(
  l: Pick<LoginView, 'accountId' | 'server'>,
  accounts: Array<Pick<AccountView, 'id' | 'snoozedUntil'>>,
  sites: Array<Pick<SiteView, 'server' | 'pausedUntil'>>,
  now: number,
): boolean {
  const snoozed = accounts.find((a) => a.id === l.accountId)?.snoozedUntil ?? null;
  const paused = sites.find((s) => s.server === l.server)?.pausedUntil ?? null;
  return (snoozed !== null && snoozed > now) || (paused !== null && paused > now);
}

/** The waiting logins the sheet and the banner may use: those not held back. */
export function shownLogins(
  logins: LoginView[],
  accounts: Array<Pick<AccountView, 'id' | 'snoozedUntil'>>,
  sites: Array<Pick<SiteView, 'server' | 'pausedUntil'>>,
  now: number,
): LoginView[] {
  return logins.filter((l) => !heldBack(l, accounts, sites, now));
}

/**
 * "Nanti" on `done`: not an answer, so nothing is dismissed; its account's
 * logins leave the offered list (once shown again they are raised, as the
 * user asked), and every other login waiting now is offered, not raised,
 * as after an answer (F-04): the sheet closes instead of chaining.
 */
export function putAside(done: LoginView, logins: LoginView[], dismissed: string[], offered: string[]): { dismissed: string[]; offered: string[] } {
  const mine = new Set(logins.filter((l) => l.accountId === done.accountId).map(loginKey));
  mine.add(loginKey(done));
  const waiting = logins.map(loginKey).filter((k) => !mine.has(k) && !dismissed.includes(k));
  const kept = offered.filter((k) => !mine.has(k));
  return { dismissed, offered: [...kept, ...waiting.filter((k) => !kept.includes(k))] };
}
