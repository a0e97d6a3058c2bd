// The scan flow (native.ts) with a fake scanner, a fake history and root
// element: every way out settles the scan, cancels the plugin when it is
// still scanning, takes the history entry off and restores the page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelScan, isScanning, scanQr, SCAN_TIMEOUT_MS, SCANNING_CLASS, type Scanner, type ScanOptions } from './native';

const plugin = vi.hoisted(() => ({
  scan: vi.fn(),
  cancel: vi.fn(async () => undefined),
  checkPermissions: vi.fn(async () => 'granted'),
  requestPermissions: vi.fn(async () => 'granted'),
}));
vi.mock('@tauri-apps/plugin-barcode-scanner', () => ({ ...plugin, Format: { QRCode: 'QR_CODE' } }));

/** A web view's history: entries, Back (popstate fires after it, as in a browser). */
class FakeHistory {
  entries: unknown[] = [{ depth: 1 }];
  index = 0;
  backs = 0;
  constructor(private readonly win: EventTarget) {}
  get state(): unknown {
    return this.entries[this.index];
  }
  pushState(state: unknown): void {
    this.entries.splice(this.index + 1);
    this.entries.push(state);
    this.index += 1;
  }
  back(): void {
    this.backs += 1;
    if (this.index === 0) return;
    this.index -= 1;
    setTimeout(() => this.win.dispatchEvent(new Event('popstate')), 0);
  }
}

let win: EventTarget;
let hist: FakeHistory;
let classes: Set<string>;

beforeEach(() => {
  win = new EventTarget();
  hist = new FakeHistory(win);
  classes = new Set();
  Object.assign(globalThis, {
    window: win,
    history: hist,
    document: {
      documentElement: {
        classList: { add: (c: string) => classes.add(c), remove: (c: string) => classes.delete(c), contains: (c: string) => classes.has(c) },
      },
    },
  });
});

afterEach(() => {
  cancelScan(); // a failing test leaves no scan behind for the next
  vi.useRealTimers();
  vi.clearAllMocks();
});

/** A scanner whose scan stays open until told (or forever). */
function fakeScanner(permission: 'granted' | 'denied' = 'granted') {
  let resolveScan: (v: { content: string }) => void = () => undefined;
  let rejectScan: (e: unknown) => void = () => undefined;
  const scanner = {
    checkPermissions: vi.fn(async (): Promise<'granted' | 'prompt'> => (permission === 'granted' ? 'granted' : 'prompt')),
    requestPermissions: vi.fn(async () => permission),
    scanQrWindowed: vi.fn(
      () =>
        new Promise<{ content: string }>((ok, fail) => {
          resolveScan = ok;
          rejectScan = fail;
        }),
    ),
    cancel: vi.fn(async () => undefined),
  } satisfies Scanner;
  return { scanner, read: (content: string) => resolveScan({ content }), reject: (e: unknown) => rejectScan(e) };
}

/** Starts a scan and waits until the camera shows (the overlay would be drawn). */
async function started(scanner: Scanner, extra: Partial<ScanOptions> = {}) {
  const active: boolean[] = [];
  let shown!: () => void;
  const showing = new Promise<void>((ok) => (shown = ok));
  const result = scanQr({
    platform: 'android',
    hasCamera: async () => true,
    loadScanner: async () => scanner,
    onActive: (a) => {
      active.push(a);
      if (a) shown();
    },
    ...extra,
  });
  await showing;
  return { result, active };
}

describe('scanning', () => {
  it('shows the camera with the page made see-through and a history entry pushed', async () => {
    const { scanner } = fakeScanner();
    const { result, active } = await started(scanner);
    expect(scanner.scanQrWindowed).toHaveBeenCalledOnce();
    expect(classes.has(SCANNING_CLASS)).toBe(true);
    expect(hist.index).toBe(1);
    expect(hist.state).toMatchObject({ depth: 1, scan: expect.any(String) });
    expect(active).toEqual([true]);
    expect(isScanning()).toBe(true);
    cancelScan();
    await result;
  });

  it('Batal settles the scan, cancels the plugin and restores the page', async () => {
    const { scanner } = fakeScanner();
    const { result, active } = await started(scanner);
    cancelScan();
    await expect(result).resolves.toEqual({ outcome: 'cancelled' });
    expect(scanner.cancel).toHaveBeenCalledOnce();
    expect(classes.has(SCANNING_CLASS)).toBe(false);
    expect(hist.backs).toBe(1);
    expect(hist.index).toBe(0);
    expect(active).toEqual([true, false]);
    expect(isScanning()).toBe(false);
  });

  it('Back (popstate) cancels the scan and leaves the Add screen where it is', async () => {
    const { scanner } = fakeScanner();
    const { result } = await started(scanner);
    hist.back(); // Android's Back: wry calls webView.goBack()
    await expect(result).resolves.toEqual({ outcome: 'cancelled' });
    expect(scanner.cancel).toHaveBeenCalledOnce();
    expect(classes.has(SCANNING_CLASS)).toBe(false);
    // Only the user's Back: the scan did not go back a second time (off the Add screen).
    expect(hist.backs).toBe(1);
    expect(hist.index).toBe(0);
    expect(hist.state).toEqual({ depth: 1 });
  });

  it('no camera: says so, and never opens the scanner', async () => {
    const loadScanner = vi.fn(async () => fakeScanner().scanner);
    const result = await scanQr({ platform: 'android', hasCamera: async () => false, loadScanner });
    expect(result).toEqual({ outcome: 'noCamera' });
    expect(loadScanner).not.toHaveBeenCalled();
    expect(hist.index).toBe(0);
    expect(classes.size).toBe(0);
  });

  it('the watchdog cancels a scan that reads nothing within 60 s', async () => {
    vi.useFakeTimers();
    const { scanner } = fakeScanner();
    const { result } = await started(scanner);
    await vi.advanceTimersByTimeAsync(SCAN_TIMEOUT_MS - 1000);
    expect(isScanning()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual({ outcome: 'timedOut' });
    expect(scanner.cancel).toHaveBeenCalledOnce();
    expect(classes.has(SCANNING_CLASS)).toBe(false);
    expect(hist.index).toBe(0);
  });

  it('a refused camera permission says so and does not scan', async () => {
    const { scanner } = fakeScanner('denied');
    const result = await scanQr({ platform: 'android', hasCamera: async () => true, loadScanner: async () => scanner });
    expect(result).toEqual({ outcome: 'denied' });
    expect(scanner.requestPermissions).toHaveBeenCalledOnce();
    expect(scanner.scanQrWindowed).not.toHaveBeenCalled();
    expect(hist.index).toBe(0);
  });

  it('a code read ends the scan without cancelling, the page restored', async () => {
    const { scanner, read } = fakeScanner();
    const { result } = await started(scanner);
    read('otpauth://totp/x?secret=ABC');
    await expect(result).resolves.toEqual({ outcome: 'scanned', content: 'otpauth://totp/x?secret=ABC' });
    expect(scanner.cancel).not.toHaveBeenCalled();
    expect(classes.has(SCANNING_CLASS)).toBe(false);
    expect(hist.index).toBe(0);
  });

  it('a plugin failure is told, with the page restored', async () => {
    const { scanner, reject } = fakeScanner();
    const { result } = await started(scanner);
    reject('No permission to use camera. Did you request it yet?');
    await expect(result).resolves.toMatchObject({ outcome: 'failed' });
    expect(classes.has(SCANNING_CLASS)).toBe(false);
    expect(hist.index).toBe(0);
  });

  it('a camera check that fails does not stop the scan (the watchdog still would)', async () => {
    const { scanner } = fakeScanner();
    const { result } = await started(scanner, { hasCamera: async () => Promise.reject(new Error('unknown command has_camera')) });
    expect(scanner.scanQrWindowed).toHaveBeenCalledOnce();
    cancelScan();
    await expect(result).resolves.toEqual({ outcome: 'cancelled' });
  });

  it('the real plugin is asked for a windowed QR scan, and cancel() on Batal', async () => {
    plugin.scan.mockImplementation(() => new Promise(() => undefined));
    let shown!: () => void;
    const showing = new Promise<void>((ok) => (shown = ok));
    const result = scanQr({ platform: 'android', hasCamera: async () => true, onActive: (a) => a && shown() });
    await showing;
    expect(plugin.scan).toHaveBeenCalledWith({ formats: ['QR_CODE'], windowed: true });
    cancelScan();
    await expect(result).resolves.toEqual({ outcome: 'cancelled' });
    expect(plugin.cancel).toHaveBeenCalledOnce();
  });

  it('is for phones only', async () => {
    await expect(scanQr({ platform: 'linux', hasCamera: async () => true })).rejects.toThrow(/camera platform/);
  });
});
