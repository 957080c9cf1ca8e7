// The daemon, the node routes and the agent's HTTP API against a real server, with the small
// process runner of test/support instead of the real alloc runner.
import { join } from 'node:path';
import type { Allocation } from '@berth/contract';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fingerprintOnly,
  startCluster,
  lines,
  recorderJob,
  waitFor,
  type Cluster,
} from './support/cluster.js';
import { createProcessRunner } from './support/process-runner.js';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function setup(): Promise<Cluster> {
  cluster = await startCluster({
    createRunner: createProcessRunner,
    drivers: [fingerprintOnly('raw_exec')],
  });
  return cluster;
}

const running = (allocs: Allocation[]) => allocs.filter((a) => a.ClientStatus === 'running');

describe('agent with a real server', () => {
  it('registers its node with the host fingerprint and its HTTP address', async () => {
    const c = await setup();
    const agent = await c.startAgent('n1');
    const node = await c.api<{
      Status: string;
      HTTPAddr: string;
      Attributes: Record<string, string>;
    }>('GET', `/v1/node/${agent.nodeID}`);
    expect(node.Status).toBe('ready');
    expect(node.HTTPAddr).toBe(agent.httpAddr);
    expect(node.Attributes['driver.raw_exec']).toBe('1');
    expect(Number(node.Attributes['cpu.numcores'])).toBeGreaterThan(0);
  });

  it('runs an allocation as a process, signals it through the agent API, and stops it for a replacement', async () => {
    const c = await setup();
    const agent = await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('rec') });
    const [alloc] = running(
      await waitFor(
        () => c.allocsOf('rec'),
        (a) => running(a).length === 1,
      ),
    );
    const taskDir = join(c.root, 'n1', 'alloc', alloc!.ID, 'recorder');
    const [pid] = await waitFor(
      () => lines(join(taskDir, 'pids')),
      (l) => l.length === 1,
    );

    const secret = agent.secretID;
    const signal = await fetch(
      `http://${agent.httpAddr}/v1/client/allocation/${alloc!.ID}/signal`,
      {
        method: 'POST',
        headers: { 'X-Nomad-Token': secret },
        body: JSON.stringify({ Signal: 'SIGUSR1' }),
      },
    );
    expect(signal.status).toBe(200);
    await waitFor(
      () => lines(join(taskDir, 'signals')),
      (l) => l.includes(`${pid} SIGUSR1`),
    );

    // ACLs are off on this server, so a caller without a token may act, as on the server
    // (test/acl.test.ts has the cases with ACLs on).
    const anonymous = await fetch(
      `http://${agent.httpAddr}/v1/client/allocation/${alloc!.ID}/signal`,
      {
        method: 'POST',
        body: JSON.stringify({ Signal: 'SIGUSR2' }),
      },
    );
    expect(anonymous.status).toBe(200);
    await waitFor(
      () => lines(join(taskDir, 'signals')),
      (l) => l.includes(`${pid} SIGUSR2`),
    );
    const unknown = await fetch(`http://${agent.httpAddr}/v1/client/allocation/nope/restart`, {
      method: 'PUT',
      headers: { 'X-Nomad-Token': secret },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('Unknown allocation "nope"');

    await c.api('POST', `/v1/allocation/${alloc!.ID}/stop`);
    const after = await waitFor(
      () => c.allocsOf('rec'),
      (a) =>
        a.some((x) => x.ID === alloc!.ID && x.ClientStatus === 'complete') &&
        running(a).some((x) => x.ID !== alloc!.ID),
    );
    expect(after.find((x) => x.ID === alloc!.ID)?.DesiredStatus).toBe('stop');
    // The stopped process got SIGINT and is gone.
    expect(lines(join(taskDir, 'signals'))).toContain(`${pid} SIGINT`);
    expect(() => process.kill(Number(pid), 0)).toThrow();
  });

  it('a restarted agent is the same node and re-attaches to its tasks without starting them again', async () => {
    const c = await setup();
    const first = await c.startAgent('n1');
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('rec', 2) });
    const allocs = running(
      await waitFor(
        () => c.allocsOf('rec'),
        (a) => running(a).length === 2,
      ),
    );
    // Running is reported at spawn; the recorder writes its pid a moment later.
    const pidsOf = (id: string) => lines(join(c.root, 'n1', 'alloc', id, 'recorder', 'pids'));
    for (const alloc of allocs)
      await waitFor(
        () => pidsOf(alloc.ID),
        (p) => p.length === 1,
      );
    await first.close();

    const second = await c.startAgent('n1');
    expect(second.nodeID).toBe(first.nodeID);
    await waitFor(
      () => second.daemon.allocIDs().length,
      (n) => n === 2,
    );
    for (const alloc of allocs) {
      const pids = pidsOf(alloc.ID);
      expect(pids).toHaveLength(1);
      expect(() => process.kill(Number(pids[0]), 0)).not.toThrow();
    }
    expect(running(await c.allocsOf('rec'))).toHaveLength(2);
  });
});
