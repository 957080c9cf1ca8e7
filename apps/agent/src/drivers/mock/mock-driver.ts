// Nomad's mock driver (drivers/mock): a task that runs no process but behaves as its config says
// (`run_for`, `exit_code`, `exit_signal`, `exit_err_msg`, `start_error`,
// `start_error_recoverable`, `start_block_for`, `kill_after`, `signal_error`), for tests.
import { parseGoDuration } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { Driver, ExitResult, Fingerprint, TaskConfig, TaskHandle } from '../driver.js';
import { RecoverableError } from '../errors.js';
import { signalNumber } from '../signals.js';
import { setLongTimeout, type LongTimeout } from '../../timers/long-timeout.js';

interface MockConfig {
  runForMs: number;
  exitCode: number;
  exitSignal: number;
  exitErrMsg: string;
  startError: string;
  startErrorRecoverable: boolean;
  startBlockForMs: number;
  killAfterMs: number;
  signalError: string;
}

interface MockTask {
  config: MockConfig;
  exited: Promise<ExitResult>;
  done: boolean;
  finish(result: ExitResult, afterMs: number): void;
  /** Every signal the task received, in order (for tests). */
  signals: string[];
}

const DRIVER = 'mock_driver';

/**
 * The mock driver. Registered as `mock_driver` (Nomad's name); tasks live in this instance's
 * memory, so a runner recreated over the same instance re-attaches to them.
 */
export class MockDriver implements Driver {
  readonly name: string;
  private readonly tasks = new Map<string, MockTask>();

  constructor(name = DRIVER) {
    this.name = name;
  }

  fingerprint(): Fingerprint {
    return {
      detected: true,
      healthy: true,
      healthDescription: 'Healthy',
      attributes: { [`driver.${this.name}`]: '1' },
    };
  }

  async startTask(config: TaskConfig): Promise<TaskHandle> {
    const mock = parseMockConfig(config.config);
    if (mock.startBlockForMs > 0) await sleep(mock.startBlockForMs);
    if (mock.startError !== '') {
      throw mock.startErrorRecoverable
        ? new RecoverableError(mock.startError)
        : new Error(mock.startError);
    }
    const id = randomUUID();
    let timer: LongTimeout | undefined;
    let resolveExit!: (result: ExitResult) => void;
    const task: MockTask = {
      config: mock,
      done: false,
      signals: [],
      exited: new Promise<ExitResult>((resolve) => (resolveExit = resolve)),
      finish(result, afterMs) {
        if (task.done) return;
        timer?.clear();
        timer = setLongTimeout(() => {
          task.done = true;
          resolveExit(result);
        }, afterMs);
      },
    };
    const natural: ExitResult = { exitCode: mock.exitCode, signal: mock.exitSignal };
    if (mock.exitErrMsg !== '') natural.err = mock.exitErrMsg;
    task.finish(natural, mock.runForMs);
    this.tasks.set(id, task);
    return {
      driver: this.name,
      taskName: config.taskName,
      startedAt: new Date().toISOString(),
      state: { id },
    };
  }

  async waitTask(handle: TaskHandle): Promise<ExitResult> {
    return this.taskOf(handle).exited;
  }

  signalTask(handle: TaskHandle, signal: string): Promise<void> {
    try {
      signalNumber(signal);
      const task = this.taskOf(handle);
      if (task.config.signalError !== '') throw new Error(task.config.signalError);
      task.signals.push(signal);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async stopTask(handle: TaskHandle, timeoutMs: number, signal = 'SIGINT'): Promise<void> {
    const task = this.taskOf(handle);
    if (!task.done) {
      // A task slower to die than the kill timeout is killed at the timeout.
      const afterMs = Math.min(task.config.killAfterMs, Math.max(0, timeoutMs));
      task.finish({ exitCode: 0, signal: signalNumber(signal || 'SIGINT') }, afterMs);
    }
    await task.exited;
  }

  recoverTask(handle: TaskHandle): Promise<boolean> {
    const id = handle.state['id'];
    const task = typeof id === 'string' ? this.tasks.get(id) : undefined;
    return Promise.resolve(task !== undefined && !task.done);
  }

  /** The signals a task has received (for tests). */
  signalsOf(handle: TaskHandle): string[] {
    return [...this.taskOf(handle).signals];
  }

  private taskOf(handle: TaskHandle): MockTask {
    const id = handle.state['id'];
    const task = typeof id === 'string' ? this.tasks.get(id) : undefined;
    if (!task) throw new Error(`mock_driver: unknown task ${handle.taskName}`);
    return task;
  }
}

function parseMockConfig(config: Record<string, unknown>): MockConfig {
  return {
    runForMs: duration(config, 'run_for'),
    exitCode: int(config, 'exit_code'),
    exitSignal: int(config, 'exit_signal'),
    exitErrMsg: str(config, 'exit_err_msg'),
    startError: str(config, 'start_error'),
    startErrorRecoverable: config['start_error_recoverable'] === true,
    startBlockForMs: duration(config, 'start_block_for'),
    killAfterMs: duration(config, 'kill_after'),
    signalError: str(config, 'signal_error'),
  };
}

function duration(config: Record<string, unknown>, key: string): number {
  const value = config[key];
  if (value === undefined || value === '') return 0;
  if (typeof value === 'number') return value / 1e6;
  const ns = typeof value === 'string' ? parseGoDuration(value) : undefined;
  if (ns === undefined)
    throw new Error(`mock_driver: ${key} is not a duration: ${JSON.stringify(value)}`);
  return ns / 1e6;
}

function int(config: Record<string, unknown>, key: string): number {
  const value = config[key];
  if (value === undefined) return 0;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new Error(`mock_driver: ${key} must be an integer`);
  }
  return n;
}

function str(config: Record<string, unknown>, key: string): string {
  const value = config[key];
  return typeof value === 'string' ? value : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setLongTimeout(resolve, ms));
}
