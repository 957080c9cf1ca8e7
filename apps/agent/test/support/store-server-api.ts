// A ServerApi straight onto a server's state store, for tests of the daemon while the servers'
// node routes are not there: registration marks the node ready, updates write the client fields.
import type { RunningServer } from '@berth/server';
import type { ServerApi } from '../../src/daemon/server-api.js';

export function storeServerApi(store: RunningServer['store']): ServerApi {
  return {
    async register(node) {
      await store.write((tx) => tx.upsertNode({ ...node, Status: 'ready' }));
      return { heartbeatTTLMs: 10_000 };
    },
    heartbeat: () => Promise.resolve({ heartbeatTTLMs: 10_000 }),
    async allocations(nodeID, _secret, { index, signal }) {
      for (;;) {
        const ws = store.newWatchSet();
        const allocs = store.allocsByNode(nodeID, ws);
        const at = store.tableIndex('allocs');
        if (at > index || index === 0) return { allocs, index: at };
        // Let other work run between answers.
        await new Promise((r) => setImmediate(r));
        if (!(await store.waitForChange(ws, index, signal))) return { allocs, index: at };
      }
    },
    async updateAllocations(nodeID, _secret, updates) {
      await store.write((tx) => {
        for (const u of updates) {
          const existing = tx.alloc(u.ID);
          if (existing === undefined || existing.NodeID !== nodeID) continue;
          tx.upsertAlloc({ ...existing, ...u, ModifyIndex: tx.index });
        }
      });
    },
  };
}
