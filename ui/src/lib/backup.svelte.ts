// Settings › Cadangan & pulihkan, the rules apart from the screen (unit-tested):
// the password's strength hint (computed here, never sent anywhere), the
// restore / import flow (open → password → preview → confirm, nothing added
// before the user has seen the list and pressed "Pulihkan N akun"), the words
// of a skipped entry and of each error, and the list's quiet reminder line.
import type { ImportPreview, IpcError, Opened, ImportSkipped, ImportDone } from './ipc';
import { isIpcError } from './ipc';
import type { MessageKey } from './i18n/en';

// ---- the password ----

/** The shortest backup or export password the Rust side takes (shorter: `backupPasswordShort`). */
export const MIN_PASSWORD = 8;

export type Strength = 'short' | 'weak' | 'fair' | 'strong';

/** Passwords too common to count as more than weak, whatever their length (lower case, compared whole). */
const COMMON = new Set([
  'password', 'password1', 'passw0rd', '12345678', '123456789', '1234567890', '87654321', 'qwertyui', 'qwerty123',
  'iloveyou', 'sandi123', 'katasandi', 'rahasia1', 'bismillah', 'indonesia', 'spseauth', 'spse1234', 'lpse1234',
]);

/**
 * How strong a password looks, from its length and the variety of its
 * characters (lower case, capitals, digits, the rest, a space included):
 * `short` under 8 characters (the Rust side refuses it), `weak` for one
 * repeated character, a run like 12345678, a common password or little
 * variety, `fair`, `strong` from 16 characters, or 12 with three kinds.
 * A hint for the user, not a gate beyond the 8 characters.
 */
export function passwordStrength(password: string): Strength {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD) return 'short';
  const lower = password.toLowerCase();
  if (new Set(chars).size <= 2 || COMMON.has(lower) || isRun(lower)) return 'weak';
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  if (chars.length >= 16 || (chars.length >= 12 && kinds >= 3)) return 'strong';
  if (chars.length >= 12 || kinds >= 3) return 'fair';
  return 'weak';
}

/** "abcdefgh", "12345678", "87654321": each character one after (or before) the last. */
function isRun(s: string): boolean {
  const codes = [...s].map((c) => c.codePointAt(0) ?? 0);
  const step = codes[1] - codes[0];
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1] === step);
}

/** The bars the meter fills (of 3), and its words. */
export const STRENGTH: Record<Strength, { bars: number; key: MessageKey }> = {
  short: { bars: 0, key: 'backup.strength.short' },
  weak: { bars: 1, key: 'backup.strength.weak' },
  fair: { bars: 2, key: 'backup.strength.fair' },
  strong: { bars: 3, key: 'backup.strength.strong' },
};

/** What stops the password pair from being used: null when it can be. */
export function passwordProblem(password: string, again: string): 'short' | 'mismatch' | null {
  if ([...password].length < MIN_PASSWORD) return 'short';
  if (password !== again) return 'mismatch';
  return null;
}

// ---- the last backup ----

/** The date and time of the last backup (Unix seconds), in the user's language ("2 Des 2026 14.05"). */
export function backupDate(seconds: number, lang: 'id' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(seconds * 1000);
}

// ---- words ----

/** Why an entry of the file cannot be imported, in words (its English detail goes small, beside). */
export function skippedReasonKey(reason: ImportSkipped['reasonCode']): MessageKey {
  switch (reason) {
    case 'unsupportedType':
      return 'backup.reason.unsupportedType';
    case 'unsupportedAlgorithm':
      return 'backup.reason.unsupportedAlgorithm';
    default:
      return 'backup.reason.invalid';
  }
}

/**
 * The words of a failure in this flow: the error's own (`error.<code>`),
 * but `previewGone` says to choose the file again (its general words speak of a QR code).
 */
export function importErrorKey(err: unknown): MessageKey {
  if (!isIpcError(err)) return 'error.unknown';
  if (err.code === 'previewGone') return 'backup.previewGone';
  return `error.${err.code}` as MessageKey;
}

/** The apps whose exports can be imported, as their makers write them (never translated). */
export const IMPORT_APPS = ['Aegis', '2FAS', 'Ente Auth', 'Bitwarden', 'Proton Authenticator', 'andOTP', 'FreeOTP+', 'Google Authenticator'] as const;

// ---- the restore / import flow ----

/** The part of `api` the flow calls (injected, so the tests can stand in for the Rust side). */
export interface ImportApi {
  openImport(bytes: Uint8Array): Promise<Opened>;
  readImport(handle: string, password: string | null): Promise<ImportPreview>;
  confirmImport(handle: string): Promise<ImportDone>;
  cancelImport(handle: string): Promise<void>;
}

/**
 * Where the flow is:
 * - `idle`: the four sections show;
 * - `opening`: the picked file is sent (`open_import`);
 * - `password`: an encrypted file asks its password (`wrong`: the last one did not open it);
 * - `reading`: `read_import` with or without a password;
 * - `preview`: what would be added, what is already here, what cannot be used;
 * - `confirming`: `confirm_import`, all or nothing;
 * - `error`: why the file cannot be used (the opened file released).
 */
export type ImportStep =
  | { step: 'idle' }
  | { step: 'opening' }
  | { step: 'password'; opened: Opened; wrong: boolean }
  | { step: 'reading'; opened: Opened }
  | { step: 'preview'; preview: ImportPreview }
  | { step: 'confirming'; preview: ImportPreview }
  | { step: 'error'; error: unknown };

/** The accounts a preview would add (not those already here). */
export function toAdd(preview: ImportPreview): ImportPreview['accounts'] {
  return preview.accounts.filter((a) => !a.already);
}

export function alreadyHere(preview: ImportPreview): ImportPreview['accounts'] {
  return preview.accounts.filter((a) => a.already);
}

/**
 * One restore or import, from the picked file to "N akun dipulihkan".
 * Every way out releases what the Rust side holds (`cancel_import`):
 * Batal, an error after the file was opened, leaving the screen. A wrong
 * password asks again (the file stays open); nothing is added before
 * `confirm()`.
 */
export class ImportFlow {
  state = $state<ImportStep>({ step: 'idle' });
  /** The section the flow was started from (`restore` or `import`): the words follow the file, not the section. */
  origin = $state<'restore' | 'import'>('restore');
  /** The handle the Rust side holds for the file on screen, if any. */
  private held: string | null = null;
  /** Bumped on every new start or cancel: a late answer of an abandoned step is dropped. */
  private run = 0;

  private api: ImportApi;

  constructor(api: ImportApi) {
    this.api = api;
  }

  /** Sends the picked file; an encrypted one asks its password, any other is read at once. */
  async open(bytes: Uint8Array, origin: 'restore' | 'import'): Promise<void> {
    this.release();
    const run = ++this.run;
    this.origin = origin;
    this.state = { step: 'opening' };
    let opened: Opened;
    try {
      opened = await this.api.openImport(bytes);
    } catch (err) {
      if (run === this.run) this.state = { step: 'error', error: err };
      return;
    }
    if (run !== this.run) {
      void this.api.cancelImport(opened.handle).catch(() => undefined);
      return;
    }
    this.held = opened.handle;
    if (opened.encrypted) this.state = { step: 'password', opened, wrong: false };
    else await this.read(opened, null);
  }

  /** The password typed for the file on screen. */
  async unlock(password: string): Promise<void> {
    if (this.state.step !== 'password') return;
    await this.read(this.state.opened, password);
  }

  private async read(opened: Opened, password: string | null): Promise<void> {
    const run = this.run;
    this.state = { step: 'reading', opened };
    try {
      const preview = await this.api.readImport(opened.handle, password);
      if (run !== this.run) return;
      this.held = preview.handle;
      this.state = { step: 'preview', preview };
    } catch (err) {
      if (run !== this.run) return;
      const code = isIpcError(err) ? (err as IpcError).code : null;
      if (code === 'importWrongPassword' || code === 'importPasswordNeeded') {
        // The file stays open: the password is asked again.
        this.state = { step: 'password', opened, wrong: code === 'importWrongPassword' };
        return;
      }
      this.fail(err);
    }
  }

  /** "Pulihkan N akun" / "Impor N akun": the new accounts added, all or nothing; what it did, or null when it failed. */
  async confirm(): Promise<{ done: ImportDone; restore: boolean } | null> {
    if (this.state.step !== 'preview' || toAdd(this.state.preview).length === 0) return null;
    const preview = this.state.preview;
    const run = this.run;
    this.state = { step: 'confirming', preview };
    try {
      const done = await this.api.confirmImport(preview.handle);
      if (run !== this.run) return null;
      this.held = null;
      this.state = { step: 'idle' };
      return { done, restore: preview.restore };
    } catch (err) {
      if (run === this.run) this.fail(err);
      return null;
    }
  }

  /** Batal, Tutup, or leaving the screen: the file released, back to the sections. */
  cancel(): void {
    this.run += 1;
    this.release();
    this.state = { step: 'idle' };
  }

  private fail(error: unknown): void {
    this.release();
    this.state = { step: 'error', error };
  }

  private release(): void {
    if (this.held === null) return;
    const handle = this.held;
    this.held = null;
    void this.api.cancelImport(handle).catch(() => undefined);
  }
}
