// Mobile-only plugin calls, loaded on demand so desktop never pulls them in
// (and the plugin's JS stays out of the main chunk).
import type { Platform } from './ipc';

/** Scans one QR code with the camera (android/ios only) and returns its text; null if the user cancelled. */
export async function scanQr(platform: Platform): Promise<string | null> {
  if (platform !== 'android' && platform !== 'ios') throw new Error('scanning needs a camera platform');
  const scanner = await import('@tauri-apps/plugin-barcode-scanner');
  let permission = await scanner.checkPermissions();
  if (permission !== 'granted') permission = await scanner.requestPermissions();
  if (permission !== 'granted') return null;
  const scanned = await scanner.scan({ formats: [scanner.Format.QRCode], windowed: false });
  return scanned.content || null;
}
