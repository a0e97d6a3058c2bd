// The reactive language: `t()` reads `locale.current`, so every string on
// screen re-renders when the setting changes.
import { en, type MessageKey } from './en';
import { id } from './id';
import type { ErrorCode, IpcError } from '../ipc';
import { isIpcError } from '../ipc';

export type Lang = 'id' | 'en';
export type { MessageKey };

const tables: Record<Lang, Record<MessageKey, string>> = { id, en };

/** Indonesian where the system language is Indonesian, else English (DESIGN.md). */
export function systemLang(navLang: string | undefined): Lang {
  return (navLang ?? '').toLowerCase().startsWith('id') ? 'id' : 'en';
}

export const locale = $state<{ current: Lang }>({
  current: systemLang(typeof navigator === 'undefined' ? undefined : navigator.language),
});

/** Applies the setting ("system" follows `navigator.language`) and the page's `lang`, so screen readers pick the right voice. */
export function setLanguage(setting: 'system' | Lang): void {
  locale.current = setting === 'system' ? systemLang(navigator.language) : setting;
  document.documentElement.lang = locale.current;
}

/** The string for `key` in the current language, `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(tables[locale.current][key], params);
}

export function format(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The user-facing words of a rejection: an IpcError by its code, anything else as "unexpected". */
export function errorText(err: unknown): string {
  if (isIpcError(err)) return t(`error.${err.code}` as MessageKey);
  return t('error.unknown');
}

/**
 * The line for the helpdesk under an error: "Kode masalah: payloadInvalid"
 * (the stable code, the same in both languages), null for anything that is
 * not an IpcError. The English `message` stays out of the screen: it is for logs.
 */
export function errorCodeLine(err: unknown): string | null {
  return isIpcError(err) ? t('error.detail', { code: err.code }) : null;
}

export function errorCodeOf(err: unknown): ErrorCode | null {
  return isIpcError(err) ? (err as IpcError).code : null;
}

/**
 * The string for `key` cut at its `{name}` placeholders, for a view that
 * renders the filled-in parts differently (the buttons' names in bold):
 * `[{ text: 'Anda yang login? ' }, { text: 'Ya', param: 'yes' }, …]`.
 */
export function tParts(key: MessageKey, params: Record<string, string>): Array<{ text: string; param?: string }> {
  const parts: Array<{ text: string; param?: string }> = [];
  const text = tables[locale.current][key];
  let at = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in params)) continue;
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ text: params[m[1]], param: m[1] });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
