// End to end: a real server and real node agents (raw_exec, the agent's alloc runner) on loopback
// ports, driving a task written for the test that records its pid and every signal it receives.
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import { exited, spawnBerth } from '@berth/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { lines, recorderJob, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster | undefined;
const agentProcesses: ChildProcess[] = [];

afterEach(async () => {
  for (const child of agentProcesses.splice(0)) child.kill('SIGKILL');
  await cluster?.close();
  cluster = undefined;
});

async function setup(serverConfig: Parameters<typeof startCluster>[1] = {}): Promise<Cluster> {
  // The real drivers and alloc runner: no overrides.
  cluster = await startCluster({}, serverConfig);
  return cluster;
}

const running = (allocs: Allocation[]) =>
  allocs.filter((a) => a.ClientStatus === 'running' && a.DesiredStatus === 'run');

/** Where the recorder of an allocation writes (its task directory, the process's cwd). */
function recordDir(c: Cluster, node: string, allocID: string): string {
  const base = join(c.root, node, 'alloc', allocID, 'recorder');
  const found = readdirSync(join(c.root, node, 'alloc', allocID), {
    recursive: true,
    encoding: 'utf8',
  })
    .filter((f) => f.endsWith('pids'))
    .map((f) => join(c.root, node, 'alloc', allocID, f, '..'));
  return found[0] ?? base;
}

async function runningRecorder(c: Cluster, node: string, jobID: string, count = 1) {
  await c.api('PUT', '/v1/jobs', { Job: recorderJob(jobID, count) });
  const allocs = running(
    await waitFor(
      () => c.allocsOf(jobID),
      (a) => running(a).length === count,
    ),
  );
  const dirs = await Promise.all(
    allocs.map((a) =>
      waitFor(
        () => recordDir(c, node, a.ID),
        (d) => lines(join(d, 'pids')).length === 1,
      ),
    ),
  );
  return { allocs, dirs };
}

describe('berth end to end: server, agent, raw_exec', () => {
  it('delivers a signal sent through the server to the process', async () => {
    const c = await setup();
    await c.startAgent('n1');
    const { allocs, dirs } = await runningRecorder(c, 'n1', 'sig');
    const [pid] = lines(join(dirs[0]!, 'pids'));
    await c.api('POST', `/v1/client/allocation/${allocs[0]!.ID}/signal`, { Signal: 'SIGUSR1' });
    await waitFor(
      () => lines(join(dirs[0]!, 'signals')),
      (l) => l.includes(`${pid} SIGUSR1`),
    );
    // The agent reports the event with its next batch of updates.
    await waitFor(
      async () => (await c.api<Allocation>('GET', `/v1/allocation/${allocs[0]!.ID}`)).TaskStates,
      (s) => s?.recorder?.Events?.some((e) => e.Type === 'Signaling') === true,
    );
  });

  it('restarts in place: a new pid, Restarts 1 and the restart events', async () => {
    const c = await setup();
    await c.startAgent('n1');
    const { allocs, dirs } = await runningRecorder(c, 'n1', 'restart');
    const [oldPid] = lines(join(dirs[0]!, 'pids'));
    await c.api('POST', `/v1/client/allocation/${allocs[0]!.ID}/restart`, {});
    // The call answers once the old process has exited and the new one started.
    expect(() => process.kill(Number(oldPid), 0)).toThrow();
    const pids = await waitFor(
      () => lines(join(dirs[0]!, 'pids')),
      (l) => l.length === 2,
    );
    expect(pids[1]).not.toBe(oldPid);
    expect(lines(join(dirs[0]!, 'signals'))).toContain(`${oldPid} SIGINT`);
    const state = await waitFor(
      async () =>
        (await c.api<Allocation>('GET', `/v1/allocation/${allocs[0]!.ID}`)).TaskStates?.recorder,
      (s) => s?.Restarts === 1 && s.State === 'running',
    );
    const types = state?.Events?.map((e) => e.Type) ?? [];
    expect(types).toEqual(
      expect.arrayContaining(['Restart Signaled', 'Terminated', 'Restarting', 'Started']),
    );
  });

  it('stop kills the process group and the replacement runs', async () => {
    const c = await setup();
    await c.startAgent('n1');
    const { allocs, dirs } = await runningRecorder(c, 'n1', 'stop');
    const [pid] = lines(join(dirs[0]!, 'pids'));
    await c.api('POST', `/v1/allocation/${allocs[0]!.ID}/stop`);
    const after = await waitFor(
      () => c.allocsOf('stop'),
      (a) =>
        a.some((x) => x.ID === allocs[0]!.ID && x.ClientStatus === 'complete') &&
        running(a).length === 1,
    );
    expect(after.find((x) => x.ID === allocs[0]!.ID)?.DesiredStatus).toBe('stop');
    expect(() => process.kill(-Number(pid), 0)).toThrow();
    expect(lines(join(dirs[0]!, 'signals'))).toContain(`${pid} SIGINT`);
    // The stopped allocation's tasks are dead: a signal is refused as the spec says.
    const res = await fetch(`${c.server.address}/v1/client/allocation/${allocs[0]!.ID}/signal`, {
      method: 'POST',
      body: JSON.stringify({ Signal: 'SIGUSR1', Task: 'recorder' }),
    });
    expect([res.status, await res.text()]).toEqual([409, 'Task not running']);
  });

  it('an agent killed and restarted re-attaches without starting anything twice', async () => {
    const c = await setup();
    const first = await c.startAgent('n1');
    const { allocs, dirs } = await runningRecorder(c, 'n1', 'reattach', 2);
    await first.close();
    const second = await c.startAgent('n1');
    expect(second.nodeID).toBe(first.nodeID);
    await second.daemon.nextSync();
    await second.daemon.updatesFlushed();
    for (const dir of dirs) {
      const pids = lines(join(dir, 'pids'));
      expect(pids).toHaveLength(1);
      expect(() => process.kill(Number(pids[0]), 0)).not.toThrow();
    }
    // Still signalable through the re-attached runner.
    const [pid] = lines(join(dirs[0]!, 'pids'));
    await c.api('POST', `/v1/client/allocation/${allocs[0]!.ID}/signal`, { Signal: 'SIGUSR2' });
    await waitFor(
      () => lines(join(dirs[0]!, 'signals')),
      (l) => l.includes(`${pid} SIGUSR2`),
    );
    expect(running(await c.allocsOf('reattach'))).toHaveLength(2);
  });

  it('marks a node whose agent is gone down and replaces its allocations on another node', async () => {
    const c = await setup({ heartbeat: { ttlMs: 400, graceMs: 200 } });
    const a1 = await c.startAgent('n1');
    const a2 = await c.startAgent('n2');
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('lost', 1) });
    const [first] = running(
      await waitFor(
        () => c.allocsOf('lost'),
        (a) => running(a).length === 1,
      ),
    );
    const [gone, other] = first!.NodeID === a1.nodeID ? [a1, a2] : [a2, a1];
    await gone.close();

    const node = await waitFor(
      () => c.api<{ Status: string }>('GET', `/v1/node/${gone.nodeID}`),
      (n) => n.Status === 'down',
    );
    expect(node.Status).toBe('down');
    const after = await waitFor(
      () => c.allocsOf('lost'),
      (a) => running(a).some((x) => x.NodeID === other.nodeID),
    );
    expect(after.find((x) => x.ID === first!.ID)?.ClientStatus).toBe('lost');
  });

  it('an agent process killed with SIGKILL and started again re-attaches to its tasks', async () => {
    const c = await setup();
    const dataDir = join(c.root, 'n1');
    /** `berth agent --client` in its own process; resolves with it once its node is ready. */
    const agentProcess = async () => {
      const { child, line } = spawnBerth(
        [
          'agent',
          '--client',
          '--servers',
          c.server.address,
          '--http-port',
          '0',
          '--data-dir',
          dataDir,
          '--node-name',
          'n1',
        ],
        /berth node \S+ ready/,
        { stderr: 'inherit' },
      );
      agentProcesses.push(child);
      await line;
      return child;
    };

    const first = await agentProcess();
    const { allocs, dirs } = await runningRecorder(c, 'n1', 'sigkill');
    const [pid] = lines(join(dirs[0]!, 'pids'));
    first.kill('SIGKILL');
    await exited(first);
    // The task does not die with its agent.
    expect(() => process.kill(Number(pid), 0)).not.toThrow();

    await agentProcess();
    // The re-attached runner carries out a signal on the same process.
    await waitFor(
      () =>
        fetch(`${c.server.address}/v1/client/allocation/${allocs[0]!.ID}/signal`, {
          method: 'POST',
          body: JSON.stringify({ Signal: 'SIGUSR1' }),
        }).then((r) => r.status),
      (status) => status === 200,
    );
    await waitFor(
      () => lines(join(dirs[0]!, 'signals')),
      (l) => l.includes(`${pid} SIGUSR1`),
    );
    expect(lines(join(dirs[0]!, 'pids'))).toEqual([pid]);
    expect(running(await c.allocsOf('sigkill'))).toHaveLength(1);
  });
});
