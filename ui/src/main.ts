// Entry point. In the screenshot build (`--mode screens`) the IPC mock is
// installed first; `__SCREENS__` is the constant false in every other build,
// so the bundler drops that import and the mock never ships.
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { start } from './lib/app.svelte';

async function boot(): Promise<void> {
  if (__SCREENS__) {
    const mock = await import('./mock');
    mock.install();
  }
  mount(App, { target: document.getElementById('app')! });
  await start();
}

void boot();
