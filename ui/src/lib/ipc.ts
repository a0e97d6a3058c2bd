// The one file of the UI that talks to the Rust side (`invoke` and `listen`).
// Every command of src-tauri/src/commands.rs has one typed function here, and
// every event one subscriber. Nothing secret ever arrives here: the UI gets
// codes, names and prompts, never a TOTP secret, an enrollment token or a
// device key (src-tauri's tests call every command and check).
//
// Errors: every command rejects with an `IpcError` `{ code, message }`.
// `code` is one of ERROR_CODES (a test in src-tauri keeps this list equal to
// the Rust `AppError::code` list); the UI words each code in both languages
// (i18n keys `error.<code>`); `message` is the English detail for logs and
// the "details" line, never a secret.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

/** Every error code the app sends, camelCase, stable. */
export const ERROR_CODES = [
  // The vault and the keystore (spse-vault).
  'keystoreUnavailable',
  'keyMissing',
  'keyWrong',
  'vaultTampered',
  'vaultCorrupt',
  'vaultTooNew',
  'io',
  'notDurable',
  'accountExists',
  'accountNotFound',
  'badName',
  // Enrollment across vault and site (spse-accounts).
  'enrolledNotSaved',
  'enrollmentUnsettled',
  // Reaching a site (spse-client).
  'siteUnreachable',
  'siteTls',
  'siteTimeout',
  'siteBadResponse',
  'siteBadRoot',
  'wrongAccount',
  // What a site answered (docs/protocol.md error codes).
  'invalidRequest',
  'badSignature',
  'staleTimestamp',
  'replayedRequest',
  'unknownDevice',
  'totpDisabled',
  'blocked',
  'unknownEnrollment',
  'unknownChallenge',
  'enrollmentUsed',
  'challengeDecided',
  'enrollmentExpired',
  'challengeExpired',
  'badCode',
  'codeReused',
  'numberRequired',
  'numberMismatch',
  'rateLimited',
  'siteError',
  // Pictures and payloads (spse-qr, spse-otp).
  'imageUnreadable',
  'imageTooLarge',
  'qrNotFound',
  'qrNotAuthenticator',
  'qrAmbiguous',
  'qrInvalidPayload',
  'payloadInvalid',
  // The app itself.
  'previewGone',
  'needsConfirmation',
  // A training server over plain http in a build that forbids it (Android release).
  'cleartextBlocked',
  'clipboardEmpty',
  'clipboardUnavailable',
  'notEnrolled',
  'loginGone',
  // Backup, restore, import and export (spse-backup).
  'importUnrecognised',
  'importTooLarge',
  'importPasswordNeeded',
  'importWrongPassword',
  'importDamaged',
  'importNewerVersion',
  'importUnsupported',
  'importTooMuchMemory',
  'backupPasswordShort',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What every command rejects with. */
export interface IpcError {
  code: ErrorCode;
  /** English detail for the details line and logs; never a secret. */
  message: string;
}

export function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as IpcError).code)
  );
}

export type Platform = 'linux' | 'windows' | 'macos' | 'android' | 'ios';

/** An SPSE site the vault has enrolled accounts on. */
export interface SiteView {
  /** The site's URL, as the QR gave it (the key accounts refer to). */
  server: string;
  /** The name the site gave at enrollment ("LPSE Kabupaten Kudus"), if any. */
  name: string | null;
  /** An http:// or private-network site the user confirmed as training. */
  training: boolean;
  /**
   * What the app last learned of the site: `unknown` before any answer,
   * `reachable`, `offline` (not answering; retried with back-off), or
   * `totpDisabled` (the site says TOTP is off or the device unknown: the
   * account can be deleted without a lock-out).
   */
  state: SiteState;
  /**
   * Set while the site's login prompts are paused because it sent too many
   * (more than 10 new logins a minute, or prompts refused or put aside 3
   * times a minute): local Unix ms when they show again. Its card says so;
   * `snoozeLogins(accountId, 0)` for one of its accounts resumes them.
   */
  pausedUntil: number | null;
}

export type SiteState = 'unknown' | 'reachable' | 'offline' | 'totpDisabled';

/** One account, in the user's order. */
export interface AccountView {
  id: string;
  /** The SPSE site's URL, or null for a codes-only account (GitHub, ...). */
  server: string | null;
  issuer: string;
  /** The user ID (SPSE) or account name. */
  name: string;
  /** The user's own label, if renamed. */
  label: string | null;
  /** Steam: 5 characters of Steam's alphabet, every 30 s. */
  kind: 'totp' | 'hotp' | 'steam';
  digits: number;
  /** Seconds per code (TOTP), null for HOTP. */
  period: number | null;
  /** Enrolled with its site: logins can be approved with it. */
  enrolled: boolean;
  /** Enrollment started but not yet confirmed by the site. */
  pending: boolean;
  /** Set while the user has put the account's login prompts aside ("Nanti", `snoozeLogins`): local Unix ms when they show again. */
  snoozedUntil: number | null;
}

/** Why the vault was opened from its backup (`vault.json` gone, unreadable, or failing its integrity check). */
export type RestoredFrom = 'missing' | 'corrupt' | 'tampered';

export interface AccountsView {
  sites: SiteView[];
  accounts: AccountView[];
  /** Set when the vault was opened from its backup this run: the list warns that the last change may be missing. */
  restoredFromBackup: RestoredFrom | null;
  /** How many times this run the vault was opened from its backup: a higher number than the warning read is a new restore, told again. */
  restores: number;
  /**
   * The backup file reminder (the list's quiet line): `never` backed up, or
   * accounts `changed` since the last backup; null when backed up and
   * unchanged, or when there are no accounts.
   */
  backup: BackupNote | null;
}

// ---- backup, restore, import, export ----

/** Why the list reminds of a backup file: none made yet, or accounts changed since the last (`lastAt`: Unix seconds). */
export interface BackupNote {
  state: 'never' | 'changed';
  lastAt: number | null;
}

/** What a backup would hold now, and when the last one was made (Unix seconds). */
export interface BackupStatus {
  accounts: number;
  spseAccounts: number;
  lastAt: number | null;
  /** Accounts changed since the last backup. */
  changed: boolean;
}

/** A file the Rust side wrote through the system's save dialog (Android: its picker). */
export interface Saved {
  /** false: the user cancelled the save dialog (nothing written, nothing to say). */
  saved: boolean;
  /** The file's name as the user sees it, when saved. */
  file: string | null;
}

/** The import formats the Rust side reads (`spse` is an SPSE Auth backup). */
export type ImportFormat = 'aegis' | 'twofas' | 'ente' | 'bitwarden' | 'proton' | 'andotp' | 'freeotpplus' | 'google' | 'otpauth' | 'spse';

/** A picked file, recognised and held on the Rust side (under `handle`) until confirmImport or cancelImport. */
export interface Opened {
  handle: string;
  format: ImportFormat;
  /** The app's name as its makers write it ("Aegis", "2FAS", "SPSE Auth"). */
  formatName: string;
  /** Sealed with a password: readImport needs it. */
  encrypted: boolean;
}

/** One account a file holds. No secret comes with it. */
export interface ImportAccount {
  issuer: string | null;
  name: string;
  kind: AccountView['kind'];
  /** The SPSE site's URL for an SPSE account of a backup, else null. */
  site: string | null;
  /** Already in the vault: skipped, never duplicated. */
  already: boolean;
}

/** An entry of the file the app cannot use, and why. */
export interface ImportSkipped {
  issuer: string | null;
  name: string;
  reasonCode: 'unsupportedType' | 'unsupportedAlgorithm' | 'invalid';
  /** Short English detail ("mOTP", "SHA384", "digits: 0 is outside 6 to 10"), shown small. */
  detail: string;
}

/** What confirming would add: nothing is added before the user has seen it. */
export interface ImportPreview {
  handle: string;
  format: ImportFormat;
  formatName: string;
  /** An SPSE Auth backup (format `spse`): the screen says restore, not import. */
  restore: boolean;
  accounts: ImportAccount[];
  skipped: ImportSkipped[];
}

export interface ImportDone {
  added: number;
  /** Already present, skipped. */
  already: number;
}

/** `aegis`: Aegis, encrypted (Ente Auth and Proton Authenticator import it); `aegisPlain` and `otpauth`: unencrypted. */
export type ExportFormat = 'aegis' | 'aegisPlain' | 'otpauth';

export interface Exported {
  /** false: the user cancelled the save dialog. */
  saved: boolean;
  file: string | null;
  count: number;
  /** SPSE accounts exported without their device key: codes only, approvals stay with this app. */
  spse: number;
}

/** One account's code now and next, for the list. */
export interface CodeView {
  id: string;
  /** The digits, ungrouped ("123456"); the UI groups them. */
  code: string;
  /** The following period's code (TOTP), so the last 5 s can show it. */
  next: string | null;
  /** Local Unix ms when `code` stops being valid (TOTP), null for HOTP. */
  validUntil: number | null;
  /** Seconds per code (TOTP), null for HOTP. */
  period: number | null;
}

export interface CodesView {
  /** The app's local clock when the codes were made, Unix ms. */
  now: number;
  codes: CodeView[];
}

/** What a QR payload holds, before anything is stored or sent. */
export interface Preview {
  /** Names the payload kept on the Rust side until confirmAdd or cancelAdd (or 5 minutes). */
  handle: string;
  kind: 'spse' | 'otpauth' | 'migration';
  /** The SPSE site's URL (kind `spse`), else null. */
  server: string | null;
  /** An http:// or private-network server: adding needs the user's confirmation. */
  training: boolean;
  /**
   * Every account already in the vault that adding replaces, after confirmation (empty when none): the
   * same site and user ID after a Reset TOTP, or each account of an export already here. A replacement keeps its label.
   */
  replaces: AccountView[];
  accounts: Array<{ issuer: string; name: string; kind: AccountView['kind']; digits: number; period: number | null }>;
}

export interface Added {
  ids: string[];
  /** The SPSE site's URL for an enrollment, else null. */
  server: string | null;
  /** The name the site gave, else null ("Akun pada <siteName ?? server> berhasil ditambahkan"). */
  siteName: string | null;
  /** The enrolled user ID, else null. */
  user: string | null;
}

/** A generic account typed in by hand (the secret goes in, never comes back). */
export interface ManualAccount {
  issuer: string;
  name: string;
  /** Base32, spaces and case ignored. */
  secret: string;
  kind: 'totp' | 'hotp';
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: 6 | 7 | 8;
  /** TOTP seconds per code. */
  period: number;
  /** HOTP counter. */
  counter: number;
}

/** A login waiting for an answer: the **Authorize login?** sheet. */
export interface LoginView {
  tx: string;
  accountId: string;
  userId: string;
  /** The site's address, the identity the app checked: the sheet leads with it (its name is the site's own choice). */
  server: string;
  /** A training site (plain http or a private address): the sheet marks it. */
  training: boolean;
  siteName: string | null;
  /**
   * The browser and system when the app recognises them ("Firefox 133 on
   * Windows": the app's own names and the version's digits), null otherwise
   * (the person logging in writes the User-Agent; their words never reach the sheet).
   */
  browser: string | null;
  /** The browser's IP address when the site sent one that is an address, else null. */
  ip: string | null;
  /** Local Unix ms (site clock corrected). */
  createdAt: number;
  expiresAt: number;
  /** The site asks for the 2-digit number its login page shows. */
  numberMatch: boolean;
}

export type Decision = 'approve' | 'deny' | 'report';

export interface Decided {
  decision: Decision;
  userId: string;
  /** "Login PPK2 diterima" / "ditolak" / "dilaporkan": the UI words it from decision + userId. */
}

/** What the site says before deleting (no lock-out warning only for `safe` and `noSite`). */
export type RemovalCheck = 'noSite' | 'safe' | 'stillActive' | 'unknown';

export interface Settings {
  language: 'system' | 'id' | 'en';
  theme: 'system' | 'light' | 'dark';
  /** FLAG_SECURE on Android; kept on desktop for when it applies. */
  screenshotProtection: boolean;
  /**
   * Desktop: closing the window keeps the app running in the system tray, so
   * login requests still arrive as OS notifications (Quit is in the tray's
   * menu). Default true. Kept, unused, on Android.
   */
  closeToTray: boolean;
  /** Desktop: the app starts hidden in the tray when the user logs in to the computer. Default false. */
  startAtLogin: boolean;
  /**
   * Android: "Selalu aktif", a foreground service keeps the app running in
   * the background (its long polls go on, a login raises a notification) for
   * phones without a push distributor. Default false.
   */
  alwaysOn: boolean;
}

/**
 * Whether login requests can reach the phone while the app is closed
 * (`push_status`, `ask_notifications`): `on` through the UnifiedPush
 * distributor app named in `distributor` ("ntfy"); `noDistributor` (none
 * installed: requests arrive only while the app is open); `notificationsDenied`
 * (the user refused: allowed again in Android's settings for the app);
 * `notificationsUnasked` (not asked yet); `unavailable` (desktop, which has no
 * push and polls from the tray instead).
 */
export type PushState = 'on' | 'noDistributor' | 'notificationsDenied' | 'notificationsUnasked' | 'unavailable';

export const PUSH_STATES = ['on', 'noDistributor', 'notificationsDenied', 'notificationsUnasked', 'unavailable'] as const satisfies readonly PushState[];

export interface PushStatus {
  state: PushState;
  /** The distributor app's name when `on` ("ntfy"), else null. */
  distributor: string | null;
}

export interface About {
  version: string;
  /** "Linux x86_64", ... */
  platform: string;
  /** The data folder holding the vault (no secret in it). */
  dataDir: string;
  /** Every third-party package shipped (src-tauri/licences.json), by licence, the largest group first. */
  licences: LicenceGroup[];
}

/** The shipped packages under one SPDX licence expression. */
export interface LicenceGroup {
  /** "Apache-2.0 OR MIT". */
  licence: string;
  /** By name; `npm` for the UI's packages, else a crate the app links. */
  packages: Array<{ name: string; version: string; npm: boolean }>;
}

/** An enrollment a crash interrupted, settled at start (spse-accounts). */
export interface Recovered {
  accountId: string;
  userId: string;
  server: string;
  outcome: 'finished' | 'rolledBack' | 'unresolved';
}

/** A link opened on the phone (otpauth://, otpauth-migration://): its preview for the Add screen, or why it cannot be read. Never added without the user's confirmation. */
export interface LinkView {
  preview: Preview | null;
  error: IpcError | null;
}

// ---- pictures over the IPC ----

/**
 * Standard base64 (RFC 4648, with padding) of `bytes`, built in chunks: one
 * `String.fromCharCode(...bytes)` of a 5 MB photo would overflow the call stack.
 */
export function toBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/** The platform `api.platform()` answered, kept for the commands whose encoding depends on it. */
let ipcPlatform: Platform | null = null;

/**
 * Android's (and iOS's) IPC is a JSON postMessage: it cannot carry a raw
 * body, so a picture goes there as base64 in JSON. Before `platform` has
 * answered, the web view's user agent tells.
 */
function rawBodyUnsupported(): boolean {
  if (ipcPlatform !== null) return ipcPlatform === 'android' || ipcPlatform === 'ios';
  return typeof navigator !== 'undefined' && /Android|iPhone|iPad/.test(navigator.userAgent);
}

// ---- commands ----

export const api = {
  platform: () =>
    invoke<Platform>('platform').then((platform) => {
      ipcPlatform = platform;
      return platform;
    }),
  accounts: () => invoke<AccountsView>('accounts'),
  codes: () => invoke<CodesView>('codes'),
  /** Copies the account's current code; cleared after 30 s if still there. */
  copyCode: (id: string) => invoke<void>('copy_code', { id }),
  /** HOTP: the next code (the counter moves on, saved). */
  nextHotp: (id: string) => invoke<void>('next_hotp', { id }),

  previewText: (text: string) => invoke<Preview>('preview_text', { text }),
  /**
   * A picture's bytes (a dropped or picked file read by the UI): a raw IPC
   * body on desktop; `{ image: <base64> }` JSON on android/ios, whose IPC has no raw body.
   */
  previewImage: (bytes: Uint8Array) =>
    rawBodyUnsupported()
      ? invoke<Preview>('preview_image', { image: toBase64(bytes) })
      : invoke<Preview>('preview_image', bytes),
  /** The clipboard's picture, else its text. */
  previewClipboard: () => invoke<Preview>('preview_clipboard'),
  confirmAdd: (handle: string, confirm: { training: boolean; replace: boolean }) =>
    invoke<Added>('confirm_add', { handle, training: confirm.training, replace: confirm.replace }),
  cancelAdd: (handle: string) => invoke<void>('cancel_add', { handle }),
  addManual: (account: ManualAccount) => invoke<Added>('add_manual', { account }),

  /** Asks the sites now (all, or one account's), as tapping an account does. */
  checkLogins: (accountId?: string) => invoke<LoginView[]>('check_logins', { accountId: accountId ?? null }),
  /** Answers the login `tx` of `accountId` (a login is named by both: two sites may use the same tx). */
  decide: (accountId: string, tx: string, decision: Decision, number?: string) =>
    invoke<Decided>('decide', { accountId, tx, decision, number: number ?? null }),

  rename: (id: string, label: string | null) => invoke<void>('rename', { id, label }),
  removalCheck: (id: string) => invoke<RemovalCheck>('removal_check', { id }),
  remove: (id: string) => invoke<void>('remove', { id }),

  settings: () => invoke<Settings>('settings'),
  setSettings: (settings: Settings) => invoke<Settings>('set_settings', { settings }),
  about: () => invoke<About>('about'),
  /** Whether login requests reach the phone while the app is closed (desktop: `unavailable`). */
  pushStatus: () => invoke<PushStatus>('push_status'),
  /** Android 13+: the system's notification permission prompt; the state after the user's answer. */
  askNotifications: () => invoke<PushStatus>('ask_notifications'),
  /** The window became visible (polling runs) or hidden (it stops). */
  setForeground: (visible: boolean) => invoke<void>('set_foreground', { visible }),
  /**
   * The first screen is in the DOM: on desktop the window, unmapped until
   * now, shows (unless the app started in the tray). Whether this showed it.
   */
  pageReady: () => invoke<boolean>('page_ready'),
  /** The device has a camera to scan with (phones; false on desktop). Asked before every scan. */
  hasCamera: () => invoke<boolean>('has_camera'),
  /** What a backup would hold, and when the last was made (Settings › Cadangan & pulihkan). */
  backupStatus: () => invoke<BackupStatus>('backup_status'),
  /**
   * Seals every account (labels, HOTP counters, SPSE sites, user IDs and
   * device keys) with a key from `password` (8 characters or more, else
   * `backupPasswordShort`) and asks where to save it (the system's save
   * dialog; Android's picker). `saved: false` when the user cancelled.
   */
  makeBackup: (password: string) => invoke<Saved>('make_backup', { password }),
  /**
   * A picked file's bytes (an SPSE Auth backup or another app's export),
   * recognised and held under a handle; nothing is added. A raw IPC body on
   * desktop; `{ file: <base64> }` JSON on android/ios, whose IPC has no raw body.
   * Rejects `importUnrecognised`, `importTooLarge`.
   */
  openImport: (bytes: Uint8Array) =>
    rawBodyUnsupported()
      ? invoke<Opened>('open_import', { file: toBase64(bytes) })
      : invoke<Opened>('open_import', bytes),
  /**
   * Reads an opened file (`password` for an encrypted one, else null) into
   * its preview; still nothing is added. Rejects `importPasswordNeeded`,
   * `importWrongPassword`, `importDamaged`, `importNewerVersion`,
   * `importUnsupported`, `importTooMuchMemory`, `previewGone`.
   */
  readImport: (handle: string, password: string | null) => invoke<ImportPreview>('read_import', { handle, password }),
  /** Adds the preview's new accounts (those already here are skipped), all or nothing. */
  confirmImport: (handle: string) => invoke<ImportDone>('confirm_import', { handle }),
  /** Releases an opened file or its preview (the user cancelled, or left the screen). */
  cancelImport: (handle: string) => invoke<void>('cancel_import', { handle }),
  /**
   * Exports every account for another app, through the save dialog:
   * encrypted Aegis (`password`, 8 characters or more) or, after the UI's
   * warning, plain Aegis or an otpauth:// list (`password` null). SPSE
   * device keys never go out: those accounts leave as codes only.
   */
  exportAccounts: (format: ExportFormat, password: string | null) => invoke<Exported>('export_accounts', { format, password }),
  /**
   * Only after start failed with vaultTampered, vaultCorrupt or keyMissing:
   * the unreadable vault is moved aside (kept under `keptAs`, never deleted)
   * and a new empty one opens, for a restore.
   */
  setAsideVault: () => invoke<{ keptAs: string }>('set_aside_vault'),
  /** Puts the account's login prompts aside for `minutes` ("Nanti", at most 1440); 0 shows them again and resumes its site's paused prompts. Local Unix ms they are aside until, null when shown. */
  snoozeLogins: (accountId: string, minutes: number) => invoke<number | null>('snooze_logins', { accountId, minutes }),
};

// ---- events ----

/** The `site-state` event: what the app knows of one site now. */
export interface SiteStateEvent {
  server: string;
  state: SiteState;
  /** Local Unix ms when its paused prompts show again, null when not paused. */
  pausedUntil: number | null;
}

/** Event names, as the Rust side emits them. */
export const EVENTS = {
  logins: 'logins',
  accountsChanged: 'accounts-changed',
  siteState: 'site-state',
  recovered: 'recovered',
  link: 'link',
} as const;

export const events = {
  /** The full list of waiting logins, whenever it changes (empty when none). */
  logins: (handler: (logins: LoginView[]) => void): Promise<UnlistenFn> =>
    listen<LoginView[]>(EVENTS.logins, (e) => handler(e.payload)),
  /** The vault changed (this app or the CLI): refetch `accounts`. */
  accountsChanged: (handler: () => void): Promise<UnlistenFn> => listen(EVENTS.accountsChanged, () => handler()),
  /** A site's state changed, or its prompts were paused or resumed (`pausedUntil`, as in SiteView). */
  siteState: (handler: (site: SiteStateEvent) => void): Promise<UnlistenFn> =>
    listen<SiteStateEvent>(EVENTS.siteState, (e) => handler(e.payload)),
  /** Enrollments settled at start. */
  recovered: (handler: (settled: Recovered[]) => void): Promise<UnlistenFn> =>
    listen<Recovered[]>(EVENTS.recovered, (e) => handler(e.payload)),
  /** A link opened on the phone (Android), previewed: show it on the Add screen. */
  link: (handler: (link: LinkView) => void): Promise<UnlistenFn> =>
    listen<LinkView>(EVENTS.link, (e) => handler(e.payload)),
};
