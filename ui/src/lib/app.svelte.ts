// App state shared by the screens, and the only code that keeps it in step
// with the Rust side (through ipc.ts): accounts, codes, waiting logins,
// settings, navigation and the snackbar.
import {
  api,
  events,
  type AccountView,
  type Added,
  type BackupNote,
  type CodeView,
  type LinkView,
  type LoginView,
  type Platform,
  type PushStatus,
  type RestoredFrom,
  type Settings,
  type SiteStateEvent,
  type SiteView,
} from './ipc';
import { tick } from 'svelte';
import { setLanguage, t, type MessageKey } from './i18n/index.svelte';
import { finish, loginKey, putAside } from './logins';

export type View =
  | { name: 'accounts' }
  | { name: 'add' }
  /** `remove`: open with the delete check started (the row's "Hapus akun"). */
  | { name: 'details'; id: string; remove?: boolean }
  | { name: 'settings' }
  | { name: 'about' }
  /** Settings › Cadangan & pulihkan; `section: 'restore'` opens at the restore (after the vault was set aside). */
  | { name: 'backup'; section?: 'restore' };

interface Snack {
  text: string;
  /** Bumped on every message so the same text twice still restarts the timer. */
  serial: number;
}

export const app = $state({
  platform: 'linux' as Platform,
  loaded: false,
  loadError: null as unknown,
  sites: [] as SiteView[],
  accounts: [] as AccountView[],
  /** Set when the vault was opened from its backup; the list warns until dismissed. */
  restoredFromBackup: null as RestoredFrom | null,
  /** The backup file reminder (`never` or `changed`), null when the backup is current or nothing to back up. */
  backup: null as BackupNote | null,
  codes: {} as Record<string, CodeView>,
  logins: [] as LoginView[],
  /** Logins answered or closed in the sheet (by `loginKey`), so a later `logins` event does not raise them again. */
  dismissed: [] as string[],
  /**
   * Logins that were waiting when the user finished with another (by
   * `loginKey`): offered on a banner ("Tampilkan login berikutnya"), never
   * raised in the place of the result the user just tapped.
   */
  offered: [] as string[],
  settings: { language: 'system', theme: 'system', screenshotProtection: true, closeToTray: true, startAtLogin: false, alwaysOn: false } as Settings,
  /** Android: whether login requests reach the phone while the app is closed (Settings shows it); null before asked. */
  push: null as PushStatus | null,
  /** Android: the "Izinkan pemberitahuan?" dialog is open (after the first SPSE account, at most once a run). */
  notifyOffer: false,
  view: { name: 'accounts' } as View,
  /** The list's search (the field in the list on phones, in the top bar on a desktop window). */
  query: '',
  /** The search field was asked for (Ctrl+F) on a list short enough to show none. */
  searchOpen: false,
  /** A link opened on the phone, waiting for the Add screen to show its preview (or error). */
  linked: null as LinkView | null,
  snack: null as Snack | null,
});

/** The local clock, ticking each second (aligned to the second) for countdowns. */
export const clock = $state({ now: Date.now() });

export const isMobile = (): boolean => app.platform === 'android' || app.platform === 'ios';

let snackSerial = 0;
let snackTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows a short message at the bottom (read by screen readers through its live region). */
export function snack(text: string, ms = 4000): void {
  snackSerial += 1;
  app.snack = { text, serial: snackSerial };
  clearTimeout(snackTimer);
  snackTimer = setTimeout(() => (app.snack = null), ms);
}

/**
 * How many views deep we are in the web view's history (0 on the list,
 * 1 on a view, 2 on About). Each view pushes a history entry so Android's
 * back button (which goes back in the web view) returns to the list instead
 * of closing the app.
 */
let depth = 0;

function show(view: View): void {
  app.view = view;
  // Each view starts at its top (App focuses its heading for screen readers).
  window.scrollTo(0, 0);
}

/** The backup view was opened from Settings (Back returns there), not from the list or the startup error. */
let fromSettings = false;

export function navigate(view: View): void {
  if (view.name === 'backup') fromSettings = app.view.name === 'settings';
  if (view.name === 'accounts') {
    if (depth > 0) {
      const n = depth;
      depth = 0;
      history.go(-n);
    }
  } else {
    depth += 1;
    history.pushState({ depth }, '');
  }
  show(view);
}

export function back(): void {
  if (depth > 0) history.back();
  else show({ name: 'accounts' });
}

function onpopstate(e: PopStateEvent): void {
  const to = typeof e.state?.depth === 'number' ? (e.state.depth as number) : 0;
  depth = to;
  if (to === 0) {
    if (app.view.name !== 'accounts') show({ name: 'accounts' });
  } else if (app.view.name === 'about' || (app.view.name === 'backup' && to === 1 && fromSettings)) {
    show({ name: 'settings' });
  }
}

export function applySettings(s: Settings): void {
  app.settings = s;
  setLanguage(s.language);
  const root = document.documentElement;
  if (s.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = s.theme;
}

/** The restores the vault reported so far (`restores`), and how many of them the user read ("Mengerti"). */
let restoresSeen = 0;
let restoresRead = 0;

/** The user read the backup warning: it stays away until the vault reports another restore. */
export function dismissRestored(): void {
  restoresRead = restoresSeen;
  app.restoredFromBackup = null;
}

/**
 * The backup warning to show for what the vault reports now (F-20): a
 * dismissal holds only for the restores the user read. A second restore in
 * the same run (the vault damaged again after a save) counts up
 * `restores`, and is told again, whatever its reason.
 */
function noteRestored(reported: RestoredFrom | null, restores: number): void {
  restoresSeen = restores;
  app.restoredFromBackup = reported !== null && restores > restoresRead ? reported : null;
}

export async function loadAccounts(): Promise<void> {
  try {
    const view = await api.accounts();
    app.sites = view.sites;
    app.accounts = view.accounts;
    noteRestored(view.restoredFromBackup, view.restores);
    app.backup = view.backup ?? null;
    app.loadError = null;
  } catch (err) {
    app.loadError = err;
  } finally {
    app.loaded = true;
  }
  await refreshCodes();
}

/**
 * The startup error's "Pulihkan dari berkas cadangan" (vaultTampered,
 * vaultCorrupt, keyMissing): the unreadable vault is set aside (kept, never
 * deleted), the new empty one opens, and the backup view shows its restore.
 * The name the old file is kept under.
 */
export async function setAsideAndRestore(): Promise<string> {
  const { keptAs } = await api.setAsideVault();
  await loadAccounts();
  navigate({ name: 'backup', section: 'restore' });
  return keptAs;
}

let codesTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Fetches the codes and schedules the next fetch for just after the earliest
 * `validUntil`, so a code is never shown past its period and no fetch is made
 * in between (the countdown itself runs on the local clock).
 */
export async function refreshCodes(): Promise<void> {
  clearTimeout(codesTimer);
  if (app.accounts.length === 0) {
    app.codes = {};
    return;
  }
  let delay = 30_000;
  try {
    const view = await api.codes();
    const map: Record<string, CodeView> = {};
    for (const c of view.codes) map[c.id] = c;
    app.codes = map;
    const until = view.codes.map((c) => c.validUntil).filter((v): v is number => v !== null);
    if (until.length > 0) delay = Math.max(200, Math.min(...until) - Date.now() + 50);
  } catch {
    delay = 5_000;
  }
  codesTimer = setTimeout(() => void refreshCodes(), delay);
}

function startClock(): void {
  const tick = () => {
    clock.now = Date.now();
    setTimeout(tick, 1000 - (clock.now % 1000) + 5);
  };
  tick();
}

/** The `site-state` event: the site's state, and whether its prompts are paused (its card says so), follow. */
export function onSiteState({ server, state, pausedUntil }: SiteStateEvent): void {
  app.sites = app.sites.map((s) => (s.server === server ? { ...s, state, pausedUntil } : s));
}

/** Adds logins a check found to the waiting list (the `logins` event sends the full list). */
export function mergeLogins(found: LoginView[]): void {
  // Asked for on purpose (the user tapped the account): show them again even if closed or only offered before.
  const again = new Set(found.map(loginKey));
  app.dismissed = app.dismissed.filter((k) => !again.has(k));
  app.offered = app.offered.filter((k) => !again.has(k));
  const known = new Set(app.logins.map(loginKey));
  const added = found.filter((l) => !known.has(loginKey(l)));
  if (added.length > 0) app.logins = [...app.logins, ...added];
}

/** The user is done with a login in the sheet (answered or closed): the others waiting are offered, not raised. */
export function finishLogin(done: LoginView): void {
  const next = finish(done, app.logins, app.dismissed, app.offered);
  app.dismissed = next.dismissed;
  app.offered = next.offered;
}

/**
 * "Nanti" (`minutes` > 0, at most 1440) or "Tampilkan lagi" (0) for one
 * account's login prompts, told to the Rust side, which holds them back
 * (and, for 0, resumes its site's pause too). The list follows at once:
 * the account's `snoozedUntil`, and for 0 its site's `pausedUntil`. Until
 * when they are aside (local Unix ms), null when shown.
 */
export async function snoozeAccount(accountId: string, minutes: number): Promise<number | null> {
  const until = await api.snoozeLogins(accountId, minutes);
  app.accounts = app.accounts.map((a) => (a.id === accountId ? { ...a, snoozedUntil: until } : a));
  if (minutes === 0) {
    const server = app.accounts.find((a) => a.id === accountId)?.server ?? null;
    if (server !== null) app.sites = app.sites.map((s) => (s.server === server ? { ...s, pausedUntil: null } : s));
  }
  return until;
}

/**
 * "Tampilkan lagi" on a paused site's card: the prompts of every account on
 * it shown again (the Rust side ends the site's pause with the first).
 */
export async function showSiteAgain(server: string): Promise<void> {
  for (const a of app.accounts.filter((x) => x.server === server)) await snoozeAccount(a.id, 0);
}

/** A check asked for on purpose (the account tapped): the Rust side shows its prompts again, and so does the row. */
export function checkedAccount(accountId: string): void {
  app.accounts = app.accounts.map((a) => (a.id === accountId && a.snoozedUntil !== null ? { ...a, snoozedUntil: null } : a));
}

/** "Nanti" in the sheet: the account's logins are put aside, not dismissed; the others waiting are offered, not raised. */
export function putLoginAside(done: LoginView): void {
  const next = putAside(done, app.logins, app.dismissed, app.offered);
  app.dismissed = next.dismissed;
  app.offered = next.offered;
}

/** "Tampilkan login berikutnya": the sheet may raise this login now. */
export function showLogin(key: string): void {
  app.offered = app.offered.filter((k) => k !== key);
}

/**
 * A link opened on the phone (otpauth://): its preview goes to the Add
 * screen, where the user confirms or cancels; nothing is added here.
 */
export function openLink(link: LinkView): void {
  app.linked = link;
  if (app.view.name !== 'add') navigate({ name: 'add' });
}

/** The notification dialog was offered this run (or its check is under way): it is, at most once. */
let notifyOffered = false;

/** The vault holds an account on an SPSE site (one that can get login requests). */
export function hasSiteAccount(accounts: AccountView[]): boolean {
  return accounts.some((a) => a.server !== null);
}

/**
 * An account was added. On Android, when it is the first on an SPSE site
 * (`hadSiteAccount`: the list had one before) and the system has not yet
 * asked about notifications, the "Izinkan pemberitahuan?" dialog opens:
 * once a run, never on desktop (no push there: it polls from the tray).
 */
export async function offerNotifications(added: Added, hadSiteAccount: boolean): Promise<void> {
  if (app.platform !== 'android' || notifyOffered || hadSiteAccount || added.server === null) return;
  notifyOffered = true;
  try {
    const status = await api.pushStatus();
    app.push = status;
    if (status.state === 'notificationsUnasked') app.notifyOffer = true;
  } catch {
    // Not known: nothing offered; Settings shows the state.
  }
}

/** Asks push_status again (Settings, and on coming back from Android's settings). */
export async function refreshPush(): Promise<PushStatus> {
  const status = await api.pushStatus();
  app.push = status;
  return status;
}

/** "Izinkan pemberitahuan" (the dialog's or Settings'): the system's prompt, then the state it leaves. */
export async function allowNotifications(): Promise<PushStatus> {
  app.notifyOffer = false;
  const status = await api.askNotifications();
  app.push = status;
  return status;
}

/** "Nanti": the dialog closes, not offered again this run (Settings keeps the button). */
export function notificationsLater(): void {
  app.notifyOffer = false;
}

const recoveredKey: Record<string, MessageKey> = {
  finished: 'accounts.recovered.finished',
  rolledBack: 'accounts.recovered.rolledBack',
  unresolved: 'accounts.recovered.unresolved',
};

/** Starts everything: settings first (language, theme), then data and events. */
export async function start(): Promise<void> {
  startClock();
  window.addEventListener('popstate', onpopstate);
  // The language and theme, and the events' listeners, together: the
  // listeners are in place before the accounts are asked for, so no change
  // or recovery the Rust side tells of on the way is missed.
  const first = Promise.all([
    Promise.allSettled([api.platform(), api.settings()]),
    Promise.all([
      events.logins((list) => (app.logins = list)),
      events.accountsChanged(() => void loadAccounts()),
      events.siteState(onSiteState),
      events.link(openLink),
      events.recovered((settled) => {
        const text = settled
          .map((r) => t(recoveredKey[r.outcome], { user: r.userId, site: r.server }))
          .join(' ');
        if (text) snack(text, 8000);
      }),
    ]).catch(() => undefined),
  ]);
  // While the Rust side answers: the first layout, fonts and all, which a
  // page in an unmapped window otherwise leaves until it is shown.
  layOut();
  const [[platform, settings]] = await first;
  if (platform.status === 'fulfilled') app.platform = platform.value;
  applySettings(settings.status === 'fulfilled' ? settings.value : app.settings);

  await loadAccounts();
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      void api.setForeground(false).catch(() => undefined);
      return;
    }
    void refreshCodes();
    afterPaint(() => void api.setForeground(true).catch(() => undefined));
  });
  // The first screen is in the DOM: on desktop the window, kept unmapped
  // so that it never shows blank, is shown now, and its visibilitychange
  // tells the Rust side it is in the foreground.
  await tick();
  layOut(); // the window is mapped onto a page with only painting left
  if (await api.pageReady().catch(() => false)) return;
  if (document.hidden) {
    void api.setForeground(false).catch(() => undefined);
    return;
  }
  afterPaint(() => void api.setForeground(!document.hidden).catch(() => undefined));
}

/** Lays the page out now (reading a layout value forces it). */
function layOut(): void {
  void document.body?.offsetHeight;
}

/**
 * Runs `then` once what is in the DOM is on screen (two frames: rendered,
 * then painted), so the Rust side can time a cold start to the first codes.
 */
function afterPaint(then: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(then));
}
