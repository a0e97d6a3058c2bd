// Shared by the Vitest files: a waiting login as the Rust side sends it.
import type { LoginView } from './ipc';

/** A login `tx` of `accountId`, approve-only, living until `expiresAt` (local Unix ms). */
export function loginFixture(tx: string, accountId: string, expiresAt: number): LoginView {
  return {
    tx,
    accountId,
    userId: 'PPK2',
    server: 'https://spse.example.go.id',
    training: false,
    siteName: null,
    browser: 'Firefox 133 on Windows',
    ip: '192.0.2.1',
    createdAt: 0,
    expiresAt,
    numberMatch: false,
  };
}
