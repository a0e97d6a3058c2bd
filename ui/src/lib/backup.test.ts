// Backup and restore, apart from the screen: the password's strength hint,
// the restore / import flow (nothing added before the user confirms, every way
// out releases the file, a wrong password asks again), the words of skipped
// entries and errors, and the list's quiet reminder line.
import { describe, expect, it, vi } from 'vitest';
import { ImportFlow, MIN_PASSWORD, alreadyHere, importErrorKey, passwordProblem, passwordStrength, skippedReasonKey, toAdd, type ImportApi } from './backup.svelte';
import { backupLine } from './format';
import { ERROR_CODES, type ImportPreview, type Opened } from './ipc';
import { en } from './i18n/en';
import { id } from './i18n/id';

describe('passwordStrength', () => {
  it('calls anything under 8 characters short, as the Rust side refuses it (backupPasswordShort)', () => {
    expect(MIN_PASSWORD).toBe(8);
    for (const p of ['', 'a', 'Ab1!xyz', '1234567']) expect(passwordStrength(p), p).toBe('short');
    // Characters, not UTF-16 units: 4 emoji are 4 characters.
    expect(passwordStrength('🔑🔑🔒🔒')).toBe('short');
    expect(passwordStrength('abcdefgh')).not.toBe('short');
  });

  it('calls repeats, runs and common passwords weak, whatever their length', () => {
    for (const p of ['aaaaaaaa', 'abababababababab', '12345678', '87654321', 'abcdefghij', 'password', 'Password', 'katasandi', 'qwerty123']) {
      expect(passwordStrength(p), p).toBe('weak');
    }
  });

  it('grows with length and variety', () => {
    expect(passwordStrength('kudusppk')).toBe('weak'); // 8, one kind
    expect(passwordStrength('kudus2026')).toBe('weak'); // 9, two kinds
    expect(passwordStrength('Kudus2026')).toBe('fair'); // three kinds
    expect(passwordStrength('pokjakonstruksi')).toBe('fair'); // 15, one kind
    expect(passwordStrength('Pokja.Kudus26')).toBe('strong'); // 12+, four kinds
    expect(passwordStrength('pokja kudus 2026')).toBe('strong'); // 16
    expect(passwordStrength('kuda makan nasi goreng')).toBe('strong');
  });

  it('says what stops a pair of passwords: too short first, then a mismatch', () => {
    expect(passwordProblem('short', 'short')).toBe('short');
    expect(passwordProblem('pokja kudus 2026', 'pokja kudus 2025')).toBe('mismatch');
    expect(passwordProblem('pokja kudus 2026', 'pokja kudus 2026')).toBeNull();
  });
});

describe('the list’s backup line', () => {
  it('shows for never or changed with accounts, never for none or a current backup', () => {
    expect(backupLine({ state: 'never', lastAt: null }, 3)).toBe('never');
    expect(backupLine({ state: 'changed', lastAt: 1793005980 }, 1)).toBe('changed');
    expect(backupLine({ state: 'never', lastAt: null }, 0)).toBeNull();
    expect(backupLine(null, 5)).toBeNull();
    expect(backupLine(undefined, 5)).toBeNull();
  });

  it('is worded quietly in both languages, with its action', () => {
    expect(id['accounts.backup.changed']).toBe('Akun berubah sejak cadangan terakhir');
    expect(id['accounts.backup.action']).toBe('Buat cadangan');
    expect(en['accounts.backup.changed']).toBe('Accounts changed since the last backup');
  });
});

describe('words', () => {
  it('word every skipped reason in both languages', () => {
    for (const r of ['unsupportedType', 'unsupportedAlgorithm', 'invalid'] as const) {
      const key = skippedReasonKey(r);
      expect(id[key].length, key).toBeGreaterThan(10);
      expect(en[key].length, key).toBeGreaterThan(10);
    }
    expect(skippedReasonKey('unsupportedType')).not.toBe(skippedReasonKey('invalid'));
  });

  it('word every backup error code, each its own, in both languages', () => {
    const codes = ['importUnrecognised', 'importTooLarge', 'importPasswordNeeded', 'importWrongPassword', 'importDamaged', 'importNewerVersion', 'importUnsupported', 'importTooMuchMemory', 'backupPasswordShort'] as const;
    for (const code of codes) expect(ERROR_CODES).toContain(code);
    const words = codes.map((code) => importErrorKey({ code, message: '' }));
    expect(new Set(words.map((k) => id[k])).size).toBe(codes.length);
    expect(new Set(words.map((k) => en[k])).size).toBe(codes.length);
    expect(id['error.importTooMuchMemory']).toMatch(/memori/);
    expect(id['error.importTooMuchMemory']).toMatch(/komputer/);
    expect(en['error.importTooMuchMemory']).toMatch(/memory.*computer/s);
    expect(en['error.importWrongPassword']).toMatch(/Nothing was changed/);
    expect(en['error.importDamaged']).toMatch(/Nothing was added/);
    expect(en['error.importNewerVersion']).toMatch(/newer version/);
  });

  it('say to choose the file again when the preview is gone (not to read a QR code), and unknown failures as unexpected', () => {
    expect(importErrorKey({ code: 'previewGone', message: '' })).toBe('backup.previewGone');
    expect(id['backup.previewGone']).toMatch(/berkas/);
    expect(importErrorKey(new Error('boom'))).toBe('error.unknown');
    expect(importErrorKey({ code: 'importDamaged', message: '' })).toBe('error.importDamaged');
  });

  it('say what a backup means: device keys, the old phone, a stolen one, the file and password apart', () => {
    expect(id['backup.make.body']).toMatch(/kunci perangkat/);
    expect(id['backup.make.body']).toMatch(/HOTP/);
    expect(id['backup.meaning.old']).toMatch(/ponsel lama/);
    expect(id['backup.meaning.stolen']).toContain('“Reset TOTP”');
    expect(id['backup.meaning.apart']).toMatch(/terpisah/);
    expect(en['backup.export.spse']).toMatch(/without their device key/);
    expect(id['backup.preview.restore']).toBe('Pulihkan {n} akun');
    expect(id['backup.done.restore']).toBe('{n} akun dipulihkan, {m} sudah ada');
  });
});

// ---- the flow ----

const SPSE: Opened = { handle: 'h1', format: 'spse', formatName: 'SPSE Auth', encrypted: true };
const AEGIS: Opened = { handle: 'h2', format: 'aegis', formatName: 'Aegis', encrypted: false };

function previewOf(opened: Opened, accounts: ImportPreview['accounts'] = []): ImportPreview {
  return { handle: opened.handle, format: opened.format, formatName: opened.formatName, restore: opened.format === 'spse', accounts, skipped: [] };
}

const acc = (name: string, already = false, site: string | null = null): ImportPreview['accounts'][number] => ({ issuer: site ? 'SPSE' : 'GitHub', name, kind: 'totp', site, already });

/** A stand-in for the Rust side: `file` is what open_import answers; `password` opens an encrypted one. */
function fakeApi(opts: { file: Opened | Error | { code: string; message: string }; password?: string; read?: { code: string; message: string }; accounts?: ImportPreview['accounts'] }) {
  const calls: string[] = [];
  const api = {
    openImport: vi.fn(async () => {
      calls.push('open');
      if (!('handle' in opts.file)) throw opts.file;
      return opts.file;
    }),
    readImport: vi.fn(async (handle: string, password: string | null) => {
      calls.push(`read:${password}`);
      const f = opts.file as Opened;
      if (f.encrypted && password === null) throw { code: 'importPasswordNeeded', message: '' };
      if (f.encrypted && password !== (opts.password ?? 'benar')) throw { code: 'importWrongPassword', message: '' };
      if (opts.read) throw opts.read;
      return previewOf({ ...f, handle }, opts.accounts ?? [acc('PPK2', false, 'https://spse.kuduskab.go.id'), acc('budi', true)]);
    }),
    confirmImport: vi.fn(async (handle: string) => {
      calls.push(`confirm:${handle}`);
      return { added: 1, already: 1 };
    }),
    cancelImport: vi.fn(async (handle: string) => {
      calls.push(`cancel:${handle}`);
    }),
  } satisfies ImportApi;
  return { api, calls };
}

const bytes = new Uint8Array([1, 2, 3]);

describe('ImportFlow', () => {
  it('asks the password of an encrypted file, then shows the preview; nothing is added before confirm', async () => {
    const { api, calls } = fakeApi({ file: SPSE });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'restore');
    expect(flow.state).toEqual({ step: 'password', opened: SPSE, wrong: false });
    expect(api.readImport).not.toHaveBeenCalled();
    await flow.unlock('benar');
    expect(flow.state.step).toBe('preview');
    if (flow.state.step !== 'preview') return;
    expect(flow.state.preview.restore).toBe(true);
    expect(toAdd(flow.state.preview).map((a) => a.name)).toEqual(['PPK2']);
    expect(alreadyHere(flow.state.preview).map((a) => a.name)).toEqual(['budi']);
    expect(api.confirmImport).not.toHaveBeenCalled();
    const result = await flow.confirm();
    expect(result).toEqual({ done: { added: 1, already: 1 }, restore: true });
    expect(flow.state).toEqual({ step: 'idle' });
    expect(calls).toEqual(['open', 'read:benar', 'confirm:h1']);
  });

  it('reads a plain file at once, without a password', async () => {
    const { api, calls } = fakeApi({ file: AEGIS });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'import');
    expect(flow.state.step).toBe('preview');
    expect(flow.origin).toBe('import');
    expect(calls).toEqual(['open', 'read:null']);
  });

  it('asks again after a wrong password, the file kept open, and opens with the right one', async () => {
    const { api, calls } = fakeApi({ file: SPSE, password: 'rahasia kantor' });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'restore');
    await flow.unlock('salah');
    expect(flow.state).toEqual({ step: 'password', opened: SPSE, wrong: true });
    expect(api.cancelImport).not.toHaveBeenCalled();
    await flow.unlock('rahasia kantor');
    expect(flow.state.step).toBe('preview');
    expect(calls).toEqual(['open', 'read:salah', 'read:rahasia kantor']);
  });

  it('shows an error from opening (nothing held, nothing released)', async () => {
    const { api } = fakeApi({ file: { code: 'importUnrecognised', message: 'not a known format' } });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'import');
    expect(flow.state).toEqual({ step: 'error', error: { code: 'importUnrecognised', message: 'not a known format' } });
    expect(api.cancelImport).not.toHaveBeenCalled();
  });

  it('releases the file on a read error (damaged, newer, too much memory): each its own error, nothing added', async () => {
    for (const code of ['importDamaged', 'importNewerVersion', 'importTooMuchMemory', 'importUnsupported', 'previewGone']) {
      const { api, calls } = fakeApi({ file: SPSE, read: { code, message: '' } });
      const flow = new ImportFlow(api);
      await flow.open(bytes, 'restore');
      await flow.unlock('benar');
      expect(flow.state, code).toEqual({ step: 'error', error: { code, message: '' } });
      expect(calls, code).toEqual(['open', 'read:benar', 'cancel:h1']);
    }
  });

  it('releases the file on Batal, at the password or the preview', async () => {
    const a = fakeApi({ file: SPSE });
    const atPassword = new ImportFlow(a.api);
    await atPassword.open(bytes, 'restore');
    atPassword.cancel();
    expect(atPassword.state).toEqual({ step: 'idle' });
    expect(a.calls).toEqual(['open', 'cancel:h1']);

    const b = fakeApi({ file: AEGIS });
    const atPreview = new ImportFlow(b.api);
    await atPreview.open(bytes, 'import');
    atPreview.cancel();
    atPreview.cancel(); // twice: released once
    expect(b.calls).toEqual(['open', 'read:null', 'cancel:h2']);
    expect(await atPreview.confirm()).toBeNull();
    expect(b.api.confirmImport).not.toHaveBeenCalled();
  });

  it('confirms nothing when every account is already here', async () => {
    const { api } = fakeApi({ file: AEGIS, accounts: [acc('budi', true)] });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'import');
    expect(await flow.confirm()).toBeNull();
    expect(api.confirmImport).not.toHaveBeenCalled();
    expect(flow.state.step).toBe('preview');
  });

  it('drops a late answer for a file the user already left, and releases it', async () => {
    let answer: (o: Opened) => void = () => undefined;
    const { api, calls } = fakeApi({ file: AEGIS });
    api.openImport.mockImplementationOnce(() => new Promise<Opened>((ok) => (answer = ok)));
    const flow = new ImportFlow(api);
    const opening = flow.open(bytes, 'import');
    expect(flow.state.step).toBe('opening');
    flow.cancel();
    answer(AEGIS);
    await opening;
    expect(flow.state).toEqual({ step: 'idle' });
    expect(calls).toEqual(['cancel:h2']);
    expect(api.readImport).not.toHaveBeenCalled();
  });

  it('releases the previous file when another is picked', async () => {
    const { api, calls } = fakeApi({ file: SPSE });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'restore');
    await flow.open(bytes, 'restore');
    expect(calls).toEqual(['open', 'cancel:h1', 'open']);
  });

  it('keeps the preview’s error when confirming fails, and releases it', async () => {
    const { api, calls } = fakeApi({ file: AEGIS });
    api.confirmImport.mockRejectedValueOnce({ code: 'io', message: 'disk full' });
    const flow = new ImportFlow(api);
    await flow.open(bytes, 'import');
    expect(await flow.confirm()).toBeNull();
    expect(flow.state).toEqual({ step: 'error', error: { code: 'io', message: 'disk full' } });
    expect(calls).toEqual(['open', 'read:null', 'cancel:h2']);
  });
});
