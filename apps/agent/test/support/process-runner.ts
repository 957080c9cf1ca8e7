// A small alloc runner for the agent's own tests, until the real one (src/allocrunner) is wired
// in: raw_exec tasks as detached process groups, signal, restart, kill, and re-attach through a
// pid file. No restart policy, no hooks.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { TaskStateSchema, type Allocation, type TaskState } from '@berth/contract';
import type { RunnerContext } from '../../src/agent.js';
import {
  LifecycleError,
  type AllocClientState,
  type AllocRunner,
} from '../../src/allocrunner/types.js';

interface Proc {
  pid: number;
  exited: Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function exitOf(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!alive(pid)) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
}

function event(Type: string, extra: Record<string, unknown> = {}) {
  return { Type, Time: Date.now() * 1e6, ...extra };
}

export function createProcessRunner(alloc: Allocation, ctx: RunnerContext): AllocRunner {
  const group = alloc.Job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  const tasks = group?.Tasks ?? [];
  const allocDir = join(ctx.dataDir, 'alloc', alloc.ID);
  const pidFile = join(allocDir, 'pids.json');
  const procs = new Map<string, Proc>();
  const states = new Map<string, TaskState>();
  let status: AllocClientState['ClientStatus'] = 'pending';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  const setState = (name: string, patch: Partial<TaskState>, ev?: ReturnType<typeof event>) => {
    const prev = states.get(name) ?? TaskStateSchema.parse({ State: 'pending' });
    states.set(
      name,
      TaskStateSchema.parse({
        ...prev,
        ...patch,
        Events: ev ? [...(prev.Events ?? []), ev].slice(-10) : prev.Events,
      }),
    );
  };
  const savePids = () =>
    writeFileSync(
      pidFile,
      JSON.stringify(Object.fromEntries([...procs].map(([n, p]) => [n, p.pid]))),
    );

  const start = (name: string) => {
    const task = tasks.find((t) => t.Name === name);
    const config = (task?.Config ?? {}) as { command?: string; args?: string[] };
    const taskDir = join(allocDir, name);
    mkdirSync(taskDir, { recursive: true });
    const out = openSync(join(taskDir, 'stdout.log'), 'a');
    const child = spawn(config.command ?? '/bin/true', config.args ?? [], {
      cwd: taskDir,
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        ...(task?.Env ?? {}),
        NOMAD_ALLOC_ID: alloc.ID,
        NOMAD_TASK_NAME: name,
      },
    });
    closeSync(out);
    child.unref();
    const pid = child.pid ?? 0;
    procs.set(name, { pid, exited: new Promise((r) => child.once('exit', () => r())) });
    savePids();
    setState(name, { State: 'running', StartedAt: new Date().toISOString() }, event('Started'));
  };

  const kill = async (name: string, signal: NodeJS.Signals = 'SIGINT') => {
    const proc = procs.get(name);
    if (proc === undefined) return;
    try {
      process.kill(-proc.pid, signal);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 2000);
    await proc.exited;
    clearTimeout(timer);
    procs.delete(name);
  };

  return {
    allocID: alloc.ID,
    run() {
      mkdirSync(allocDir, { recursive: true });
      let saved: Record<string, number> = {};
      try {
        saved = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, number>;
      } catch {
        // first run
      }
      for (const task of tasks) {
        const pid = saved[task.Name];
        if (pid !== undefined && alive(pid)) {
          procs.set(task.Name, { pid, exited: exitOf(pid) });
          setState(task.Name, { State: 'running' });
        } else {
          setState(task.Name, {}, event('Received'));
          start(task.Name);
        }
      }
      status = 'running';
      changed();
    },
    update() {},
    async signal(task, signal) {
      if (!(signal in constants.signals))
        throw new LifecycleError(400, `unknown signal "${signal}"`);
      const names = task === '' ? [...procs.keys()] : [task];
      for (const name of names) {
        const proc = procs.get(name);
        if (proc === undefined) throw new LifecycleError(404, 'Task not found');
        setState(
          name,
          {},
          event('Signaling', { Signal: constants.signals[signal as NodeJS.Signals] }),
        );
        process.kill(-proc.pid, signal);
      }
      changed();
      return Promise.resolve();
    },
    async restart(taskName) {
      const names = taskName === '' ? [...procs.keys()] : [taskName];
      for (const name of names) {
        if (!procs.has(name)) {
          throw new LifecycleError(404, `Could not find task runner for task: ${name}`);
        }
        setState(name, {}, event('Restart Signaled'));
        await kill(name);
        const prev = states.get(name);
        setState(
          name,
          { Restarts: (prev?.Restarts ?? 0) + 1, LastRestart: new Date().toISOString() },
          event('Restarting'),
        );
        start(name);
      }
      changed();
    },
    async destroy() {
      for (const name of [...procs.keys()]) {
        setState(name, {}, event('Killing'));
        await kill(name);
        setState(name, { State: 'dead', FinishedAt: new Date().toISOString() }, event('Killed'));
      }
      status = 'complete';
      rmSync(pidFile, { force: true });
      changed();
    },
    clientState() {
      return {
        ClientStatus: status,
        ClientDescription: '',
        TaskStates: Object.fromEntries(states),
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
