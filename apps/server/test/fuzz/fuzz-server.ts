// A real berth server for fuzzing: startServer on a free 127.0.0.1 port over SQLite in a temp
// directory, ACLs and scheduling on, seeded with jobs, nodes, allocations, evaluations, ACL
// tokens and policies (fuzz-acl.ts) so that fuzzed requests reach real objects as real callers.
// Nodes point at a closed loopback port, so forwarded signals fail at once and never leave the
// machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server.js';
import { tableNames } from '../../src/state/tables/index.js';
import { seed } from '../../src/test-support/harness.js';
import { mockAlloc, mockEval, mockJob, mockNode } from '../../src/test-support/mock.js';
import { seedFuzzAcl } from './fuzz-acl.js';
import type { FuzzTargets } from './generators.js';

/** A deterministic UUID, so a seed reproduces the same requests against the same objects. */
const uuid = (kind: number, i: number) =>
  `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;

export interface FuzzServer {
  server: RunningServer;
  host: string;
  port: number;
  targets: FuzzTargets;
  /** The global index and every table's index: equal before and after a request changed nothing. */
  stateIndexes(): string;
  /**
   * Resolves once the seeded ACL state is back (see fuzz-acl.ts), the scheduler has nothing in
   * hand and no write has happened for a moment.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

export async function startFuzzServer(): Promise<FuzzServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-fuzz-'));
  const server = await startServer({
    dataDir,
    httpPort: 0,
    // No node may go down during the run: a heartbeat write would look like a fuzzed request's.
    heartbeat: { ttlMs: 3_600_000, startupGraceMs: 3_600_000 },
    forwarding: { connectTimeoutMs: 200, timeoutMs: 300 },
    acl: true,
  });
  const url = new URL(server.address);
  const acl = await seedFuzzAcl(server);

  // The third ID makes `ID matches "^(a+)+$"` take seconds on a backtracking regexp engine; the
  // last two need encoding in a path, and one is longer than fastify's default parameter limit.
  const jobIDs = [
    'fuzz-seed-0',
    'fuzz-seed-1',
    `${'a'.repeat(30)}!`,
    'fuzz/seed ü?#%',
    `fuzz-${'l'.repeat(150)}`,
  ];
  const jobs = jobIDs.map((id) => mockJob({ ID: id, Name: id }));
  // Stored with their secrets, as a registering agent leaves them.
  const nodes = [0, 1, 2].map((i) => ({
    ...mockNode({ ID: uuid(1, i), HTTPAddr: '127.0.0.1:1' }),
    SecretID: uuid(2, i),
  }));
  const allocs = Array.from({ length: 10 }, (_, i) =>
    mockAlloc({
      ID: uuid(3, i),
      EvalID: uuid(4, i % jobs.length),
      Job: jobs[i % jobs.length]!,
      NodeID: nodes[i % 3]!.ID,
      Name: `${jobIDs[i % jobs.length]!}.web[${i}]`,
      ClientStatus: 'running',
    }),
  );
  const evals = jobs.map((job, i) =>
    mockEval({ ID: uuid(4, i), JobID: job.ID, Status: 'complete' }),
  );
  await seed(server.store, { jobs, nodes, allocs, evals });
  // A second namespace, empty (so that it may be deleted); it also puts the namespaces table's
  // index past 1, so that a fuzzed `index=1` on a namespace read does not block for minutes.
  const namespaces = ['default', 'fuzz-ns'];
  await server.store.write((tx) =>
    tx.upsertNamespace({
      Name: 'fuzz-ns',
      Description: 'seeded by the fuzz',
      Quota: '',
      Meta: null,
      CreateIndex: tx.index,
      ModifyIndex: tx.index,
    }),
  );

  const store = server.store;
  const stateIndexes = () =>
    [store.latestIndex(), ...tableNames.map((name) => `${name}=${store.tableIndex(name)}`)].join(
      ' ',
    );
  const settle = async () => {
    await acl.restored();
    // Bounded: the scheduler's work on one fuzzed job is small (counts are capped by the server).
    for (let round = 0; round < 2500; round++) {
      const before = store.latestIndex();
      const { ready, unacked, pending } = server.scheduling.broker.stats();
      await tick();
      if (ready + unacked + pending === 0 && store.latestIndex() === before) return;
    }
    throw new Error(`the scheduler did not settle within 5 s (${stateIndexes()})`);
  };

  return {
    server,
    host: url.hostname,
    port: Number(url.port),
    targets: {
      jobIDs: jobs.map((j) => j.ID),
      allocIDs: allocs.map((a) => a.ID),
      evalIDs: evals.map((e) => e.ID),
      nodeIDs: nodes.map((n) => n.ID),
      namespaces,
      nodeSecrets: nodes.map((n) => n.SecretID),
      address: server.address,
      acl: acl.targets,
    },
    stateIndexes,
    settle,
    async close() {
      try {
        await acl.stop();
      } finally {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
