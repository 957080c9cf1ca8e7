import { describe, expect, it } from 'vitest';
import type { TaskConfig } from '../driver.js';
import { RecoverableError } from '../errors.js';
import { UnknownSignalError } from '../signals.js';
import { MockDriver } from './mock-driver.js';

const config = (c: Record<string, unknown>): TaskConfig => ({
  allocID: 'a',
  taskName: 'web',
  config: c,
  env: {},
  taskDir: '/nonexistent',
  stdoutPath: '/nonexistent/out',
  stderrPath: '/nonexistent/err',
});

describe('mock driver', () => {
  it('exits after run_for with exit_code, exit_signal and exit_err_msg', async () => {
    const driver = new MockDriver();
    const handle = await driver.startTask(
      config({ run_for: '10ms', exit_code: 3, exit_signal: 9, exit_err_msg: 'boom' }),
    );
    expect(await driver.waitTask(handle)).toEqual({ exitCode: 3, signal: 9, err: 'boom' });
    expect(await driver.recoverTask(handle)).toBe(false);
  });

  it('exits at once without run_for', async () => {
    const driver = new MockDriver();
    const handle = await driver.startTask(config({}));
    expect(await driver.waitTask(handle)).toEqual({ exitCode: 0, signal: 0 });
  });

  it('fails to start with start_error, recoverable or not', async () => {
    const driver = new MockDriver();
    await expect(driver.startTask(config({ start_error: 'nope' }))).rejects.toThrow('nope');
    await expect(
      driver.startTask(config({ start_error: 'later', start_error_recoverable: true })),
    ).rejects.toBeInstanceOf(RecoverableError);
    await expect(driver.startTask(config({ run_for: 'soon' }))).rejects.toThrow(/duration/);
  });

  it('records signals, refuses unknown names and fails with signal_error', async () => {
    const driver = new MockDriver();
    const handle = await driver.startTask(config({ run_for: '1h' }));
    await driver.signalTask(handle, 'SIGUSR1');
    expect(driver.signalsOf(handle)).toEqual(['SIGUSR1']);
    await expect(driver.signalTask(handle, 'USR1')).rejects.toBeInstanceOf(UnknownSignalError);
    const failing = await driver.startTask(config({ run_for: '1h', signal_error: 'no signals' }));
    await expect(driver.signalTask(failing, 'SIGHUP')).rejects.toThrow('no signals');
    await driver.stopTask(handle, 1000);
    await driver.stopTask(failing, 1000);
  });

  it('dies kill_after a stop (at most the kill timeout), with the kill signal', async () => {
    const driver = new MockDriver();
    const handle = await driver.startTask(config({ run_for: '1h', kill_after: '20ms' }));
    expect(await driver.recoverTask(handle)).toBe(true);
    await driver.stopTask(handle, 5000, 'SIGTERM');
    expect(await driver.waitTask(handle)).toEqual({ exitCode: 0, signal: 15 });
    const slow = await driver.startTask(config({ run_for: '1h', kill_after: '1h' }));
    await driver.stopTask(slow, 10);
    expect(await driver.waitTask(slow)).toEqual({ exitCode: 0, signal: 2 });
  });
});
