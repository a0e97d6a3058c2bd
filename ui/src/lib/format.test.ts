import { describe, expect, it } from 'vitest';
import {
  base32Problem,
  breakParts,
  clockTime,
  nameGroups,
  formatTimeLeft,
  groupAccounts,
  groupCode,
  kindName,
  licenceCounts,
  matchesQuery,
  ringFraction,
  screenshotHintKey,
  secondsLeft,
  showNext,
  spokenCode,
} from './format';
import { en } from './i18n/en';
import { id } from './i18n/id';
import type { AccountView, SiteView } from './ipc';

const acct = (id: string, server: string | null, name = id, label: string | null = null): AccountView => ({
  id,
  server,
  issuer: server ? 'SPSE' : 'GitHub',
  name,
  label,
  kind: 'totp',
  digits: 6,
  period: 30,
  enrolled: server !== null,
  pending: false,
  snoozedUntil: null,
});

describe('groupCode', () => {
  it('groups 6, 7 and 8 digits', () => {
    expect(groupCode('123456')).toBe('123 456');
    expect(groupCode('1234567')).toBe('123 4567');
    expect(groupCode('12345678')).toBe('1234 5678');
  });
  it('leaves odd input alone', () => {
    expect(groupCode('12a456')).toBe('12a456');
    expect(groupCode('1234')).toBe('1234');
    expect(groupCode('')).toBe('');
  });
  it('spells codes digit by digit for screen readers', () => {
    expect(spokenCode('123456')).toBe('1 2 3 4 5 6');
  });
  it('leaves a Steam code of five letters and digits in one piece', () => {
    expect(groupCode('FR8RV')).toBe('FR8RV');
    expect(spokenCode('FR8RV')).toBe('F R 8 R V');
  });
});

describe('kindName', () => {
  it('says TOTP, HOTP and Steam', () => {
    expect(['totp', 'hotp', 'steam'].map((k) => kindName(k as 'totp'))).toEqual(['TOTP', 'HOTP', 'Steam']);
  });
});

describe('countdown maths', () => {
  const until = 1_000_000_030_000;
  it('counts whole seconds left, rounding up', () => {
    expect(secondsLeft(until, until - 30_000)).toBe(30);
    expect(secondsLeft(until, until - 29_001)).toBe(30);
    expect(secondsLeft(until, until - 29_000)).toBe(29);
    expect(secondsLeft(until, until - 1)).toBe(1);
    expect(secondsLeft(until, until)).toBe(0);
    expect(secondsLeft(until, until + 5_000)).toBe(0);
  });
  it('gives the ring fraction, clamped', () => {
    expect(ringFraction(until, until - 30_000, 30)).toBe(1);
    expect(ringFraction(until, until - 15_000, 30)).toBe(0.5);
    expect(ringFraction(until, until, 30)).toBe(0);
    expect(ringFraction(until, until - 60_000, 30)).toBe(1);
    expect(ringFraction(until, until + 1, 30)).toBe(0);
    expect(ringFraction(until, until - 1, 0)).toBe(0);
  });
  it('shows the next code only in the last 5 seconds', () => {
    expect(showNext(until, until - 5_001)).toBe(false);
    expect(showNext(until, until - 5_000)).toBe(true);
    expect(showNext(until, until - 1)).toBe(true);
    expect(showNext(until, until)).toBe(false);
  });
});

describe('formatTimeLeft', () => {
  it('formats minutes and seconds', () => {
    expect(formatTimeLeft(60_000, 0)).toBe('1:00');
    expect(formatTimeLeft(65_000, 0)).toBe('1:05');
    expect(formatTimeLeft(45_000, 0)).toBe('0:45');
    expect(formatTimeLeft(44_500, 0)).toBe('0:45');
    expect(formatTimeLeft(9_000, 0)).toBe('0:09');
    expect(formatTimeLeft(0, 10)).toBe('0:00');
  });
});

describe('groupAccounts', () => {
  const sites: SiteView[] = [
    { server: 'https://spse.a.go.id', name: 'LPSE A', training: false, state: 'reachable', pausedUntil: null },
    { server: 'https://spse.b.go.id', name: null, training: false, state: 'offline', pausedUntil: null },
    { server: 'https://empty.go.id', name: 'No accounts', training: false, state: 'unknown', pausedUntil: null },
  ];
  it('groups per site in the order of the first account, codes-only last', () => {
    const accounts = [
      acct('1', 'https://spse.b.go.id'),
      acct('2', null),
      acct('3', 'https://spse.a.go.id'),
      acct('4', 'https://spse.b.go.id'),
    ];
    const groups = groupAccounts(sites, accounts);
    expect(groups.map((g) => g.key)).toEqual(['https://spse.b.go.id', 'https://spse.a.go.id', '']);
    expect(groups[0].accounts.map((a) => a.id)).toEqual(['1', '4']);
    expect(groups[0].site?.state).toBe('offline');
    expect(groups[2].site).toBeNull();
    expect(groups[2].accounts.map((a) => a.id)).toEqual(['2']);
  });
  it('makes a plain site for an account whose site is not listed', () => {
    const groups = groupAccounts([], [acct('1', 'https://x.go.id')]);
    expect(groups[0].site).toEqual({ server: 'https://x.go.id', name: null, training: false, state: 'unknown', pausedUntil: null });
  });
  it('has no codes-only group when there is none, and nothing for no accounts', () => {
    expect(groupAccounts(sites, [acct('1', 'https://spse.a.go.id')]).map((g) => g.key)).toEqual(['https://spse.a.go.id']);
    expect(groupAccounts(sites, [])).toEqual([]);
  });
});

describe('search and validation', () => {
  it('matches user ID, label, site name and URL, case-insensitively', () => {
    const a = acct('1', 'https://spse.kudus.go.id', 'PPK2', 'Kantor');
    const site: SiteView = { server: a.server!, name: 'LPSE Kabupaten Kudus', training: false, state: 'reachable', pausedUntil: null };
    expect(matchesQuery(a, site, 'ppk')).toBe(true);
    expect(matchesQuery(a, site, 'kantor')).toBe(true);
    expect(matchesQuery(a, site, 'KUDUS')).toBe(true);
    expect(matchesQuery(a, site, 'jembrana')).toBe(false);
    expect(matchesQuery(a, site, '  ')).toBe(true);
  });
  it('checks base32 secrets', () => {
    expect(base32Problem('')).toBe('empty');
    expect(base32Problem('JBSW Y3DP')).toBe('short');
    expect(base32Problem('JBSWY3DPEHPK3PX1')).toBe('chars');
    expect(base32Problem('jbsw y3dp ehpk 3pxp')).toBe(null);
  });
});

describe('breakParts', () => {
  it('offers breaks after dots, @, _, / and - only', () => {
    expect(breakParts('budi.santoso@kudus.go.id')).toEqual(['budi.', 'santoso@', 'kudus.', 'go.', 'id']);
    expect(breakParts('PP-JEMBRANA')).toEqual(['PP-', 'JEMBRANA']);
    expect(breakParts('PPK2')).toEqual(['PPK2']);
    expect(breakParts('').join('')).toBe('');
  });
});

describe('nameGroups', () => {
  it('groups a NIP as BKN writes it, and keeps its digits', () => {
    expect(nameGroups('199203152019031004')).toEqual({ groups: ['19920315', '201903', '1', '004'], nip: true });
    expect(nameGroups('199203152019031004').groups.join('')).toBe('199203152019031004');
  });

  it('breaks an e-mail before its domain first', () => {
    expect(nameGroups('budi.santoso@kudus.go.id').groups).toEqual(['budi.santoso@', 'kudus.go.id']);
  });

  it('never splits a run of digits', () => {
    for (const id of ['PPK.DINKES.01', '19920315201903100', 'user_12345678', 'pokja.konstruksi.2026']) {
      for (const g of nameGroups(id).groups) expect(id).toContain(g);
      expect(nameGroups(id).groups.some((g) => /\d$/.test(g) && /^\d/.test(id.slice(id.indexOf(g) + g.length)))).toBe(false);
    }
  });
});

describe('clockTime', () => {
  it('writes the local time of day on the 24-hour clock, as each language does', () => {
    const at = new Date(2026, 10, 20, 14, 5).getTime();
    expect(clockTime(at, 'id')).toBe('14.05');
    expect(clockTime(at, 'en')).toBe('14:05');
    expect(clockTime(new Date(2026, 10, 20, 9, 30).getTime(), 'id')).toBe('09.30');
  });
});

describe('screenshotHintKey (F-16)', () => {
  it('promises only what the platform keeps', () => {
    expect(screenshotHintKey('android')).toBe('settings.screenshotHint');
    expect(screenshotHintKey('windows')).toBe('settings.screenshotWindow');
    expect(screenshotHintKey('macos')).toBe('settings.screenshotWindow');
    expect(screenshotHintKey('linux')).toBe('settings.screenshotLinux');
  });

  it('says so in both languages: hidden from capture and sharing on Windows and macOS, capturable on Linux', () => {
    expect(id['settings.screenshotWindow']).toMatch(/tangkapan layar dan berbagi layar/);
    expect(en['settings.screenshotWindow']).toMatch(/hidden from screenshots and screen sharing/);
    expect(id['settings.screenshotLinux']).toMatch(/^Di Linux, perlindungan ini tidak tersedia: .*tetap bisa ditangkap/);
    expect(en['settings.screenshotLinux']).toMatch(/^On Linux, this protection is not available: .*can still be captured/);
  });
});

describe('licenceCounts', () => {
  it('counts crates and npm packages across the groups', () => {
    const groups = [
      { licence: 'Apache-2.0 OR MIT', packages: [{ name: 'tauri', version: '2.9.0', npm: false }, { name: '@tauri-apps/api', version: '2.12.5', npm: true }] },
      { licence: 'MIT', packages: [{ name: 'svelte', version: '5.57.3', npm: true }, { name: 'tokio', version: '1.48.0', npm: false }, { name: 'bytes', version: '1.11.0', npm: false }] },
    ];
    expect(licenceCounts(groups)).toEqual({ crates: 3, npm: 2 });
    expect(licenceCounts([])).toEqual({ crates: 0, npm: 0 });
  });
});
