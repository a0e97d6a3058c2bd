// A picture the user picked (a photo or screenshot of the Aktivasi QR code),
// dropped or pasted: its bytes go to `preview_image`, which finds and reads the
// QR code on the Rust side (no camera, no Google Play services needed).
import type { IpcError, Preview } from './ipc';

/** Pictures above this are refused before their bytes cross the IPC; the Rust side still applies its own limit. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** Reads `file` and previews its QR code through `previewImage` (ipc's), rejecting with an IpcError as the commands do. */
export async function previewPicture(file: Blob, previewImage: (bytes: Uint8Array) => Promise<Preview>): Promise<Preview> {
  if (file.size > MAX_IMAGE_BYTES) {
    throw { code: 'imageTooLarge', message: `${file.size} bytes` } satisfies IpcError;
  }
  return previewImage(new Uint8Array(await file.arrayBuffer()));
}
