// The IPC mock of the screenshot build (`vite build --mode screens`) only:
// main.ts imports it behind `__SCREENS__`, so it never ships in the app.
// The page's query picks the data: `?mock=<scenario>&lang=id|en&theme=light|dark&platform=linux|android`,
// and on android `&camera=none|denied` (no camera, or the permission refused), `&site=long` (a long
// site name in the login sheet; `&site=training` a training server on the LAN that names itself like a
// ministry's LPSE), `&text=large` (text 130 %, as Android's largest font size), `&text=xlarge` (150 %),
// `&push=on|noDistributor|notificationsDenied|notificationsUnasked|unavailable` (what `push_status`
// answers there; `on` by default, through "ntfy"; desktop always `unavailable`) and `&ask=deny` (the user
// refuses the system's notification prompt; by default it is allowed).
// Backup and restore: `&backup=never|changed` (the list's reminder; none by default), `&save=cancel` (the
// user cancels the save dialog), `&import=<kind>` (what a picked file is, else told by its bytes: see
// IMPORTS), `&password=wrong` (every password is wrong; else only "salah" is), `mock=tampered|corrupt|keymissing`
// (the vault cannot be opened; "Pulihkan dari berkas cadangan" sets it aside and an empty vault opens).
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type {
  About,
  AccountView,
  AccountsView,
  Added,
  BackupNote,
  BackupStatus,
  ErrorCode,
  Exported,
  ImportAccount,
  ImportPreview,
  ImportSkipped,
  Opened,
  CodesView,
  IpcError,
  LoginView,
  Preview,
  PushState,
  PushStatus,
  RemovalCheck,
  Settings,
  SiteView,
} from './lib/ipc';

const q = new URLSearchParams(location.search);
const scenario = q.get('mock') ?? 'main';

const KUDUS = 'https://spse.kuduskab.go.id';
const NTT = 'https://lpse.nttprov.go.id';
const LATIHAN = 'http://latihan-lpse.lkpp.go.id';
const JEMBRANA = 'https://lpse.jembranakab.go.id';

/** `mock=paused`: Kudus sent too many logins, its prompts paused for 10 minutes (F-02). */
const PAUSED_UNTIL = scenario === 'paused' ? Date.now() + 10 * 60_000 : null;

const sites: SiteView[] = [
  { server: KUDUS, name: 'LPSE Kabupaten Kudus', training: false, state: 'reachable', pausedUntil: PAUSED_UNTIL },
  { server: NTT, name: 'LPSE Provinsi Nusa Tenggara Timur', training: false, state: 'offline', pausedUntil: null },
  { server: LATIHAN, name: 'Latihan LKPP', training: true, state: 'reachable', pausedUntil: null },
  { server: JEMBRANA, name: null, training: false, state: 'totpDisabled', pausedUntil: null },
];

function spse(id: string, server: string, name: string, extra: Partial<AccountView> = {}): AccountView {
  return { id, server, issuer: 'SPSE', name, label: null, kind: 'totp', digits: 6, period: 30, enrolled: true, pending: false, snoozedUntil: null, ...extra };
}
function other(id: string, issuer: string, name: string, extra: Partial<AccountView> = {}): AccountView {
  return { id, server: null, issuer, name, label: null, kind: 'totp', digits: 6, period: 30, enrolled: false, pending: false, snoozedUntil: null, ...extra };
}

/** A fixed last backup (26 Oct 2026, 09.13 UTC), so the screenshots stay the same. */
const LAST_BACKUP = 1793005980;

/** `backup=never|changed`: the list's reminder; by default the backup is current (no line). */
let backupNote: BackupNote | null = (() => {
  const asked = q.get('backup');
  if (asked === 'never') return { state: 'never', lastAt: null };
  if (asked === 'changed') return { state: 'changed', lastAt: LAST_BACKUP };
  return null;
})();
let lastBackupAt: number | null = q.get('backup') === 'never' ? null : LAST_BACKUP;

/** `mock=tampered|corrupt|keymissing`: the vault cannot be opened at start, until set aside. */
const UNREADABLE: Record<string, ErrorCode> = { tampered: 'vaultTampered', corrupt: 'vaultCorrupt', keymissing: 'keyMissing' };
let setAside = false;

function accountsFor(): AccountsView {
  if (scenario === 'empty' || scenario in UNREADABLE) return { sites: [], accounts: [], restoredFromBackup: null, restores: 0, backup: null };
  const main = [
    // `mock=snoozed`: the user put PPK2's prompts aside ("Nanti") for 15 minutes.
    spse('kudus-ppk2', KUDUS, 'PPK2', { snoozedUntil: scenario === 'snoozed' ? Date.now() + 15 * 60_000 : null }),
    spse('kudus-pokja', KUDUS, 'pokja.konstruksi.2026', { label: 'Pokja Konstruksi' }),
    spse('ntt-ppk', NTT, 'PPK.DINKES.01'),
    spse('latihan', LATIHAN, 'ppk_latihan'),
    spse('jembrana', JEMBRANA, 'PP-JEMBRANA'),
    other('github', 'GitHub', 'budi.santoso@kudus.go.id', { digits: 8 }),
    other('google', 'Google', 'budi.santoso@gmail.com'),
  ];
  if (scenario === 'many') {
    main.push(
      spse('kudus-pp1', KUDUS, 'PP.01', { pending: true, enrolled: false }),
      spse('kudus-aud', KUDUS, 'AUDITOR.INSPEKTORAT'),
      // An ASN's NIP as the user ID: it must wrap only between BKN's groups.
      spse('ntt-nip', NTT, '199203152019031004'),
      other('hotp', 'Bank', 'token', { kind: 'hotp', period: null }),
      // A long e-mail: it must break before its domain, never inside it.
      other('ms', 'Microsoft', 'pejabat.pengadaan.barang@pekerjaanumum.go.id'),
    );
  }
  // `mock=restored`: the vault was opened from its backup (vault.json failed its check).
  const restored = scenario === 'restored';
  return { sites, accounts: main, restoredFromBackup: restored ? 'tampered' : null, restores: restored ? 1 : 0, backup: backupNote };
}

let accounts = accountsFor();

/** A stable fake code per account and time step, so screenshots look real. */
function fakeCode(id: string, step: number, digits: number): string {
  let h = 2166136261;
  for (const ch of `${id}:${step}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return String(h % 10 ** digits).padStart(digits, '0');
}

let codesCalls = 0;
function codes(): CodesView {
  const now = Date.now();
  codesCalls += 1;
  return {
    now,
    codes: accounts.accounts.map((a) => {
      if (a.kind === 'hotp') return { id: a.id, code: fakeCode(a.id, 0, a.digits), next: null, validUntil: null, period: null };
      const p = (a.period ?? 30) * 1000;
      let until = (Math.floor(now / p) + 1) * p;
      // `late=1`: the first codes end in 4.5 s, so the next code shows on the first screenshot.
      if (q.get('late') === '1' && codesCalls === 1) until = now + 4500;
      const step = Math.floor(until / p);
      return { id: a.id, code: fakeCode(a.id, step, a.digits), next: fakeCode(a.id, step + 1, a.digits), validUntil: until, period: a.period };
    }),
  };
}

function fail(code: IpcError['code'], message: string): never {
  throw { code, message } satisfies IpcError;
}

let settings: Settings = {
  language: (q.get('lang') as Settings['language']) ?? 'system',
  theme: (q.get('theme') as Settings['theme']) ?? 'system',
  screenshotProtection: true,
  closeToTray: true,
  startAtLogin: false,
  alwaysOn: false,
};

const PUSH_STATES: PushState[] = ['on', 'noDistributor', 'notificationsDenied', 'notificationsUnasked', 'unavailable'];
/** What `push_status` answers: desktop has no push; on android `&push=` picks the state (`on` by default). */
let push: PushStatus = (() => {
  if (q.get('platform') !== 'android') return { state: 'unavailable', distributor: null };
  const asked = q.get('push') as PushState | null;
  const state = asked && PUSH_STATES.includes(asked) ? asked : 'on';
  return { state, distributor: state === 'on' ? 'ntfy' : null };
})();

/** `ask_notifications`: the system's prompt, allowed (or refused with `&ask=deny`), once asked it is not asked again. */
function askNotifications(): PushStatus {
  if (push.state !== 'notificationsUnasked') return push;
  push = q.get('ask') === 'deny' ? { state: 'notificationsDenied', distributor: null } : { state: 'on', distributor: 'ntfy' };
  return push;
}

function login(expiresInMs: number, numberMatch: boolean, extra: Partial<LoginView> = {}): LoginView {
  const now = Date.now();
  const long = q.get('site') === 'long';
  // F-15: a training server on the LAN that calls itself a ministry's LPSE.
  const fake = q.get('site') === 'training';
  return {
    tx: `tx-${now}`,
    accountId: 'kudus-ppk2',
    userId: long ? '199203152019031004' : 'PPK2',
    server: long ? 'https://lpse.pu.go.id' : fake ? 'http://192.168.1.5:8080' : KUDUS,
    training: fake,
    siteName: long ? 'LPSE Kementerian Pekerjaan Umum dan Perumahan Rakyat' : fake ? 'LPSE Kementerian Keuangan' : 'LPSE Kabupaten Kudus',
    browser: long ? 'Samsung Internet 23 on Android' : 'Firefox 133 on Windows',
    ip: long ? '2001:db8:85a3::8a2e:370:7334' : '103.147.8.21',
    createdAt: now,
    expiresAt: now + expiresInMs,
    numberMatch,
    ...extra,
  };
}

/**
 * The logins a scenario starts with: `login` one with a number (42), `expire`
 * one ending in 2.5 s, `weak` one the site asks no number for, `pair` two
 * such logins for two accounts (the first answered, the second must wait for
 * "Tampilkan login berikutnya"), `twins` two logins of two sites with the
 * same tx (F-13: answering one must not hide the other).
 */
function loginsFor(): LoginView[] {
  switch (scenario) {
    case 'login':
      // `left=<ms>`: the time the login has left (the countdown's spoken marks are checked with it).
      return [login(Number(q.get('left')) || 47_000, true)];
    case 'paused':
      // Held back (its site is paused): not shown until "Tampilkan lagi".
      return [login(50_000, true)];
    case 'expire':
      return [login(2500, true)];
    case 'weak':
      return [login(47_000, false)];
    case 'pair':
      return [
        login(47_000, false, { tx: 'tx-a' }),
        login(52_000, false, { tx: 'tx-b', accountId: 'kudus-pokja', userId: 'pokja.konstruksi.2026' }),
      ];
    case 'twins':
      return [
        login(47_000, true, { tx: 'tx-1' }),
        login(52_000, true, { tx: 'tx-1', accountId: 'ntt-ppk', userId: 'PPK.DINKES.01', server: NTT, siteName: 'LPSE Provinsi Nusa Tenggara Timur' }),
      ];
    default:
      return [];
  }
}

let waiting: LoginView[] = [];
let started = false;

/** The waiting logins the Rust side sends: those of accounts put aside and of paused sites left out. */
function sent(): LoginView[] {
  const now = Date.now();
  return waiting.filter((l) => {
    const a = accounts.accounts.find((x) => x.id === l.accountId);
    const site = accounts.sites.find((x) => x.server === l.server);
    return !((a?.snoozedUntil ?? 0) > now) && !((site?.pausedUntil ?? 0) > now);
  });
}

function preview(text: string): Preview {
  if (text.includes('bad')) fail('payloadInvalid', 'not an otpauth or SPSE enrollment payload');
  if (text.startsWith('otpauth')) {
    return {
      handle: 'h-otp',
      kind: 'otpauth',
      server: null,
      training: false,
      replaces: [],
      accounts: [{ issuer: 'GitHub', name: 'budi.santoso', kind: 'totp', digits: 6, period: 30 }],
    };
  }
  if (text.startsWith('migration')) {
    // An export (Google Authenticator's) holding two accounts already here, one with the user's label.
    const here = accounts.accounts.filter((a) => a.server === null).map((a) => (a.issuer === 'Google' ? { ...a, label: 'Gmail pribadi' } : a));
    return {
      handle: 'h-migration',
      kind: 'migration',
      server: null,
      training: false,
      replaces: here,
      accounts: [
        ...here.map((a) => ({ issuer: a.issuer, name: a.name, kind: a.kind, digits: a.digits, period: a.period })),
        { issuer: 'Microsoft', name: 'budi.santoso@outlook.com', kind: 'totp' as const, digits: 6, period: 30 },
      ],
    };
  }
  const training = text.includes('training');
  const replace = text.includes('replace');
  return {
    handle: 'h-spse',
    kind: 'spse',
    server: training ? LATIHAN : KUDUS,
    training,
    replaces: replace ? [accounts.accounts[0]] : [],
    accounts: [{ issuer: 'SPSE', name: training ? 'ppk_latihan2' : 'PPK2', kind: 'totp', digits: 6, period: 30 }],
  };
}

// ---- backup, restore, import, export ----

/**
 * What a picked file is (`&import=<kind>`, else the first kind named in its bytes):
 * `spse` an SPSE Auth backup (encrypted; a restore of SPSE accounts and two codes-only ones);
 * `aegis` plain Aegis (new accounts, two already here, three skipped entries);
 * `aegisEncrypted` the same, encrypted; `twofas` a plain 2FAS export (all new);
 * `allhere` an Aegis file whose accounts are all here already;
 * `memory` encrypted Aegis asking more memory than the phone has (importTooMuchMemory);
 * `damaged` / `newer` an SPSE backup truncated / from a newer version;
 * `unsupported` an andOTP file of a layout not read; `unrecognised` / `large` refused on opening.
 */
const IMPORTS: Record<string, { format: Opened['format']; formatName: string; encrypted: boolean; open?: ErrorCode; read?: ErrorCode }> = {
  spse: { format: 'spse', formatName: 'SPSE Auth', encrypted: true },
  aegisEncrypted: { format: 'aegis', formatName: 'Aegis', encrypted: true },
  aegis: { format: 'aegis', formatName: 'Aegis', encrypted: false },
  twofas: { format: 'twofas', formatName: '2FAS', encrypted: false },
  allhere: { format: 'aegis', formatName: 'Aegis', encrypted: false },
  memory: { format: 'aegis', formatName: 'Aegis', encrypted: true, read: 'importTooMuchMemory' },
  damaged: { format: 'spse', formatName: 'SPSE Auth', encrypted: true, read: 'importDamaged' },
  newer: { format: 'spse', formatName: 'SPSE Auth', encrypted: true, read: 'importNewerVersion' },
  unsupported: { format: 'andotp', formatName: 'andOTP', encrypted: false, read: 'importUnsupported' },
  unrecognised: { format: 'otpauth', formatName: '', encrypted: false, open: 'importUnrecognised' },
  large: { format: 'otpauth', formatName: '', encrypted: false, open: 'importTooLarge' },
};

/** The files opened (by handle) until confirmed or cancelled. */
const opened = new Map<string, string>();
let openCount = 0;

function importKind(payload: unknown): string {
  const asked = q.get('import');
  if (asked && asked in IMPORTS) return asked;
  const file = (payload as { file?: unknown } | null)?.file;
  const text =
    typeof file === 'string'
      ? atob(file)
      : payload instanceof Uint8Array || payload instanceof ArrayBuffer
        ? new TextDecoder().decode(payload)
        : Array.isArray(payload)
          ? new TextDecoder().decode(new Uint8Array(payload as number[]))
          : '';
  // Longest names first: "aegisEncrypted" before "aegis".
  const kinds = Object.keys(IMPORTS).sort((a, b) => b.length - a.length);
  return kinds.find((k) => text.includes(k)) ?? 'unrecognised';
}

const isHere = (a: { issuer: string | null; name: string; site: string | null }): boolean =>
  accounts.accounts.some((x) => x.name === a.name && (a.site ? x.server === a.site : x.server === null && x.issuer === a.issuer));

function entries(kind: string): { accounts: ImportAccount[]; skipped: ImportSkipped[] } {
  const acc = (issuer: string | null, name: string, kind: ImportAccount['kind'] = 'totp', site: string | null = null): ImportAccount => {
    const a = { issuer, name, kind, site, already: false };
    return { ...a, already: isHere(a) };
  };
  if (kind === 'spse' || kind === 'damaged' || kind === 'newer') {
    return {
      accounts: [
        acc('SPSE', 'PPK2', 'totp', KUDUS),
        acc('SPSE', 'pokja.konstruksi.2026', 'totp', KUDUS),
        acc('SPSE', '199203152019031004', 'totp', NTT),
        acc('SPSE', 'PPK.DINKES.01', 'totp', NTT),
        acc('SPSE', 'ppk.bappeda', 'totp', 'https://lpse.jatengprov.go.id'),
        acc('GitHub', 'budi.santoso@kudus.go.id'),
        acc('Bank', 'token', 'hotp'),
      ],
      skipped: [],
    };
  }
  if (kind === 'twofas') {
    return { accounts: [acc('Dropbox', 'budi.santoso@gmail.com'), acc('Microsoft', 'budi.santoso@outlook.com')], skipped: [] };
  }
  if (kind === 'allhere') {
    return { accounts: [acc('GitHub', 'budi.santoso@kudus.go.id'), acc('Google', 'budi.santoso@gmail.com')], skipped: [] };
  }
  return {
    accounts: [
      acc('Microsoft', 'budi.santoso@outlook.com'),
      acc('Steam', 'budi_s', 'steam'),
      acc('Bank Jateng', 'token', 'hotp'),
      acc('GitHub', 'budi.santoso@kudus.go.id'),
      acc('Google', 'budi.santoso@gmail.com'),
    ],
    skipped: [
      { issuer: 'Bank Lama', name: 'token-motp', reasonCode: 'unsupportedType', detail: 'mOTP' },
      { issuer: 'VPN Kantor', name: 'admin', reasonCode: 'unsupportedAlgorithm', detail: 'SHA384' },
      { issuer: null, name: 'Server lama', reasonCode: 'invalid', detail: 'digits: 0 is outside 6 to 10' },
    ],
  };
}

function readImport(handle: string, password: string | null): ImportPreview {
  const kind = opened.get(handle);
  if (!kind) return fail('previewGone', 'no such import');
  const spec = IMPORTS[kind];
  if (spec.encrypted) {
    if (password === null) fail('importPasswordNeeded', 'the file is encrypted');
    if (q.get('password') === 'wrong' || password === 'salah' || password === 'wrong') fail('importWrongPassword', 'the file does not open with that password');
  }
  if (spec.read) fail(spec.read, `mock: ${kind}`);
  const e = entries(kind);
  return { handle, format: spec.format, formatName: spec.formatName, restore: spec.format === 'spse', ...e };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function backupStatus(): BackupStatus {
  return {
    accounts: accounts.accounts.length,
    spseAccounts: accounts.accounts.filter((a) => a.server !== null).length,
    lastAt: lastBackupAt,
    changed: backupNote?.state === 'changed',
  };
}

const about: About = {
  version: '0.1.0',
  platform: 'Linux x86_64',
  dataDir: '/home/budi/.local/share/id.go.lkpp.spse-auth',
  licences: [
    {
      licence: 'Apache-2.0 OR MIT',
      packages: [
        { name: 'base64', version: '0.22.1', npm: false },
        { name: 'rustls', version: '0.23.35', npm: false },
        { name: 'serde', version: '1.0.228', npm: false },
        { name: 'tauri', version: '2.9.5', npm: false },
        { name: '@tauri-apps/api', version: '2.12.5', npm: true },
        { name: '@tauri-apps/plugin-barcode-scanner', version: '2.5.3', npm: true },
      ],
    },
    {
      licence: 'MIT',
      packages: [
        { name: 'bytes', version: '1.11.0', npm: false },
        { name: 'tokio', version: '1.48.0', npm: false },
        { name: 'clsx', version: '2.1.1', npm: true },
        { name: 'svelte', version: '5.57.3', npm: true },
      ],
    },
    {
      licence: 'Unicode-3.0',
      packages: [
        { name: 'icu_locale_core', version: '2.1.1', npm: false },
        { name: 'zerovec', version: '0.11.5', npm: false },
      ],
    },
    {
      licence: 'MPL-2.0',
      packages: [
        { name: 'cssparser', version: '0.36.0', npm: false },
        { name: 'selectors', version: '0.38.0', npm: false },
      ],
    },
    {
      licence: 'Apache-2.0 AND ISC',
      packages: [
        { name: 'ring', version: '0.17.14', npm: false },
      ],
    },
    {
      licence: '(Apache-2.0 OR MIT) AND BSD-3-Clause',
      packages: [
        { name: 'encoding_rs', version: '0.8.44', npm: false },
      ],
    },
  ],
};

/** The scan the plugin mock holds open until `cancel` (it never reads a code). */
let scanPending: ((reason: string) => void) | null = null;
/** What the screens suite reads back: the plugin calls made, the pictures sent. */
const record = {
  scans: 0,
  cancels: 0,
  accountsCalls: 0,
  images: [] as string[],
  removalChecks: 0,
  /** The handles `confirm_add` was called with (a swapped preview must not be added by the old tap). */
  confirmed: [] as string[],
  /** Every `decide` call, in order (the press guard and "never chain" are checked on it). */
  decided: [] as Array<{ accountId: string; tx: string; decision: string; at: number }>,
  /** Every `snooze_logins` call ("Nanti" and "Tampilkan lagi"), in order. */
  snoozed: [] as Array<{ accountId: string; minutes: number; at: number }>,
  /** How many times `push_status` and `ask_notifications` were called. */
  pushStatus: 0,
  asks: 0,
  /** Every settings object `set_settings` saved, in order. */
  saved: [] as Settings[],
  /** Backup and import calls: handles released, confirmed, passwords given to make_backup and export_accounts. */
  importsCancelled: [] as string[],
  importsConfirmed: [] as string[],
  backups: [] as string[],
  exports: [] as Array<{ format: string; password: string | null }>,
  setAside: 0,
};
(globalThis as { __mock?: typeof record }).__mock = record;
/** Lets the screens suite send an event as the Rust side would (a `link` opened on the phone). */
(globalThis as { __emit?: typeof emit }).__emit = emit;

async function handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  switch (cmd) {
    case 'has_camera':
      return q.get('camera') !== 'none';
    case 'plugin:barcode-scanner|check_permissions':
      return { camera: q.get('camera') === 'denied' ? 'denied' : 'prompt' };
    case 'plugin:barcode-scanner|request_permissions':
      return { camera: q.get('camera') === 'denied' ? 'denied' : 'granted' };
    case 'plugin:barcode-scanner|scan':
      record.scans += 1;
      if (!args.windowed) fail('internal', 'mock: scan without windowed: true');
      return new Promise((_, reject) => (scanPending = reject));
    case 'plugin:barcode-scanner|cancel':
      record.cancels += 1;
      scanPending?.('cancelled');
      scanPending = null;
      return null;
    case 'platform':
      return q.get('platform') ?? 'linux';
    case 'settings':
      return settings;
    case 'set_settings':
      settings = args.settings as Settings;
      record.saved.push(settings);
      return settings;
    case 'push_status':
      record.pushStatus += 1;
      return push;
    case 'ask_notifications':
      record.asks += 1;
      return askNotifications();
    case 'accounts':
      record.accountsCalls += 1;
      // `mock=keystore`: the vault cannot be opened (the phone's Keystore failed at start); `&recover=1`: Coba lagi works.
      if (scenario === 'keystore' && (q.get('recover') !== '1' || record.accountsCalls === 1)) {
        fail('keystoreUnavailable', 'Android Keystore: KeyStoreException: the key store is not initialised (system error -1)');
      }
      if (scenario in UNREADABLE && !setAside) fail(UNREADABLE[scenario], 'vault.json: the file could not be opened');
      return accounts;
    case 'codes':
      return codes();
    case 'copy_code':
    case 'next_hotp':
    case 'cancel_add':
    case 'rename':
      return null;
    case 'page_ready':
      return false;
    case 'set_foreground':
      if (!started && loginsFor().length > 0) {
        started = true;
        waiting = loginsFor();
        setTimeout(() => void emit('logins', sent()), 50);
      }
      return null;
    case 'check_logins':
      return waiting.filter((l) => !args.accountId || l.accountId === args.accountId);
    case 'decide': {
      // Named by account and tx together, as the app does (two sites may share a tx).
      const l = waiting.find((w) => w.accountId === args.accountId && w.tx === args.tx);
      record.decided.push({ accountId: String(args.accountId), tx: String(args.tx), decision: String(args.decision), at: performance.now() });
      if (!l) fail('loginGone', 'no such login');
      if (args.decision === 'approve' && l.numberMatch && args.number !== '42') fail('numberMismatch', 'number does not match');
      waiting = waiting.filter((w) => w !== l);
      setTimeout(() => void emit('logins', sent()), 10);
      return { decision: args.decision, userId: l.userId };
    }
    case 'preview_text':
      return preview(String(args.text));
    case 'preview_clipboard':
      return fail('clipboardEmpty', 'clipboard holds neither an image nor text');
    case 'preview_image': {
      // Android's IPC carries JSON only: the picture arrives as base64 there (ipc.ts), as raw bytes on desktop.
      const mobile = q.get('platform') === 'android';
      const image = (args as { image?: unknown }).image;
      if (mobile && typeof image === 'string') {
        record.images.push(image);
        return preview('spse');
      }
      if (mobile) fail('imageUnreadable', 'mock: android sent no base64 image');
      return fail('qrNotFound', 'no QR code in the picture');
    }
    case 'confirm_add': {
      record.confirmed.push(String(args.handle));
      const added: Added = args.handle === 'h-otp'
        ? { ids: ['new'], server: null, siteName: null, user: null }
        : { ids: ['new'], server: KUDUS, siteName: null, user: 'PPK2' };
      return added;
    }
    case 'add_manual':
      return { ids: ['new'], server: null, siteName: null, user: null } satisfies Added;
    case 'removal_check': {
      record.removalChecks += 1;
      const id = String(args.id);
      const r: RemovalCheck = id === 'kudus-ppk2' ? 'stillActive' : id === 'ntt-ppk' ? 'unknown' : id.startsWith('jembrana') ? 'safe' : 'noSite';
      return r;
    }
    case 'remove':
      accounts = { ...accounts, accounts: accounts.accounts.filter((a) => a.id !== args.id) };
      return null;
    case 'about':
      return about;
    case 'snooze_logins': {
      // As the Rust side: minutes (at most 1440) put the account's prompts aside; 0 shows them and resumes its site.
      const id = String(args.accountId);
      const minutes = Number(args.minutes);
      record.snoozed.push({ accountId: id, minutes, at: performance.now() });
      const a = accounts.accounts.find((x) => x.id === id);
      if (!a) return fail('accountNotFound', 'no such account');
      const until = minutes > 0 ? Date.now() + Math.min(minutes, 1440) * 60_000 : null;
      accounts = { ...accounts, accounts: accounts.accounts.map((x) => (x.id === id ? { ...x, snoozedUntil: until } : x)) };
      const site = accounts.sites.find((x) => x.server === a.server);
      if (minutes === 0 && site?.pausedUntil != null) {
        accounts = { ...accounts, sites: accounts.sites.map((x) => (x === site ? { ...x, pausedUntil: null } : x)) };
        setTimeout(() => void emit('site-state', { server: site.server, state: site.state, pausedUntil: null }), 5);
      }
      setTimeout(() => void emit('logins', sent()), 10);
      return until;
    }
    case 'backup_status':
      return backupStatus();
    case 'make_backup': {
      const password = String(args.password ?? '');
      record.backups.push(password);
      if ([...password].length < 8) fail('backupPasswordShort', 'the backup password is under 8 characters');
      if (q.get('save') === 'cancel') return { saved: false, file: null };
      backupNote = null;
      lastBackupAt = Math.floor(Date.now() / 1000);
      accounts = { ...accounts, backup: null };
      return { saved: true, file: `spse-auth-${today()}.spsebackup` };
    }
    case 'open_import': {
      // Android's IPC carries JSON only: the file arrives as `{ file: <base64> }` there, raw bytes on desktop.
      const kind = importKind(args);
      const spec = IMPORTS[kind];
      if (spec.open) fail(spec.open, `mock: ${kind}`);
      openCount += 1;
      const handle = `imp-${openCount}`;
      opened.set(handle, kind);
      return { handle, format: spec.format, formatName: spec.formatName, encrypted: spec.encrypted } satisfies Opened;
    }
    case 'read_import':
      return readImport(String(args.handle), (args.password as string | null) ?? null);
    case 'confirm_import': {
      const handle = String(args.handle);
      record.importsConfirmed.push(handle);
      const preview = readImport(handle, 'benar');
      opened.delete(handle);
      const add = preview.accounts.filter((a) => !a.already);
      let sitesNow = accounts.sites;
      const added = add.map((a, i) => {
        if (a.site && !sitesNow.some((x) => x.server === a.site)) sitesNow = [...sitesNow, { server: a.site, name: null, training: false, state: 'unknown', pausedUntil: null }];
        const id = `imported-${handle}-${i}`;
        const extra: Partial<AccountView> = { kind: a.kind === 'hotp' ? 'hotp' : 'totp', period: a.kind === 'hotp' ? null : 30, digits: a.kind === 'steam' ? 5 : 6 };
        return a.site ? spse(id, a.site, a.name, extra) : other(id, a.issuer ?? '', a.name, extra);
      });
      backupNote = { state: lastBackupAt === null ? 'never' : 'changed', lastAt: lastBackupAt };
      accounts = { ...accounts, sites: sitesNow, accounts: [...accounts.accounts, ...added], backup: backupNote };
      return { added: add.length, already: preview.accounts.length - add.length };
    }
    case 'cancel_import':
      record.importsCancelled.push(String(args.handle));
      opened.delete(String(args.handle));
      return null;
    case 'export_accounts': {
      const format = String(args.format) as 'aegis' | 'aegisPlain' | 'otpauth';
      const password = (args.password as string | null) ?? null;
      record.exports.push({ format, password });
      if (format === 'aegis' && [...(password ?? '')].length < 8) fail('backupPasswordShort', 'the export password is under 8 characters');
      if (q.get('save') === 'cancel') return { saved: false, file: null, count: 0, spse: 0 } satisfies Exported;
      const file = { aegis: `aegis-spse-auth-${today()}.json`, aegisPlain: `aegis-plain-spse-auth-${today()}.json`, otpauth: `otpauth-spse-auth-${today()}.txt` }[format];
      return { saved: true, file, count: accounts.accounts.length, spse: accounts.accounts.filter((a) => a.server !== null).length } satisfies Exported;
    }
    case 'set_aside_vault':
      record.setAside += 1;
      if (!(scenario in UNREADABLE) || setAside) return fail('internal', 'mock: the vault was not unreadable');
      setAside = true;
      return { keptAs: `vault.unreadable-${today()}.json` };
    default:
      return fail('internal', `mock: unknown command ${cmd}`);
  }
}

/**
 * `text=large`: every font size and line height of the app's style sheets
 * times 1.3, as Android's text zoom does (px sizes included, not icons or
 * padding). A constructed sheet: nothing inline, so the page's CSP holds.
 */
function largeText(scale = 1.3): void {
  const rules: string[] = [];
  const px = (v: string) => (/^[\d.]+px$/.test(v) ? `${(parseFloat(v) * scale).toFixed(2)}px` : null);
  const walk = (list: CSSRuleList, wrap: (r: string) => string) => {
    for (const rule of list) {
      if (rule instanceof CSSStyleRule) {
        const size = px(rule.style.fontSize);
        const line = px(rule.style.lineHeight);
        const decl = [size && `font-size:${size}`, line && `line-height:${line}`].filter(Boolean).join(';');
        if (decl) rules.push(wrap(`${rule.selectorText}{${decl}}`));
      } else if (rule instanceof CSSMediaRule) {
        const media = rule.conditionText;
        walk(rule.cssRules, (r) => wrap(`@media ${media}{${r}}`));
      }
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules, (r) => r);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  document.documentElement.dataset.text = String(scale);
}

export function install(): void {
  // `text=large`: 130 %, Android's largest font size; `text=xlarge`: 150 %, with the display size up too.
  const scale = { large: 1.3, xlarge: 1.5 }[q.get('text') ?? ''];
  if (scale) {
    if (document.readyState === 'complete') largeText(scale);
    else window.addEventListener('load', () => largeText(scale), { once: true });
  }
  mockIPC((cmd, payload) => (cmd === 'open_import' ? handle(cmd, payload as unknown as Record<string, unknown>) : handle(cmd, (payload ?? {}) as Record<string, unknown>)), { shouldMockEvents: true });
}
