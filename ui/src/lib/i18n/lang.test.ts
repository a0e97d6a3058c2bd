import { describe, expect, it } from 'vitest';
import { errorText, format, locale, systemLang, t } from './index.svelte';

describe('language choice and lookup', () => {
  it('follows the system: Indonesian for id*, else English', () => {
    expect(systemLang('id')).toBe('id');
    expect(systemLang('id-ID')).toBe('id');
    expect(systemLang('ID')).toBe('id');
    expect(systemLang('en-US')).toBe('en');
    expect(systemLang('jv-ID')).toBe('en');
    expect(systemLang(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(format('Login {user} diterima', { user: 'PPK2' })).toBe('Login PPK2 diterima');
    expect(format('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('words results and errors by code in the current language', () => {
    locale.current = 'id';
    expect(t('login.approved', { user: 'PPK2' })).toBe('Login PPK2 diterima');
    expect(t('added.body', { site: 'https://latihan-lpse.lkpp.go.id' })).toBe(
      'Akun pada https://latihan-lpse.lkpp.go.id berhasil ditambahkan',
    );
    expect(errorText({ code: 'numberMismatch', message: 'x' })).toMatch(/^Angka tidak cocok/);
    locale.current = 'en';
    expect(errorText({ code: 'numberMismatch', message: 'x' })).toMatch(/^The number does not match your login page/);
    expect(errorText(new Error('boom'))).toBe(t('error.unknown'));
    expect(errorText({ code: 'notACode', message: 'x' })).toBe(t('error.unknown'));
  });
});
