import type { Allocation, TaskState } from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver } from '../drivers/driver.js';
import { MockDriver } from '../drivers/mock/mock-driver.js';
import { createAllocRunner } from './alloc-runner.js';
import { FileHandleStore } from './handle-store.js';
import {
  MS,
  SECOND,
  testAlloc,
  testNode,
  waitFor,
  type TestAllocOptions,
} from './test-support/fixtures.js';
import { LifecycleError, type AllocRunner } from './types.js';

let dataDir: string;
let mock: MockDriver;
const runners: AllocRunner[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-alloc-runner-'));
  mock = new MockDriver();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.destroy()));
  rmSync(dataDir, { recursive: true, force: true });
});

function start(
  alloc: Allocation,
  drivers: Map<string, Driver> = new Map([['mock_driver', mock]]),
): AllocRunner {
  const runner = createAllocRunner(alloc, {
    dataDir,
    node: testNode,
    drivers,
    handleStore: new FileHandleStore(join(dataDir, 'handles')),
  });
  runners.push(runner);
  runner.run();
  return runner;
}

const types = (state: TaskState | undefined): string[] => (state?.Events ?? []).map((e) => e.Type);
const task = (runner: AllocRunner, name = 'web'): TaskState =>
  runner.clientState().TaskStates[name]!;
const status = (runner: AllocRunner) => runner.clientState().ClientStatus;
const running = (runner: AllocRunner, name = 'web') => task(runner, name).State === 'running';

async function lifecycleError(call: Promise<unknown>): Promise<LifecycleError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LifecycleError);
  return error as LifecycleError;
}

const policy = (p: Partial<NonNullable<TestAllocOptions['restartPolicy']>>) => ({
  Attempts: 0,
  Interval: 60 * SECOND,
  Delay: 5 * MS,
  Mode: 'fail' as const,
  ...p,
});

describe('alloc runner with the mock driver', () => {
  it('runs a batch task to completion: pending → running → complete', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '20ms' } }], { jobType: 'batch' }),
    );
    const seen = new Set<string>();
    runner.onChange(() => seen.add(status(runner)));
    await waitFor(() => status(runner) === 'complete', 'completion');
    expect(seen.has('running')).toBe(true);
    const state = task(runner);
    expect(state.State).toBe('dead');
    expect(state.Failed).toBe(false);
    expect(types(state)).toEqual(['Received', 'Task Setup', 'Started', 'Terminated']);
    expect(state.Events![3]!.DisplayMessage).toBe('Exit Code: 0');
    expect(state.StartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    expect(state.FinishedAt).not.toBe('0001-01-01T00:00:00Z');
    expect(runner.clientState().ClientDescription).toBe('All tasks have completed');
  });

  it('restarts a failing service task within its policy, then fails it in mode "fail"', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '5ms', exit_code: 3 } }], {
        restartPolicy: policy({ Attempts: 1, Mode: 'fail' }),
      }),
    );
    await waitFor(() => status(runner) === 'failed', 'failure');
    const state = task(runner);
    expect(state.Restarts).toBe(1);
    expect(state.Failed).toBe(true);
    expect(types(state)).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Terminated',
      'Restarting',
      'Started',
      'Terminated',
      'Not Restarting',
    ]);
    const [restarting, notRestarting] = [state.Events![4]!, state.Events![7]!];
    expect(restarting.RestartReason).toBe('Restart within policy');
    expect(state.Events![3]!.ExitCode).toBe(3);
    expect(notRestarting.RestartReason).toBe(
      'Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"',
    );
    expect(notRestarting.FailsTask).toBe(true);
    expect(state.LastRestart).not.toBe('0001-01-01T00:00:00Z');
  });

  it('waits for the interval to end in mode "delay" instead of failing', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '5ms', exit_code: 1 } }], {
        restartPolicy: policy({ Attempts: 1, Mode: 'delay', Interval: 60 * SECOND }),
      }),
    );
    const delayed = await waitFor(
      () =>
        task(runner).Events!.find(
          (e) => e.RestartReason === 'Exceeded allowed attempts, applying a delay',
        ),
      'a delayed restart',
    );
    expect(delayed.Type).toBe('Restarting');
    expect(delayed.StartDelay).toBeGreaterThan(50 * SECOND);
    expect(task(runner).State).toBe('pending');
    expect(task(runner).Failed).toBe(false);
  });

  it('keeps only the latest 10 events', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '1ms', exit_code: 1 } }], {
        restartPolicy: policy({ Attempts: 50, Delay: 1 * MS }),
      }),
    );
    await waitFor(() => task(runner).Restarts >= 6, 'six restarts');
    expect(task(runner).Events).toHaveLength(10);
    expect(types(task(runner))).not.toContain('Received');
  });

  it('stops the other tasks when the leader dies (Leader Task Dead), and completes', async () => {
    const runner = start(
      testAlloc(
        [
          { Name: 'leader', Leader: true, Config: { run_for: '30ms' } },
          { Name: 'sidecar', Config: { run_for: '1h' } },
        ],
        { jobType: 'batch' },
      ),
    );
    await waitFor(() => status(runner) === 'complete', 'completion');
    expect(types(task(runner, 'sidecar'))).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Leader Task Dead',
      'Killing',
      'Terminated',
      'Killed',
    ]);
    expect(task(runner, 'sidecar').Failed).toBe(false);
  });

  it('fails the allocation when a task fails, killing its siblings (Sibling Task Failed)', async () => {
    const runner = start(
      testAlloc([
        { Name: 'bad', Config: { start_error: 'no such binary' } },
        { Name: 'good', Config: { run_for: '1h' } },
      ]),
    );
    await waitFor(() => task(runner, 'good').State === 'dead', 'the sibling to be killed');
    expect(status(runner)).toBe('failed');
    expect(types(task(runner, 'bad'))).toEqual([
      'Received',
      'Task Setup',
      'Driver Failure',
      'Not Restarting',
    ]);
    expect(task(runner, 'bad').Events![2]!.DriverError).toBe('no such binary');
    expect(task(runner, 'bad').Events![3]!.RestartReason).toBe('Policy allows no restarts');
    const good = task(runner, 'good');
    expect(types(good)).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Sibling Task Failed',
      'Killing',
      'Terminated',
      'Killed',
    ]);
    expect(good.Events![3]!.FailedSibling).toBe('bad');
    expect(good.Events![3]!.DisplayMessage).toBe(`Task's sibling "bad" failed`);
    expect(good.Failed).toBe(false);
  });

  it('retries a recoverable start error under the policy', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { start_error: 'busy', start_error_recoverable: true } }], {
        restartPolicy: policy({ Attempts: 2 }),
      }),
    );
    await waitFor(() => status(runner) === 'failed', 'failure');
    expect(task(runner).Restarts).toBe(2);
    expect(types(task(runner)).filter((t) => t === 'Driver Failure')).toHaveLength(3);
  });

  it('fails a task whose driver the node does not have', async () => {
    const runner = start(testAlloc([{ Name: 'web', Driver: 'docker' }]));
    await waitFor(() => status(runner) === 'failed', 'failure');
    expect(task(runner).Events![2]!.DriverError).toBe(
      'driver "docker" is not available on this node',
    );
  });

  it('kills the tasks when the allocation is stopped, and ends complete', async () => {
    const alloc = testAlloc([{ Name: 'web', Config: { run_for: '1h', kill_after: '10ms' } }]);
    const runner = start(alloc);
    await waitFor(() => running(runner), 'the task to run');
    expect(status(runner)).toBe('running');
    runner.update({ ...alloc, DesiredStatus: 'stop' });
    await waitFor(() => status(runner) === 'complete', 'completion');
    const state = task(runner);
    expect(types(state).slice(-3)).toEqual(['Killing', 'Terminated', 'Killed']);
    const killing = state.Events!.at(-3)!;
    expect(killing.KillTimeout).toBe(2 * SECOND);
    expect(killing.DisplayMessage).toBe('Sent interrupt. Waiting 2s before force killing');
    expect(state.Events!.at(-1)!.DisplayMessage).toBe('Task successfully killed');
    await expect(runner.restart('', false)).rejects.toMatchObject({
      status: 409,
      message: 'restart of an alloc that should not run',
    });
  });

  it('starts nothing for an allocation that is already to be stopped', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '1h' } }], { desiredStatus: 'stop' }),
    );
    await waitFor(() => task(runner).State === 'dead', 'the task to be dead');
    expect(types(task(runner))).toEqual(['Received']);
    expect(status(runner)).toBe('complete');
  });

  it('signals one task or all of them, with a Signaling event', async () => {
    const runner = start(
      testAlloc([
        { Name: 'web', Config: { run_for: '1h' } },
        { Name: 'log', Config: { run_for: '1h' } },
      ]),
    );
    await waitFor(() => running(runner, 'web') && running(runner, 'log'), 'the tasks to run');
    await runner.signal('web', 'SIGUSR1');
    const event = task(runner).Events!.at(-1)!;
    expect(event).toMatchObject({
      Type: 'Signaling',
      Details: { signal: 'SIGUSR1' },
      TaskSignal: '',
    });
    expect(event.DisplayMessage).toBe('Task being sent a signal');
    await runner.signal('', 'SIGHUP');
    expect(types(task(runner, 'log')).at(-1)).toBe('Signaling');
  });

  it('answers signal mistakes with 404, 400, 409 and driver errors with 500', async () => {
    const runner = start(
      testAlloc(
        [
          { Name: 'web', Config: { run_for: '1h', signal_error: 'cannot signal' } },
          { Name: 'once', Config: { run_for: '0s' } },
        ],
        { jobType: 'batch' },
      ),
    );
    await waitFor(
      () => running(runner, 'web') && task(runner, 'once').State === 'dead',
      'the tasks',
    );
    expect(await lifecycleError(runner.signal('nope', 'SIGUSR1'))).toMatchObject({
      status: 404,
      message: 'Task not found',
    });
    expect(await lifecycleError(runner.signal('web', 'SIGBOGUS'))).toMatchObject({
      status: 400,
      message: 'unknown signal: "SIGBOGUS"',
    });
    expect(await lifecycleError(runner.signal('once', 'SIGUSR1'))).toMatchObject({
      status: 409,
      message: 'Task not running',
    });
    expect(await lifecycleError(runner.signal('web', 'SIGUSR1'))).toMatchObject({
      status: 500,
      message: 'cannot signal',
    });
    expect(await lifecycleError(runner.signal('', 'SIGUSR1'))).toMatchObject({
      status: 500,
      message:
        '2 errors occurred:\n\t* Failed to signal task: web, err: cannot signal\n\t* Failed to signal task: once, err: Task not running\n\n',
    });
  });

  it('signalling every task when none runs is a 409, with each task named', async () => {
    const runner = start(
      testAlloc([{ Name: 'once', Config: { run_for: '0s' } }], { jobType: 'batch' }),
    );
    await waitFor(() => task(runner, 'once').State === 'dead', 'the task to end');
    expect(await lifecycleError(runner.signal('', 'SIGUSR1'))).toMatchObject({
      status: 409,
      message: '1 error occurred:\n\t* Failed to signal task: once, err: Task not running\n\n',
    });
  });

  it('restarts a task at once, outside the policy, answering after the new start', async () => {
    const runner = start(testAlloc([{ Name: 'web', Config: { run_for: '1h' } }]));
    await waitFor(() => running(runner), 'the task to run');
    await runner.restart('web', false);
    const state = task(runner);
    expect(state.State).toBe('running');
    expect(state.Restarts).toBe(1);
    expect(types(state)).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Restart Signaled',
      'Terminated',
      'Restarting',
      'Started',
    ]);
    expect(state.Events![3]!).toMatchObject({
      RestartReason: 'User requested task to restart',
      DisplayMessage: 'User requested task to restart',
      Details: { restart_reason: 'User requested task to restart' },
    });
    expect(state.Events![5]!.StartDelay).toBe(0);

    await runner.restart('', true);
    expect(task(runner).Restarts).toBe(2);
    expect(task(runner).Events!.at(-4)!.RestartReason).toBe('User requested all tasks to restart');
    await runner.restart('', false);
    expect(task(runner).Events!.at(-4)!.RestartReason).toBe(
      'User requested running tasks to restart',
    );
    expect(task(runner).Restarts).toBe(3);
  });

  it('answers restart mistakes with 400, 404 and 409', async () => {
    const runner = start(
      testAlloc([{ Name: 'web', Config: { run_for: '10ms' } }], { jobType: 'batch' }),
    );
    expect(await lifecycleError(runner.restart('web', true))).toMatchObject({
      status: 400,
      message: 'task name cannot be set when restarting all tasks',
    });
    expect(await lifecycleError(runner.restart('nope', false))).toMatchObject({
      status: 404,
      message: 'Could not find task runner for task: nope',
    });
    await waitFor(() => status(runner) === 'complete', 'completion');
    expect(await lifecycleError(runner.restart('web', false))).toMatchObject({
      status: 409,
      message: 'Task not running',
    });
    expect(await lifecycleError(runner.restart('', false))).toMatchObject({
      status: 409,
      message: 'restart of an alloc that should not run',
    });
  });

  it('re-attaches to its running tasks after being recreated, starting nothing twice', async () => {
    const alloc = testAlloc([{ Name: 'web', Config: { run_for: '1h' } }]);
    const first = start(alloc);
    await waitFor(() => running(first), 'the task to run');
    // The agent goes away without stopping its tasks.
    runners.splice(runners.indexOf(first), 1);

    const second = start(alloc);
    await waitFor(() => running(second), 'the re-attached task');
    expect(types(task(second))).toEqual(['Received', 'Task Setup', 'Started']);
    await second.signal('web', 'SIGUSR2');
    expect(types(task(second)).at(-1)).toBe('Signaling');
  });

  it('records a task gone while the agent was away as exited and applies the restart policy', async () => {
    const alloc = testAlloc([{ Name: 'web', Config: { run_for: '1h' } }], {
      restartPolicy: policy({ Attempts: 1 }),
    });
    const first = start(alloc);
    await waitFor(() => running(first), 'the task to run');
    runners.splice(runners.indexOf(first), 1);

    // A new driver instance knows nothing of the old task.
    const second = start(alloc, new Map([['mock_driver', new MockDriver()]]));
    await waitFor(() => task(second).Restarts === 1 && running(second), 'a restart');
    const terminated = task(second).Events!.find((e) => e.Type === 'Terminated')!;
    expect(terminated.Message).toBe('task process was gone when the agent restarted');
    expect(types(task(second))).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Terminated',
      'Restarting',
      'Started',
    ]);
  });

  it('stops a re-attached task when the allocation was stopped while the agent was away', async () => {
    const alloc = testAlloc([{ Name: 'web', Config: { run_for: '1h' } }]);
    const first = start(alloc);
    await waitFor(() => running(first), 'the task to run');
    runners.splice(runners.indexOf(first), 1);

    const second = start({ ...alloc, DesiredStatus: 'stop' });
    await waitFor(() => status(second) === 'complete', 'completion');
    expect(types(task(second))).toEqual([
      'Received',
      'Task Setup',
      'Started',
      'Killing',
      'Terminated',
      'Killed',
    ]);
    expect(types(task(first)).filter((t) => t === 'Started')).toHaveLength(1);
  });

  it('restarts only running tasks for AllTasks, and forgets the allocation when destroyed', async () => {
    const alloc = testAlloc(
      [
        { Name: 'web', Config: { run_for: '1h' } },
        { Name: 'init', Config: { run_for: '0s' } },
      ],
      { jobType: 'batch' },
    );
    const store = new FileHandleStore(join(dataDir, 'handles'));
    const runner = start(alloc);
    await waitFor(
      () => running(runner, 'web') && task(runner, 'init').Restarts === 0,
      'web to run',
    );
    await runner.restart('', true);
    expect(task(runner, 'web').Restarts).toBe(1);
    expect(types(task(runner, 'init'))).not.toContain('Restart Signaled');
    expect(Object.keys(store.load(alloc.ID)).sort()).toEqual(['init', 'web']);
    runners.splice(runners.indexOf(runner), 1);
    await runner.destroy();
    expect(task(runner, 'web').State).toBe('dead');
    expect(store.load(alloc.ID)).toEqual({});
  });
});
