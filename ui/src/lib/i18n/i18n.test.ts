import { describe, expect, it } from 'vitest';
import { en } from './en';
import { id } from './id';
import { ERROR_CODES } from '../ipc';

describe('i18n tables', () => {
  it('have exactly the same keys in both languages', () => {
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort());
  });

  it('word every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      const key = `error.${code}`;
      expect(en, key).toHaveProperty([key]);
      expect(id, key).toHaveProperty([key]);
      expect((en as Record<string, string>)[key].length, key).toBeGreaterThan(10);
      expect((id as Record<string, string>)[key].length, key).toBeGreaterThan(10);
    }
  });

  it('have no empty strings and the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(en[key].trim(), key).not.toBe('');
      expect(id[key].trim(), key).not.toBe('');
      expect(ph(id[key]), key).toBe(ph(en[key]));
    }
  });

  it('keep the official app’s words', () => {
    expect(id['login.title']).toBe('Authorize login?');
    expect(id['login.yes']).toBe('Ya');
    expect(id['login.no']).toBe('Tidak');
    expect(id['login.notMe']).toBe('Bukan saya');
    expect(id['login.approved']).toBe('Login {user} diterima');
    expect(id['added.body']).toBe('Akun pada {site} berhasil ditambahkan');
    expect(id['error.numberMismatch']).toMatch(/^Angka tidak cocok/);
    expect(id['login.expired']).toBe('Permintaan login kedaluwarsa');
  });

  it('have no English inside the Indonesian strings (but the site’s own labels, and the official “Authorize login?”)', () => {
    const english = /\b(the|and|is|are|was|of|on|to|with|your|you|not|an|could|please|failed|invalid|payload|detail|seconds?|error)\b|\b\d+\s?s\b/i;
    const allowed = /“(Enable|Disable|Reset) TOTP”|Reset TOTP|User ID|SPSE Auth|\{\w+\}/g;
    const leaks = Object.entries(id).filter(([key, text]) => key !== 'login.title' && english.test(text.replace(allowed, '')));
    expect(leaks).toEqual([]);
  });

  it('quote the site’s own button names, never a translation of them', () => {
    const all = Object.values(id).join('\n');
    expect(all).not.toMatch(/Buka “Aktivasi TOTP”|Nonaktifkan dulu TOTP|di-reset|Luring|ditanya|sebagai mencurigakan/);
    expect(id['accounts.empty.body']).toContain('“Enable TOTP”');
    expect(id['details.deleteHint']).toContain('“Disable TOTP”');
    expect(id['delete.stillActive']).toContain('“Reset TOTP”');
  });
});
