// Pictures over the IPC: a raw body on desktop, base64 JSON on android/ios
// (their IPC cannot carry a raw body), encoded in chunks.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { api, toBase64 } from './ipc';
import { previewPicture, MAX_IMAGE_BYTES } from './picture';

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** RFC 4648 base64 the slow, obvious way: the oracle (no btoa, no chunks). */
function reference(bytes: Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(abc[(n >> 18) & 63], abc[(n >> 12) & 63], i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=', i + 2 < bytes.length ? abc[n & 63] : '=');
  }
  return out.join('');
}

describe('toBase64', () => {
  it('is standard base64 with padding, for every length mod 3 and across chunk edges', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 0x8000 - 1, 0x8000, 0x8000 + 1, 3 * 0x8000 + 2]) {
      const bytes = randomBytes(n);
      expect(toBase64(bytes), `${n} bytes`).toBe(reference(bytes));
    }
    expect(toBase64(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('+//+');
    expect(toBase64(new TextEncoder().encode('Ma'))).toBe('TWE=');
  });

  it('encodes a 5 MB photo without overflowing the call stack', () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 7);
    const encoded = toBase64(bytes);
    expect(encoded.length).toBe(Math.ceil(bytes.length / 3) * 4);
    expect(encoded).toBe(reference(bytes));
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const buffer = randomBytes(100);
    const view = buffer.subarray(10, 20);
    expect(toBase64(view)).toBe(reference(view));
  });
});

describe('previewImage', () => {
  beforeEach(() => invoke.mockReset());

  async function on(platform: string): Promise<void> {
    invoke.mockResolvedValueOnce(platform);
    await api.platform();
  }

  it('sends the raw bytes as the body on desktop', async () => {
    await on('linux');
    const bytes = randomBytes(1000);
    invoke.mockResolvedValueOnce({ handle: 'h' });
    await api.previewImage(bytes);
    expect(invoke).toHaveBeenLastCalledWith('preview_image', bytes);
  });

  it.each(['android', 'ios'])('sends { image: base64 } JSON on %s', async (platform) => {
    await on(platform);
    const bytes = randomBytes(70_000);
    invoke.mockResolvedValueOnce({ handle: 'h' });
    await api.previewImage(bytes);
    expect(invoke).toHaveBeenLastCalledWith('preview_image', { image: reference(bytes) });
  });
});

describe('previewPicture (the photo fallback)', () => {
  it('sends the picked file’s bytes to previewImage', async () => {
    const bytes = randomBytes(4096);
    const previewImage = vi.fn(async () => ({ handle: 'h' }) as never);
    await previewPicture(new Blob([bytes], { type: 'image/png' }), previewImage);
    expect(previewImage).toHaveBeenCalledOnce();
    expect(previewImage.mock.calls[0]).toEqual([bytes]);
  });

  it('refuses a picture above the limit before reading it', async () => {
    const previewImage = vi.fn();
    const huge = { size: MAX_IMAGE_BYTES + 1, arrayBuffer: vi.fn() } as unknown as Blob;
    await expect(previewPicture(huge, previewImage)).rejects.toMatchObject({ code: 'imageTooLarge' });
    expect(previewImage).not.toHaveBeenCalled();
    expect((huge as unknown as { arrayBuffer: () => void }).arrayBuffer).not.toHaveBeenCalled();
  });
});

describe('openImport (a backup or another app’s export)', () => {
  beforeEach(() => invoke.mockReset());

  async function on(platform: string): Promise<void> {
    invoke.mockResolvedValueOnce(platform);
    await api.platform();
  }

  it('sends the raw bytes as the body on desktop', async () => {
    await on('windows');
    const bytes = randomBytes(3000);
    invoke.mockResolvedValueOnce({ handle: 'h', format: 'spse', formatName: 'SPSE Auth', encrypted: true });
    await api.openImport(bytes);
    expect(invoke).toHaveBeenLastCalledWith('open_import', bytes);
  });

  it.each(['android', 'ios'])('sends { file: base64 } JSON on %s', async (platform) => {
    await on(platform);
    const bytes = randomBytes(50_000);
    invoke.mockResolvedValueOnce({ handle: 'h', format: 'aegis', formatName: 'Aegis', encrypted: false });
    await api.openImport(bytes);
    expect(invoke).toHaveBeenLastCalledWith('open_import', { file: reference(bytes) });
  });

  it('names every other backup command and its arguments as the contract does', async () => {
    invoke.mockResolvedValue(null);
    await api.backupStatus();
    await api.makeBackup('pokja kudus 2026');
    await api.readImport('h', null);
    await api.readImport('h', 'sandi');
    await api.confirmImport('h');
    await api.cancelImport('h');
    await api.exportAccounts('aegis', 'pindah 2026!');
    await api.exportAccounts('otpauth', null);
    await api.setAsideVault();
    expect(invoke.mock.calls).toEqual([
      ['backup_status'],
      ['make_backup', { password: 'pokja kudus 2026' }],
      ['read_import', { handle: 'h', password: null }],
      ['read_import', { handle: 'h', password: 'sandi' }],
      ['confirm_import', { handle: 'h' }],
      ['cancel_import', { handle: 'h' }],
      ['export_accounts', { format: 'aegis', password: 'pindah 2026!' }],
      ['export_accounts', { format: 'otpauth', password: null }],
      ['set_aside_vault'],
    ]);
  });
});
