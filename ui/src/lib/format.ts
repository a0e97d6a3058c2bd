// Pure helpers for the screens: no Svelte, no IPC, so vitest covers them alone.
import type { AccountView, BackupNote, LicenceGroup, Platform, SiteView } from './ipc';
import type { MessageKey } from './i18n/en';

/**
 * Groups a code's digits for reading aloud and typing: 6 → "123 456",
 * 7 → "123 4567" (the short group first, as Google Authenticator does),
 * 8 → "1234 5678". Anything else (or non-digits) is returned as is.
 */
export function groupCode(code: string): string {
  if (!/^\d+$/.test(code)) return code;
  const n = code.length;
  if (n < 6 || n > 10) return code;
  const first = Math.floor(n / 2);
  return `${code.slice(0, first)} ${code.slice(first)}`;
}

/** The type as shown beside an account: "TOTP", "HOTP", "Steam" (a brand, not an acronym). */
export function kindName(kind: AccountView['kind']): string {
  return kind === 'steam' ? 'Steam' : kind.toUpperCase();
}

/** "1 2 3 4 5 6": a screen reader reads each digit, not "one hundred twenty-three thousand". */
export function spokenCode(code: string): string {
  return code.split('').join(' ');
}

/** The window at the end of a period when the next code is shown as well. */
export const NEXT_CODE_WINDOW_S = 5;

/** Whole seconds left until `validUntil` (rounded up, so "30" right after a change, "1" just before). */
export function secondsLeft(validUntil: number, now: number): number {
  return Math.max(0, Math.ceil((validUntil - now) / 1000));
}

/** How much of the period is left, 1 → 0, for the countdown ring. */
export function ringFraction(validUntil: number, now: number, periodS: number): number {
  if (periodS <= 0) return 0;
  const f = (validUntil - now) / (periodS * 1000);
  return Math.min(1, Math.max(0, f));
}

/** True in the last NEXT_CODE_WINDOW_S seconds of a period (and not after it ended). */
export function showNext(validUntil: number, now: number): boolean {
  const left = validUntil - now;
  return left > 0 && left <= NEXT_CODE_WINDOW_S * 1000;
}

/** Time left of a login request: "0:45", "1:05"; "0:00" once expired. */
export function formatTimeLeft(expiresAt: number, now: number): string {
  const s = secondsLeft(expiresAt, now);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** The name a row shows: the user's label, else the user ID / account name. */
export function displayName(a: AccountView): string {
  return a.label && a.label.trim() !== '' ? a.label : a.name;
}

/** The host of a URL, for compact headings; the input itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

export interface SiteGroup {
  /** The site, or null for the codes-only group ("Akun lain"). */
  site: SiteView | null;
  /** The site's key (`server`), or "" for the codes-only group. */
  key: string;
  accounts: AccountView[];
}

/**
 * Accounts grouped per SPSE site, for the list. Sites come in the order of
 * their first account in the user's order (so the list follows the order the
 * user knows); sites the vault lists without accounts are left out; a site an
 * account names but `sites` lacks gets a plain entry. The codes-only accounts
 * (no `server`) come last in their own group. Within a group, the user's order.
 */
export function groupAccounts(sites: SiteView[], accounts: AccountView[]): SiteGroup[] {
  const byServer = new Map(sites.map((s) => [s.server, s]));
  const groups = new Map<string, SiteGroup>();
  const others: AccountView[] = [];
  for (const a of accounts) {
    if (a.server === null) {
      others.push(a);
      continue;
    }
    let g = groups.get(a.server);
    if (!g) {
      const site = byServer.get(a.server) ?? { server: a.server, name: null, training: false, state: 'unknown' as const, pausedUntil: null };
      g = { site, key: a.server, accounts: [] };
      groups.set(a.server, g);
    }
    g.accounts.push(a);
  }
  const out = [...groups.values()];
  if (others.length > 0) out.push({ site: null, key: '', accounts: others });
  return out;
}

/** Case-insensitive search over the user ID, label, issuer, site URL and site name. */
export function matchesQuery(a: AccountView, site: SiteView | null, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [a.name, a.label ?? '', a.issuer, a.server ?? '', site?.name ?? ''].some((s) => s.toLowerCase().includes(q));
}

/** Base32 secret check for manual entry: letters A–Z, digits 2–7, spaces and "=" padding ignored, at least 16 characters (80 bits). */
export function base32Problem(secret: string): 'empty' | 'chars' | 'short' | null {
  const s = secret.replace(/[\s=]/g, '').toUpperCase();
  if (s === '') return 'empty';
  if (!/^[A-Z2-7]+$/.test(s)) return 'chars';
  if (s.length < 16) return 'short';
  return null;
}

/**
 * Splits an ID, e-mail or host after each ".", "@", "_", "/" and "-", the
 * places a line may break inside one group of `nameGroups`.
 */
export function breakParts(text: string): string[] {
  // A loop, not a lookbehind split: lookbehind needs Safari 16.4, older iOS web views would not parse the bundle.
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if ('.@_/-'.includes(text[i]) && i + 1 < text.length) {
      parts.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A NIP (an ASN's 18-digit ID): born yyyymmdd, appointed yyyymm, sex, serial, as BKN writes it. */
const NIP = /^(\d{8})(\d{6})(\d)(\d{3})$/;

/**
 * The groups a user ID, e-mail or host may break between (and only there,
 * unless one group alone is wider than the line): a NIP in BKN's groups
 * ("19920315 201903 1 004", shown with gaps, copied without), an e-mail
 * before its domain ("budi.santoso@" / "kudus.go.id"), anything else after
 * each "." "_" "/" "-" ("PPK.DINKES." / "01"). A run of digits is never split.
 */
export function nameGroups(text: string): { groups: string[]; nip: boolean } {
  const nip = NIP.exec(text);
  if (nip) return { groups: nip.slice(1), nip: true };
  const at = text.lastIndexOf('@');
  if (at > 0 && at < text.length - 1) return { groups: [text.slice(0, at + 1), text.slice(at + 1)], nip: false };
  return { groups: breakParts(text), nip: false };
}

/**
 * Who a login is for, as the sheet's header names it: the user ID, or the
 * user's own label with the user ID ("Pokja Konstruksi (pokja.konstruksi.2026)").
 */
export function loginWho(userId: string, account: Pick<AccountView, 'label'> | undefined): string {
  const label = account?.label?.trim();
  return label && label !== userId ? `${label} (${userId})` : userId;
}

/**
 * The browser line of the login sheet, as data and never as a sentence: the
 * app's own browser and system names joined by " · " ("Firefox 133 ·
 * Windows"; the Rust side writes "Firefox 133 on Windows"), null when the
 * app did not recognise the browser.
 */
export function browserParts(browser: string | null): string[] | null {
  if (browser === null || browser.trim() === '') return null;
  return browser.split(' on ').map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * A time of day on the local clock, for "until 14.05": hours and minutes on
 * the 24-hour clock, as the language writes them ("14.05" in Indonesian,
 * "14:05" in English): officials read the office's 24-hour time.
 */
export function clockTime(ms: number, lang: 'id' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/**
 * What the screenshot setting can promise on this platform (F-16): on
 * Android the screen cannot be captured or recorded (FLAG_SECURE); on
 * Windows and macOS the window is left out of screenshots and screen sharing
 * (the window's content protection); on Linux nothing can stop a capture,
 * and the hint says so plainly rather than promise what it cannot keep.
 */
export function screenshotHintKey(platform: Platform): MessageKey {
  switch (platform) {
    case 'android':
    case 'ios':
      return 'settings.screenshotHint';
    case 'windows':
    case 'macos':
      return 'settings.screenshotWindow';
    case 'linux':
      return 'settings.screenshotLinux';
  }
}

/**
 * The quiet line over the list: `never` (no backup yet, at least one
 * account) or `changed` (accounts changed since the last backup); null when
 * the backup is current or there is nothing to back up.
 */
export function backupLine(note: BackupNote | null | undefined, accounts: number): BackupNote['state'] | null {
  if (!note || accounts === 0) return null;
  return note.state;
}

/** How many crates and npm packages the About screen's licence groups hold. */
export function licenceCounts(groups: LicenceGroup[]): { crates: number; npm: number } {
  let crates = 0;
  let npm = 0;
  for (const group of groups) {
    for (const p of group.packages) {
      if (p.npm) npm += 1;
      else crates += 1;
    }
  }
  return { crates, npm };
}
