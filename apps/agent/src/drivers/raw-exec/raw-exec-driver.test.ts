import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNAL_RECORDER, waitFor } from '../../allocrunner/test-support/fixtures.js';
import type { TaskConfig, TaskHandle } from '../driver.js';
import { UnknownSignalError } from '../signals.js';
import { RawExecDriver } from './raw-exec-driver.js';

let dir: string;
const pids: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-raw-exec-'));
});

afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function taskConfig(env: Record<string, string> = {}): TaskConfig {
  return {
    allocID: 'alloc-1',
    taskName: 'web',
    config: { command: process.execPath, args: [SIGNAL_RECORDER, dir] },
    env: { PATH: process.env['PATH'] ?? '', GREETING: 'hello', ...env },
    taskDir: dir,
    stdoutPath: join(dir, 'logs', 'web.stdout.0'),
    stderrPath: join(dir, 'logs', 'web.stderr.0'),
  };
}

async function start(
  driver: RawExecDriver,
  env?: Record<string, string>,
): Promise<{ handle: TaskHandle; pid: number }> {
  const handle = await driver.startTask(taskConfig(env));
  const pid = handle.state['pid'] as number;
  pids.push(pid);
  await waitFor(() => existsSync(join(dir, 'pid')), 'the task to record its pid');
  return { handle, pid };
}

const signals = (): string[] =>
  existsSync(join(dir, 'signals'))
    ? readFileSync(join(dir, 'signals'), 'utf8').trim().split('\n')
    : [];

describe('raw_exec driver', () => {
  it('runs the command in the task directory with the given environment and log files', async () => {
    const driver = new RawExecDriver();
    const { pid } = await start(driver);
    expect(readFileSync(join(dir, 'pid'), 'utf8')).toBe(String(pid));
    const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8')) as {
      cwd: string;
      env: Record<string, string>;
    };
    expect(info.cwd).toBe(dir);
    expect(info.env['GREETING']).toBe('hello');
    await waitFor(() =>
      readFileSync(join(dir, 'logs', 'web.stdout.0'), 'utf8').includes(`started ${pid}`),
    );
  });

  it('delivers a signal by name and refuses an unknown name', async () => {
    const driver = new RawExecDriver();
    const { handle } = await start(driver);
    await driver.signalTask(handle, 'SIGUSR1');
    await waitFor(() => signals().includes('SIGUSR1'), 'SIGUSR1 to arrive');
    await expect(driver.signalTask(handle, 'SIGBOGUS')).rejects.toBeInstanceOf(UnknownSignalError);
  });

  it('stops with the kill signal and reports the exit', async () => {
    const driver = new RawExecDriver();
    const { handle, pid } = await start(driver);
    const exit = driver.waitTask(handle);
    await driver.stopTask(handle, 5_000, 'SIGTERM');
    expect(await exit).toEqual({ exitCode: 0, signal: 0 });
    expect(signals()).toEqual(['SIGTERM']);
    expect(alive(pid)).toBe(false);
  });

  it('kills the whole process group with SIGKILL after the kill timeout', async () => {
    const driver = new RawExecDriver();
    const { handle, pid } = await start(driver, { SPAWN_CHILD: '1', IGNORE_STOP: '1' });
    const childPid = Number(
      await waitFor(
        () => existsSync(join(dir, 'child.pid')) && readFileSync(join(dir, 'child.pid'), 'utf8'),
      ),
    );
    expect(alive(childPid)).toBe(true);
    await driver.stopTask(handle, 200);
    expect(await driver.waitTask(handle)).toEqual({ exitCode: 128 + 9, signal: 9 });
    expect(signals()).toEqual(['SIGINT']);
    expect(alive(pid)).toBe(false);
    await waitFor(() => !alive(childPid), 'the child to die');
  });

  it('re-attaches to a running process from its handle alone, and not to another process', async () => {
    const first = new RawExecDriver();
    const { handle, pid } = await start(first);
    const persisted = JSON.parse(JSON.stringify(handle)) as TaskHandle;

    const second = new RawExecDriver({ pollIntervalMs: 20 });
    expect(await second.recoverTask(persisted)).toBe(true);
    await second.signalTask(persisted, 'SIGHUP');
    await waitFor(() => signals().includes('SIGHUP'), 'SIGHUP to arrive');

    const impostor = { ...persisted, state: { ...persisted.state, startTime: '1' } };
    expect(await new RawExecDriver().recoverTask(impostor)).toBe(false);

    // A re-attached process is not the driver's child: its exit is seen, its code is not.
    const exit = second.waitTask(persisted);
    process.kill(pid, 'SIGKILL');
    const result = await exit;
    expect(result.err).toMatch(/exited/);
    expect(await new RawExecDriver().recoverTask(persisted)).toBe(false);
  });

  it('fails to start a command that does not exist', async () => {
    const driver = new RawExecDriver();
    const config = { ...taskConfig(), config: { command: join(dir, 'no-such-command') } };
    await expect(driver.startTask(config)).rejects.toThrow(/ENOENT/);
    await expect(driver.startTask({ ...config, config: {} })).rejects.toThrow(/command/);
  });
});
