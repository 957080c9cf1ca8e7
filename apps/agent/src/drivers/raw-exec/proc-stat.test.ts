// Is the process at a task's recorded pid still the task? EPERM from kill(pid, 0) means a process
// is there that belongs to another user: the task only if it started when the task did.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sendSignal } from './process-group.js';
import { pidStatus, processStartTime, type KillFn } from './proc-stat.js';

const errno =
  (code: string): KillFn =>
  () => {
    throw Object.assign(new Error(`kill ${code}`), { code });
  };
const ok: KillFn = () => true;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('pidStatus', () => {
  const self = process.pid;
  const started = processStartTime(self);

  it('knows the process by its start time', () => {
    expect(started).toMatch(/^\d+$/);
    expect(pidStatus(self, started)).toBe('running');
    expect(pidStatus(self, `${started}1`)).toBe('reused');
    expect(pidStatus(self, '')).toBe('running');
  });

  it('takes EPERM as a process that is alive: the task if it started with it, else a reused pid', () => {
    expect(pidStatus(self, started, errno('EPERM'))).toBe('running');
    expect(pidStatus(self, `${started}1`, errno('EPERM'))).toBe('reused');
    // No start time to compare: another user's process cannot be a raw_exec task of this agent.
    expect(pidStatus(self, '', errno('EPERM'))).toBe('reused');
    expect(pidStatus(self, started, ok)).toBe('running');
  });

  it('takes ESRCH and a zombie as exited, and rethrows anything else', async () => {
    expect(pidStatus(self, started, errno('ESRCH'))).toBe('exited');
    expect(() => pidStatus(self, started, errno('EINVAL'))).toThrow('kill EINVAL');
    // A child that exited and is not reaped yet is a zombie.
    const child = spawn('sh', ['-c', 'exec sleep 60']);
    children.push(child);
    const pid = child.pid!;
    const start = processStartTime(pid);
    expect(pidStatus(pid, start)).toBe('running');
    process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(pidStatus(pid, start)).toBe('exited');
  });
});

describe('sendSignal', () => {
  it('tells a signal sent, a process gone and a process of another user apart', () => {
    expect(sendSignal(process.pid, 0)).toBe('sent');
    expect(sendSignal(process.pid, 0, errno('ESRCH'))).toBe('gone');
    expect(sendSignal(process.pid, 0, errno('EPERM'))).toBe('refused');
  });
});

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

describe.runIf(isRoot)('a process of another user, for real (the probe runs as nobody)', () => {
  const probe = fileURLToPath(new URL('./test-fixtures/foreign-probe.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../../../..', import.meta.url));

  it('re-attaches to it only when its start time matches, and never signals it', () => {
    // A process of root: nobody gets EPERM from kill(pid, 0).
    const target = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(target);
    const pid = target.pid!;
    const start = processStartTime(pid);
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@berth/source', probe, String(pid), start],
      { cwd: repoRoot, uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 60_000 },
    );
    expect(JSON.parse(out)).toEqual({
      status: 'running',
      reusedStatus: 'reused',
      unknownStartStatus: 'reused',
      recovered: true,
      signal: `raw_exec: not permitted to signal the process ${pid} of task web (EPERM: it runs as another user)`,
      impostor: false,
    });
    // Still alive and untouched.
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toContain('(sleep)');
    expect(target.exitCode).toBeNull();
  });
});
