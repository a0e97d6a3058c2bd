// The palette keeps danger, warning and info apart from the brand maroon
// (ux-review #3: the error red and the maroon were 1.4:1 apart in light and
// 1.0:1 in dark): warning and info have hues of their own, and what is
// dangerous is never drawn like the brand's filled button.
import { describe, expect, it } from 'vitest';
import css from '../app.css?raw';

/** The custom properties of the first block that `selector` opens. */
function tokens(selector: string): Record<string, string> {
  const at = css.indexOf(selector);
  expect(at, selector).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hue(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => v / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

const hueGap = (a: string, b: string) => {
  const d = Math.abs(hue(a) - hue(b));
  return Math.min(d, 360 - d);
};

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

describe.each([
  ['light', ':root {'],
  ['dark', ":root[data-theme='dark']"],
])('the %s palette', (_, selector) => {
  const t = tokens(selector);

  it('gives warning and info hues of their own, far from the brand maroon', () => {
    for (const name of ['warning', 'warning-container', 'info', 'info-container']) {
      expect(hueGap(t[name], t.primary), name).toBeGreaterThanOrEqual(40);
    }
  });

  it('keeps each notice readable on its container', () => {
    expect(contrast(t['on-warning-container'], t['warning-container'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(t['on-info-container'], t['info-container'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(t['on-danger-container'], t['danger-container'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(t['on-info'], t.info)).toBeGreaterThanOrEqual(4.5);
  });

  it('draws danger buttons unlike the brand filled button (the container is far from the primary)', () => {
    expect(contrast(t['danger-container'], t.primary)).toBeGreaterThanOrEqual(3);
  });
});

describe('danger and warning in the style sheet', () => {
  it('never fills a button with the error red, which looks like the maroon "Ya"', () => {
    const danger = /\.btn\.danger\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(danger).toContain('--danger-container');
    expect(danger).not.toMatch(/background:\s*var\(--error\)/);
  });

  it('colours warning notices with the warning hue, not the error red', () => {
    const warn = /\.notice\.warn\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(warn).toContain('--warning-container');
    expect(warn).not.toContain('--error');
  });
});
