// Every process the e2e suite starts, found again and ended. The suite's
// children (tauri-driver, the sandbox, Chromium) each lead their own process
// group, and everything they start carries one environment variable whose
// value is unique to this run, so a process that left its group or lost its
// parent (the app, a grandchild of tauri-driver through WebKitWebDriver) is
// still found by scanning /proc. No child shares the test runner's output
// pipe: a survivor must never keep `node --test` waiting.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants } from 'node:os';

/** The environment variable that marks this run's processes. */
export const MARKER = 'SPSE_E2E_RUN';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One process from /proc, or null when it is gone or a zombie (a zombie holds nothing). */
function readProcess(pid, entry) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields follow the last ')'.
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return null;
    let marked = false;
    try {
      marked = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
    } catch { /* not ours to read */ }
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    } catch { /* likewise */ }
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, ppid: Number(ppid), pgid: Number(pgid), state, exe, cmdline, marked };
  } catch {
    return null;
  }
}

/** `pid 12 (pgid 10, ppid 1): /path/cmd args`, to name a process in a message. */
export function describeProcess(p) {
  return `pid ${p.pid} (pgid ${p.pgid}, ppid ${p.ppid}): ${p.cmdline || p.exe || '?'}`;
}

/**
 * Throws, naming each process's pid and command line, when `survivors` is not
 * empty: a process that outlived the teardown must fail the suite, not keep
 * it (or CI) waiting.
 */
export function assertNoSurvivors(survivors, what = 'the e2e teardown') {
  if (survivors.length === 0) return;
  throw new Error(
    `${what}: ${survivors.length} process(es) it started still alive after SIGKILL:\n` +
    survivors.map((p) => `  ${describeProcess(p)}`).join('\n'),
  );
}

/**
 * `promise`, or a rejection naming `what` after `ms`: each teardown step is
 * bounded (a WebDriver DELETE that never answers must not hang the suite).
 */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/** The processes one run started: spawned here, found in /proc, ended together. */
export class Processes {
  /** `marker` only to look at another run's processes (the self-check's). */
  constructor(marker = `${process.pid}-${randomUUID()}`) {
    this.marker = marker;
    this.entry = `${MARKER}=${marker}`;
    /** Children spawned here, each the leader of its own process group. */
    this.children = new Set();
    /** The process groups of this run: its children's, and any a marked process leads (Chromium's). */
    this.groups = new Set();
  }

  /** `base` with this run's marker: what every process the suite starts must get. */
  env(base = process.env) {
    return { ...base, [MARKER]: this.marker };
  }

  /**
   * Spawns `command` marked, in its own process group (`detached`), so that
   * it and what it starts can be ended together; stdin ignored, stderr (and
   * stdout with `stdout: 'forward'`) copied to ours through a pipe this
   * process owns, so no child ever holds the test runner's pipe. With
   * `stdout: 'pipe'` the caller reads (and must drain) `child.stdout`.
   */
  spawn(command, args, { env = process.env, stdout = 'forward' } = {}) {
    const child = spawn(command, args, { env: this.env(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', () => {}); // a failed spawn also emits 'exit' (code -errno), which callers watch
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    if (stdout === 'forward') child.stdout.on('data', (chunk) => process.stderr.write(chunk));
    if (child.pid) {
      this.children.add(child);
      this.groups.add(child.pid);
    }
    return child;
  }

  /**
   * Every live process of this run: the marked ones, the tracked children
   * not yet reaped, and all their descendants (should one drop the marker).
   * Sorted by pid. The caller's own process is never among them.
   */
  alive() {
    const all = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      const p = readProcess(Number(name), this.entry);
      if (p) all.set(p.pid, p);
    }
    const ours = new Set([...all.values()].filter((p) => p.marked).map((p) => p.pid));
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null && all.has(child.pid)) ours.add(child.pid);
    }
    for (let grew = true; grew;) {
      grew = false;
      for (const p of all.values()) {
        if (!ours.has(p.pid) && ours.has(p.ppid)) {
          ours.add(p.pid);
          grew = true;
        }
      }
    }
    const found = [...ours].sort((a, b) => a - b).map((pid) => all.get(pid));
    for (const p of found) if (p.pgid === p.pid) this.groups.add(p.pid);
    return found;
  }

  /**
   * Sends `signal` to each process `select` picks, and to each process group
   * of this run whose live members `select` all picks (the group reaches a
   * member /proc no longer ties to this run; a partial pick, as the app
   * alone in tauri-driver's group, hits nothing else). A group is signalled
   * only while it has a live member, so its id cannot have been reused.
   */
  signal(signal, select = () => true) {
    const all = this.alive();
    const targets = all.filter(select);
    const whole = (g) => all.every((p) => p.pgid !== g || targets.includes(p));
    const groups = new Set(targets.map((p) => p.pgid).filter((g) => this.groups.has(g) && whole(g)));
    for (const pid of [...groups].map((g) => -g).concat(targets.map((p) => p.pid))) {
      try {
        process.kill(pid, signal);
      } catch { /* gone already */ }
    }
    return targets;
  }

  /** Waits up to `ms` for the processes `select` picks to be gone; returns those left. */
  async waitGone(select = () => true, ms = 5_000) {
    const end = Date.now() + ms;
    for (;;) {
      const left = this.alive().filter(select);
      if (left.length === 0 || Date.now() >= end) return left;
      await sleep(50);
    }
  }

  /**
   * Ends the processes `select` picks (all of them by default), by group and
   * by pid: SIGTERM, `grace` ms to go, then SIGKILL and `timeout` ms more.
   * Returns those still alive after that (for assertNoSurvivors); never hangs.
   */
  async end(select = () => true, { grace = 3_000, timeout = 5_000 } = {}) {
    if (this.signal('SIGTERM', select).length === 0) return [];
    if ((await this.waitGone(select, grace)).length === 0) return [];
    this.signal('SIGKILL', select);
    return this.waitGone(select, timeout);
  }

  /**
   * The teardown: ends every process of this run (see end), then lets go of
   * the children's pipes and handles so nothing keeps this node process
   * alive. Returns the survivors.
   */
  async endAll(options) {
    const survivors = await this.end(() => true, options);
    for (const child of this.children) {
      for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
      child.unref();
    }
    return survivors;
  }

  /**
   * The safety net: SIGKILLs every process of this run, synchronously, when
   * this node process exits or is told to stop (SIGINT, SIGTERM, SIGHUP),
   * whatever the tests and hooks did or did not get to.
   */
  installSafetyNet() {
    const killAll = () => this.signal('SIGKILL');
    process.once('exit', killAll);
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(name, () => {
        killAll();
        process.exit(128 + constants.signals[name]);
      });
    }
  }
}
