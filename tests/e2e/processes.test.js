// The e2e suite's process teardown (processes.js) checked on its own, with
// dummy long-lived processes in place of the app: it ends a whole tree within
// its timeouts, what left the group or ignores SIGTERM included; the survivor
// check names what a broken teardown left; and the safety net ends a run's
// processes when its node process exits or is stopped without a teardown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Processes, assertNoSurvivors } from './processes.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh run's processes, SIGKILLed after test `t` whatever it found. */
function fresh(t) {
  const procs = new Processes();
  t.after(() => procs.signal('SIGKILL'));
  return procs;
}

/** Waits until `procs` sees `count` processes whose command line matches `pattern`. */
async function started(procs, pattern, count = 1) {
  for (let i = 0; i < 100; i++) {
    const found = procs.alive().filter((p) => pattern.test(p.cmdline));
    if (found.length >= count) return found;
    await sleep(50);
  }
  throw new Error(`${pattern} not started: ${JSON.stringify(procs.alive())}`);
}

test('teardown ends a child and its grandchildren, by group, within its timeout', async (t) => {
  const procs = fresh(t);
  procs.spawn('sh', ['-c', 'sleep 600 & sleep 601 & wait']);
  const [a, b] = await started(procs, /^sleep 60[01]$/, 2);
  assert.equal(a.pgid, b.pgid);
  const t0 = Date.now();
  assert.deepEqual(await procs.endAll({ grace: 2_000, timeout: 2_000 }), []);
  assert.ok(Date.now() - t0 < 2_000, `SIGTERM was enough, within the grace period: took ${Date.now() - t0} ms`);
  assert.deepEqual(procs.alive(), []);
});

test('teardown ends a grandchild that left the group and one that ignores SIGTERM', async (t) => {
  const procs = fresh(t);
  // setsid: a new session and group, as a daemonising app would; the marker still finds it.
  procs.spawn('sh', ['-c', 'setsid sleep 602 & (trap "" TERM; exec sleep 603) & wait']);
  const found = await started(procs, /^sleep 60[23]$/, 2);
  assert.notEqual(found[0].pgid, found[1].pgid);
  const t0 = Date.now();
  assert.deepEqual(await procs.endAll({ grace: 1_000, timeout: 2_000 }), []);
  const took = Date.now() - t0;
  assert.ok(took >= 1_000 && took < 3_000, `SIGKILL after the grace period, within both: took ${took} ms`);
});

test('a broken teardown fails the survivor check, naming pid and command line', async (t) => {
  const procs = fresh(t);
  procs.spawn('sh', ['-c', 'sleep 604 & wait']);
  const [sleeper] = await started(procs, /^sleep 604$/);
  // The "teardown" forgets the grandchild: only the shell is ended.
  await procs.end((p) => p.cmdline.startsWith('sh '));
  assert.throws(
    () => assertNoSurvivors(procs.alive(), 'broken teardown'),
    new RegExp(`broken teardown: 1 process\\(es\\).*\\n  pid ${sleeper.pid} \\(pgid \\d+, ppid \\d+\\): sleep 604$`),
  );
  assert.deepEqual(await procs.endAll(), []);
});

/** A node process (SIGKILLed after `t`) that starts a marked `sleep 605` tree with the safety net, then does `then`. */
async function runWithoutTeardown(t, then) {
  const script = `
    import { Processes } from ${JSON.stringify(new URL('./processes.js', import.meta.url).href)};
    const procs = new Processes();
    procs.installSafetyNet();
    procs.spawn('sh', ['-c', 'sleep 605 & wait']);
    console.log(procs.marker);
    ${then}`;
  const node = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => node.kill('SIGKILL'));
  const marker = await new Promise((done) => createInterface({ input: node.stdout }).once('line', done));
  const procs = new Processes(marker);
  t.after(() => procs.signal('SIGKILL'));
  await started(procs, /^sleep 605$/);
  return { node, procs };
}

test('the safety net ends the processes when node exits without a teardown', async (t) => {
  const { node, procs } = await runWithoutTeardown(t, "process.stdin.once('data', () => process.exit(3));");
  node.stdin.end('exit now\n');
  const code = await new Promise((r) => node.once('exit', r));
  assert.equal(code, 3);
  assertNoSurvivors(await procs.waitGone(() => true, 2_000), 'safety net on exit');
});

test('the safety net ends the processes when node gets SIGTERM', async (t) => {
  const { node, procs } = await runWithoutTeardown(t, 'setInterval(() => {}, 1_000);');
  node.kill('SIGTERM');
  const code = await new Promise((r) => node.once('exit', r));
  assert.equal(code, 143);
  assertNoSurvivors(await procs.waitGone(() => true, 2_000), 'safety net on SIGTERM');
});
