import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `--mode screens` builds the same app with the IPC mock (src/mock.ts) for the
// screenshot suite; every other mode replaces __SCREENS__ with false, so the
// mock and its scenarios are dropped from the production bundle entirely.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  define: { __SCREENS__: JSON.stringify(mode === 'screens') },
  // Tauri serves the files itself; a fixed port lets tauri.conf.json point at the dev server.
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  clearScreen: false,
  build: {
    target: ['es2021', 'chrome105', 'safari15'],
    // No inline polyfill script: the app runs under `default-src 'self'`.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // The main chunk's budget (kB). 215 since backup and restore: its view is a chunk of its own, loaded
    // when opened, but its words (both languages) stay in the i18n tables with the rest.
    chunkSizeWarningLimit: 215,
  },
  // `css`: the palette test reads app.css as text (`?raw`), which Vitest blanks unless CSS is processed.
  test: { include: ['src/**/*.test.ts'], environment: 'node', css: { include: [/app\.css/] } },
}));
