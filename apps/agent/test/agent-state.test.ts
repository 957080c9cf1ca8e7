// What an agent keeps from before a restart: state it cannot read stops it at start, naming the
// file and what to do, instead of forgetting the tasks it was running (and starting them a
// second time); tasks it kept state of are stopped when the servers stopped their allocation,
// even if the servers never heard they ran.
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { httpServerApi } from '../src/daemon/http-server-api.js';
import { spawnAgentProcess } from './support/agent-process.js';
import { lines, recorderJob, startCluster, waitFor, type Cluster } from './support/cluster.js';

let cluster: Cluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const ALLOC = '0b7c1c5e-8d4e-4c1a-9f3b-2a1d5e6f7a8b';
const NOBODY = 65534;

function expectedError(file: string, cause: string): RegExp {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `cannot read the agent's task handles from ${escaped}: ${cause}.*\\. Fix or remove the ` +
      'file; removing it makes the agent forget tasks still running from before, which it may ' +
      'then start again\\.',
  );
}

describe('an agent with an unusable handle store', () => {
  it('stops at start on a corrupt file, naming it, and registers nothing', async () => {
    const c = (cluster = await startCluster({}));
    const handles = join(c.root, 'n1', 'client', 'handles');
    mkdirSync(handles, { recursive: true });
    const file = join(handles, `${ALLOC}.json`);
    writeFileSync(file, '{"recorder": {"handle": {"driver": "raw_ex');

    await expect(c.startAgent('n1')).rejects.toThrow(expectedError(file, 'Unterminated string'));
    expect(await c.api('GET', '/v1/nodes')).toEqual([]);

    // The same through the command a user runs: it exits with the message.
    const agent = spawnAgentProcess({
      server: c.server.address,
      dataDir: join(c.root, 'n1'),
      nodeName: 'n1',
    });
    expect((await agent.exited).code).toBe(1);
    expect(agent.output()).toMatch(expectedError(file, 'Unterminated string'));
    expect(await c.api('GET', '/v1/nodes')).toEqual([]);
  });

  it('stops at start on a file it may not read (EACCES)', async () => {
    const c = (cluster = await startCluster({}));
    const dataDir = join(c.root, 'n1');
    const handles = join(dataDir, 'client', 'handles');
    mkdirSync(handles, { recursive: true });
    const file = join(handles, `${ALLOC}.json`);
    writeFileSync(file, '{}', { mode: 0o000 });
    // Root reads any file: the agent then runs as another user, who owns the data directory.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(c.root, 0o755);
      for (const path of [
        dataDir,
        ...readdirSync(dataDir, { recursive: true, encoding: 'utf8' }),
      ]) {
        chownSync(path.startsWith('/') ? path : join(dataDir, path), NOBODY, NOBODY);
      }
    }
    const agent = spawnAgentProcess({
      server: c.server.address,
      dataDir,
      nodeName: 'n1',
      ...(asRoot && { uid: NOBODY, gid: NOBODY }),
    });
    expect((await agent.exited).code).toBe(1);
    expect(agent.output()).toMatch(expectedError(file, 'EACCES: permission denied'));
    expect(await c.api('GET', '/v1/nodes')).toEqual([]);
  });
});

describe('an allocation stopped while its agent was away', () => {
  it('is stopped by the restarted agent even if the servers never heard that it ran', async () => {
    const c = (cluster = await startCluster({}));
    // An agent that dies before any of its reports reach the servers.
    const api = httpServerApi([c.server.address]);
    const silent = await c.startAgent('n1', {
      api: { ...api, updateAllocations: () => Promise.resolve() },
    });
    await c.api('PUT', '/v1/jobs', { Job: recorderJob('quiet', 1) });
    const [alloc] = await waitFor(
      () => c.allocsOf('quiet'),
      (a) => a.length === 1,
    );
    const pidFile = join(c.root, 'n1', 'alloc', alloc!.ID, 'recorder', 'pids');
    const [pid] = await waitFor(
      () => lines(pidFile),
      (l) => l.length === 1,
    );
    await silent.close();
    expect((await c.allocsOf('quiet'))[0]!.ClientStatus).toBe('pending');

    await c.api('POST', `/v1/allocation/${alloc!.ID}/stop`);
    await c.startAgent('n1');
    await waitFor(
      () => {
        try {
          process.kill(Number(pid), 0);
          return true;
        } catch {
          return false;
        }
      },
      (alive) => !alive,
    );
    const after = await waitFor(
      () => c.allocsOf('quiet'),
      (a) => a.some((x) => x.ID === alloc!.ID && x.ClientStatus === 'complete'),
    );
    expect(after.find((x) => x.ID === alloc!.ID)?.DesiredStatus).toBe('stop');
    expect(lines(pidFile)).toEqual([pid]);
  });
});
