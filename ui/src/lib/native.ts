// Scanning a QR code with the camera (android/ios), through the barcode
// scanner plugin, loaded on demand so desktop never pulls it in (and the
// plugin's JS stays out of the main chunk).
//
// The plugin's windowed mode shows the camera *behind* the web view and makes
// the web view transparent; the page then draws its own overlay (a viewfinder,
// one line of instruction, Batal). While a scan runs:
// - the root element has the class `scanning`: app.css makes the page
//   transparent and hides it, so only the overlay shows over the camera;
// - one history entry is pushed, so Android's Back (which goes back in the
//   web view when it can) pops it and cancels the scan instead of leaving
//   the Add screen or the app;
// - a watchdog cancels after 60 s (the SPSE QR code closes after 60 s; and a
//   phone without Google Play services never detects anything).
// Every way out settles the scan at once, and the page is restored, even if
// the plugin's own promise never settles.
import type { Platform } from './ipc';

export type ScanResult =
  /** The QR code's text. */
  | { outcome: 'scanned'; content: string }
  /** Batal, Back or Escape. */
  | { outcome: 'cancelled' }
  /** The device has no camera: pick a photo instead. */
  | { outcome: 'noCamera' }
  /** The camera permission was refused. */
  | { outcome: 'denied' }
  /** Nothing was read within the watchdog's time. */
  | { outcome: 'timedOut' }
  /** The plugin failed (camera busy, no permission after all, ...). */
  | { outcome: 'failed'; error: unknown };

type PermissionState = 'granted' | 'denied' | 'prompt' | 'prompt-with-rationale';

/** What the scan needs of the plugin (its module fits; tests pass a fake). */
export interface Scanner {
  checkPermissions(): Promise<PermissionState>;
  requestPermissions(): Promise<PermissionState>;
  /** Resolves with the code read; rejects when cancelled or failing. */
  scanQrWindowed(): Promise<{ content: string }>;
  cancel(): Promise<void>;
}

export interface ScanOptions {
  platform: Platform;
  /** `ipc.hasCamera`; a failing answer is taken as "maybe" (the watchdog still ends the scan). */
  hasCamera: () => Promise<boolean>;
  /** The plugin; the real one unless a test passes its own. */
  loadScanner?: () => Promise<Scanner>;
  /** Told true when the camera shows (draw the overlay), false when the scan ends. */
  onActive?: (active: boolean) => void;
  timeoutMs?: number;
}

/** The SPSE QR code closes after 60 s: a scan never outlives it. */
export const SCAN_TIMEOUT_MS = 60_000;

/** The root's class while the camera shows behind the page (app.css). */
export const SCANNING_CLASS = 'scanning';

async function pluginScanner(): Promise<Scanner> {
  const plugin = await import('@tauri-apps/plugin-barcode-scanner');
  return {
    checkPermissions: () => plugin.checkPermissions(),
    requestPermissions: () => plugin.requestPermissions(),
    // windowed: the camera behind a transparent web view, so the page's own overlay (with Batal) shows.
    scanQrWindowed: () => plugin.scan({ formats: [plugin.Format.QRCode], windowed: true }),
    cancel: () => plugin.cancel(),
  };
}

/** Ends the scan under way (the overlay's Batal); nothing when none is. */
let stopCurrent: ((result: ScanResult) => void) | null = null;

export function cancelScan(): void {
  stopCurrent?.({ outcome: 'cancelled' });
}

export function isScanning(): boolean {
  return stopCurrent !== null;
}

let serial = 0;

/** Scans one QR code (android/ios only). Never rejects: every way it can end is a `ScanResult`. */
export async function scanQr(options: ScanOptions): Promise<ScanResult> {
  if (options.platform !== 'android' && options.platform !== 'ios') throw new Error('scanning needs a camera platform');
  if (stopCurrent) return { outcome: 'failed', error: new Error('a scan is already under way') };

  const camera = await options.hasCamera().catch(() => true);
  if (!camera) return { outcome: 'noCamera' };

  let scanner: Scanner;
  try {
    scanner = await (options.loadScanner ?? pluginScanner)();
    let permission = await scanner.checkPermissions();
    if (permission !== 'granted') permission = await scanner.requestPermissions();
    if (permission !== 'granted') return { outcome: 'denied' };
  } catch (error) {
    return { outcome: 'failed', error };
  }

  serial += 1;
  const mark = `scan-${serial}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onpopstate: (() => void) | undefined;

  const result = await new Promise<ScanResult>((settle) => {
    let settled = false;
    const finish = (r: ScanResult, cancelPlugin: boolean) => {
      if (settled) return;
      settled = true;
      stopCurrent = null;
      // cancel() settles the plugin's scan (2.5.3); a rejection it causes is caught below.
      if (cancelPlugin) void scanner.cancel().catch(() => undefined);
      settle(r);
    };
    stopCurrent = (r) => finish(r, true);

    // Back pops this entry: the scan is cancelled, the Add screen stays.
    history.pushState({ ...(history.state as object | null), scan: mark }, '');
    onpopstate = () => {
      if ((history.state as { scan?: string } | null)?.scan === mark) return;
      finish({ outcome: 'cancelled' }, true);
    };
    window.addEventListener('popstate', onpopstate);
    document.documentElement.classList.add(SCANNING_CLASS);
    options.onActive?.(true);
    timer = setTimeout(() => finish({ outcome: 'timedOut' }, true), options.timeoutMs ?? SCAN_TIMEOUT_MS);

    scanner.scanQrWindowed().then(
      (scanned) => finish({ outcome: 'scanned', content: scanned.content ?? '' }, false),
      (error: unknown) => finish(/cancel/i.test(String(error)) ? { outcome: 'cancelled' } : { outcome: 'failed', error }, false),
    );
  });

  clearTimeout(timer);
  if (onpopstate) window.removeEventListener('popstate', onpopstate);
  document.documentElement.classList.remove(SCANNING_CLASS);
  // Ended some other way than Back (which popped it already): take the scan's history entry off again.
  if ((history.state as { scan?: string } | null)?.scan === mark) history.back();
  options.onActive?.(false);
  return result;
}
