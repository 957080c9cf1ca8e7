// A third-party Nomad client from npm (nomad-client 0.0.2, axios underneath) against a real
// `berth agent --dev` process on a loopback port: what the client returns, value by value.
// Where the client reads Nomad's answers wrongly (berth answering as Nomad does), the test
// pins the client's result and says so.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contract } from '@berth/contract';
import { exited, spawnBerth } from '@berth/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// nomad-client ships CommonJS-style TypeScript sources that do not compile under this
// repository's compiler settings (verbatimModuleSyntax, noUncheckedIndexedAccess), and tsc checks
// any .ts file a test imports, types included. So the module is loaded by a specifier tsc does
// not follow, and typed here by the part of its API this test calls (nomad-client/src/modules).
const NOMAD_CLIENT = 'nomad-client';

interface GroupSummary {
  Queued: number;
  Complete: number;
  Failed: number;
  Running: number;
  Starting: number;
  Lost: number;
}
interface JobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, GroupSummary>;
}
interface JobSpec {
  ID: string;
  Name?: string;
  Type?: string;
  Status?: string;
  Stop?: boolean;
  Datacenters?: string[];
  TaskGroups: { Name: string; Count: number; Tasks: unknown[] }[];
}
interface WriteResponse {
  EvalID?: string;
  JobModifyIndex?: number;
}
interface NomadClientApi {
  ping(): Promise<boolean>;
  getVersion(): Promise<string>;
  getClusterInfo(): Promise<Record<string, string>>;
  healthCheck(): Promise<{
    healthy: boolean;
    leader: boolean;
    peers: number;
    servers: number;
    clients: number;
    issues: string[];
  }>;
  stopAndCleanup(jobId: string, purge?: boolean): Promise<boolean>;
  jobs: {
    create(job: JobSpec): Promise<WriteResponse>;
    get(jobId: string): Promise<JobSpec>;
    list(): Promise<{ data: JobSpec[]; nextToken?: string; totalCount?: number }>;
    summary(jobId: string): Promise<JobSummary>;
    scale(jobId: string, group: string, count: number): Promise<WriteResponse>;
    versions(jobId: string): Promise<{ Version: number }[]>;
    evaluations(jobId: string): Promise<{ ID: string; TriggeredBy: string }[]>;
    isHealthy(jobId: string): Promise<{
      isHealthy: boolean;
      status: string;
      runningAllocations: number;
      totalAllocations: number;
    }>;
  };
  namespaces: { list(): Promise<{ data: { Name: string; Description: string }[] }> };
}
type NomadClientCtor = new (config: { baseUrl: string; token?: string }) => NomadClientApi;

async function nomadClient(config: { baseUrl: string; token?: string }): Promise<NomadClientApi> {
  const mod = (await import(NOMAD_CLIENT)) as { NomadClient: NomadClientCtor };
  return new mod.NomadClient(config);
}

interface DevAgent {
  child: ChildProcess;
  address: string;
  /** The management token `--dev --acl` bootstrapped and printed. */
  token: string | undefined;
  dataDir: string;
}

/**
 * `berth agent --dev` (a server and a node agent with the mock driver) as a process on a free
 * port; resolves once it has printed its dev hint, which comes after the node is ready.
 */
async function startDev(acl: boolean): Promise<DevAgent> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-nomad-client-'));
  const args = ['agent', '--dev', '--http-port', '0', '--data-dir', dataDir];
  const proc = spawnBerth(acl ? [...args, '--acl'] : args, /export NOMAD_ADDR=(\S+)/);
  const [, address] = await proc.line;
  const token = acl
    ? await until(() => /export NOMAD_TOKEN=([0-9a-f-]{36})/.exec(proc.output())?.[1])
    : undefined;
  return { child: proc.child, address: address!, token, dataDir };
}

/** Polls `read` until it gives a value, for up to 30 s. */
async function until<T>(read: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stopDev(dev: DevAgent | undefined): Promise<void> {
  if (!dev) return;
  dev.child.kill('SIGTERM');
  await exited(dev.child);
  rmSync(dev.dataDir, { recursive: true, force: true });
}

/** A service job with two groups of mock tasks that keep running. */
function twoGroupJob(id: string): JobSpec {
  const group = (name: string, count: number) => ({
    Name: name,
    Count: count,
    Tasks: [
      {
        Name: 'main',
        Driver: 'mock_driver',
        Config: { run_for: '1h' },
        Resources: { CPU: 10, MemoryMB: 10 },
      },
    ],
  });
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [group('web', 2), group('worker', 1)],
  };
}

/** Polls `read` until `done` holds (the client has no blocking-query support of its own). */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The client falls back to NOMAD_ADDR, NOMAD_TOKEN, NOMAD_NAMESPACE and NOMAD_REGION: blank
// them, so a developer's shell cannot point the test elsewhere or add a token.
beforeAll(() => {
  for (const name of ['NOMAD_ADDR', 'NOMAD_TOKEN', 'NOMAD_NAMESPACE', 'NOMAD_REGION']) {
    vi.stubEnv(name, '');
  }
});
afterAll(() => vi.unstubAllEnvs());

describe('nomad-client (npm) against berth, ACLs off', { timeout: 120_000 }, () => {
  let dev: DevAgent | undefined;
  let nomad: NomadClientApi;
  beforeAll(async () => {
    dev = await startDev(false);
    nomad = await nomadClient({ baseUrl: dev.address });
  }, 120_000);
  afterAll(() => stopDev(dev), 60_000);

  it('ping and healthCheck read the leader, the peers and the nodes', async () => {
    expect(await nomad.ping()).toBe(true);
    expect(await nomad.healthCheck()).toEqual({
      healthy: true,
      leader: true,
      peers: 1,
      servers: 1,
      clients: 1,
      issues: [],
    });
  });

  it('reads the version and cluster facts from keys Nomad does not send (a client bug)', async () => {
    // nomad-client reads /v1/agent/self's `stats.nomad.version` and lower-case `config.name`,
    // `config.region`; Nomad (and berth) send `config.Version.Version`, `config.Region`,
    // `config.NodeName`, and no version under stats. So the client falls back to its defaults.
    const self = (await (await fetch(`${dev!.address}/v1/agent/self`)).json()) as {
      config: { Region: string; Datacenter: string; Version: { Version: string } };
    };
    expect(self.config.Region).toBe('global');
    expect(self.config.Datacenter).toBe('dc1');
    expect(self.config.Version.Version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await nomad.getVersion()).toBe('unknown');
    expect(await nomad.getClusterInfo()).toEqual({
      name: 'nomad',
      region: 'global',
      datacenter: 'dc1',
      version: 'unknown',
      build: 'unknown',
      revision: 'unknown',
    });
  });

  it('registers a job, reads it, lists it, and follows its summary through a scale', async () => {
    const registered = await nomad.jobs.create(twoGroupJob('web'));
    expect(registered.EvalID).toMatch(/^[0-9a-f-]{36}$/);

    const summary = await eventually(
      () => nomad.jobs.summary('web'),
      (s) => s.Summary['web']?.Running === 2 && s.Summary['worker']?.Running === 1,
    );
    expect(summary).toMatchObject({
      JobID: 'web',
      Namespace: 'default',
      Summary: {
        web: { Queued: 0, Complete: 0, Failed: 0, Running: 2, Starting: 0, Lost: 0 },
        worker: { Queued: 0, Complete: 0, Failed: 0, Running: 1, Starting: 0, Lost: 0 },
      },
    });

    const job = await nomad.jobs.get('web');
    expect(job.ID).toBe('web');
    expect(job.Status).toBe('running');
    expect(job.TaskGroups.map((g) => [g.Name, g.Count])).toEqual([
      ['web', 2],
      ['worker', 1],
    ]);

    const list = await nomad.jobs.list();
    expect(list.data.map((j) => [j.ID, j.Type, j.Status])).toEqual([['web', 'service', 'running']]);
    // The client reads headers by their canonical names, but axios lower-cases them: its
    // `nextToken` is always undefined, and `totalCount` parses X-Nomad-KnownLeader (a boolean).
    expect(list.nextToken).toBeUndefined();
    expect(list.totalCount).toBe(0);

    // The client's scale sends Nomad's ScalingRequest (Count, Message, Target Job/Group).
    const scaled = await nomad.jobs.scale('web', 'web', 3);
    expect(scaled.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    const after = await eventually(
      () => nomad.jobs.summary('web'),
      (s) => s.Summary['web']?.Running === 3,
    );
    expect(after.Summary['worker']?.Running).toBe(1);

    expect(await nomad.jobs.isHealthy('web')).toMatchObject({
      isHealthy: true,
      status: 'running',
      runningAllocations: 4,
      totalAllocations: 4,
    });
    const evals = await nomad.jobs.evaluations('web');
    expect(evals.map((e) => e.TriggeredBy).sort()).toEqual(['job-register', 'job-scaling']);
  });

  // GET /v1/job/:id/versions is being added to berth at the time of writing: the call runs once
  // the route is in the contract.
  it.skipIf(!('versions' in contract.jobs))('lists the versions of a job', async () => {
    // Registered and scaled above: versions 1 and 0, newest first.
    const versions = await nomad.jobs.versions('web');
    expect(versions.map((v) => v.Version)).toEqual([1, 0]);
  });

  it('lists the namespaces', async () => {
    const { data } = await nomad.namespaces.list();
    expect(data.map((n) => [n.Name, n.Description])).toEqual([
      ['default', 'Default shared namespace'],
    ]);
  });

  it('stops a job and waits until its allocations are no longer running', async () => {
    expect(await nomad.stopAndCleanup('web')).toBe(true);
    expect((await nomad.jobs.get('web')).Stop).toBe(true);
    const summary = await eventually(
      () => nomad.jobs.summary('web'),
      (s) => s.Summary['web']?.Running === 0 && s.Summary['worker']?.Running === 0,
    );
    expect([summary.Summary['web']?.Complete, summary.Summary['worker']?.Complete]).toEqual([3, 1]);
  });
});

describe('nomad-client (npm) against berth, ACLs on', { timeout: 120_000 }, () => {
  let dev: DevAgent | undefined;
  let admin: NomadClientApi;
  let anonymous: NomadClientApi;
  beforeAll(async () => {
    dev = await startDev(true);
    // Each client keeps the headers it was made with (its config singleton is only read then).
    admin = await nomadClient({ baseUrl: dev.address, token: dev.token! });
    anonymous = await nomadClient({ baseUrl: dev.address });
  }, 120_000);
  afterAll(() => stopDev(dev), 60_000);

  it('with the management token: health, a job and its summary, the namespaces', async () => {
    expect(await admin.healthCheck()).toMatchObject({ healthy: true, clients: 1, issues: [] });
    await admin.jobs.create(twoGroupJob('guarded'));
    const summary = await eventually(
      () => admin.jobs.summary('guarded'),
      (s) => s.Summary['web']?.Running === 2 && s.Summary['worker']?.Running === 1,
    );
    expect(summary.JobID).toBe('guarded');
    expect((await admin.jobs.list()).data.map((j) => j.ID)).toEqual(['guarded']);
    expect((await admin.namespaces.list()).data.map((n) => n.Name)).toEqual(['default']);
  });

  it('with no token: the status calls answer, the rest is refused', async () => {
    // Nomad's status endpoints take no ACL; /v1/nodes needs node:read, and the client's
    // healthCheck reports any failure as a failed connection.
    expect(await anonymous.ping()).toBe(true);
    expect(await anonymous.healthCheck()).toEqual({
      healthy: false,
      leader: false,
      peers: 0,
      servers: 0,
      clients: 0,
      issues: ['Failed to connect to Nomad cluster'],
    });
    // The client reads an error's `message` from a JSON body; Nomad's (and berth's) error
    // bodies are text/plain ("Permission denied"), so only axios's own text is left.
    await expect(anonymous.jobs.summary('guarded')).rejects.toThrow(
      'HTTP Error 403: Request failed with status code 403',
    );
    await expect(anonymous.jobs.create(twoGroupJob('intruder'))).rejects.toThrow('HTTP Error 403');
    expect((await admin.jobs.list()).data.map((j) => j.ID)).toEqual(['guarded']);
  });
});
