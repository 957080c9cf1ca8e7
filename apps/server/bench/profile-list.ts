import { buildApp } from '../src/http/app.js';
import { openStateStore } from '../src/state/index.js';
import { seedAllocations } from './fixtures.js';
import { listAllocations } from '../src/endpoints/allocations/list.js';
import { aclDisabled } from '../src/acl/acl.js';
import { noNodeConnections } from '../src/nodes/client-rpc.js';
import { serializeViews } from '../src/http/json.js';
const store = openStateStore({ inMemory: true });
await seedAllocations(store, 10000);
const ctx = { store, acl: aclDisabled, clientRpc: noNodeConnections };
const req = { token: '', namespace: 'default', prefix: '', filter: '', perPage: 0, nextToken: '', reverse: false, fields: { resources: false, taskStates: false }, blocking: { minIndex: 0 } };
for (let i = 0; i < 5; i++) {
  let t = performance.now(); const r = await listAllocations(ctx, req); const a = performance.now() - t;
  t = performance.now(); const s = serializeViews(r.stubs); const b = performance.now() - t;
  t = performance.now(); store.allocsByNamespace('default'); const c = performance.now() - t;
  console.log('endpoint', a.toFixed(1), 'serialize', b.toFixed(1), 'scan', c.toFixed(1), 'bytes', s.length);
}
const app = await buildApp({ store });
for (let i = 0; i < 5; i++) {
  const t = performance.now(); const res = await app.inject({ method: 'GET', url: '/v1/allocations?task_states=false' }); console.log('inject', (performance.now() - t).toFixed(1), res.statusCode);
}
