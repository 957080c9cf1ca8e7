import { expect, test } from 'vitest';
import { contract } from './index.js';
import { allocationsContract, clientAllocationsContract } from './allocations.js';

test('routes follow Nomad paths and methods', () => {
  const r = contract.allocations;
  expect(
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, `${v.method} ${v.path}`])),
  ).toEqual({
    list: 'GET /v1/allocations',
    info: 'GET /v1/allocation/:allocID',
    stop: 'POST /v1/allocation/:allocID/stop',
    stopPut: 'PUT /v1/allocation/:allocID/stop',
    signal: 'POST /v1/client/allocation/:allocID/signal',
    signalPut: 'PUT /v1/client/allocation/:allocID/signal',
    restart: 'POST /v1/client/allocation/:allocID/restart',
    restartPut: 'PUT /v1/client/allocation/:allocID/restart',
  });
});

test('the path parameter is not validated', () => {
  expect(contract.allocations.info.pathParams.parse({ allocID: '' })).toEqual({ allocID: '' });
  expect(contract.allocations.info.pathParams.parse({ allocID: 'not-a-uuid' })).toEqual({
    allocID: 'not-a-uuid',
  });
});

test('the routes a node agent serves are a router of their own, the same objects as the servers’', () => {
  expect(Object.keys(clientAllocationsContract)).toEqual([
    'signal',
    'signalPut',
    'restart',
    'restartPut',
  ]);
  for (const [key, route] of Object.entries(clientAllocationsContract)) {
    expect(allocationsContract[key as keyof typeof clientAllocationsContract]).toBe(route);
    expect(contract.allocations[key as keyof typeof clientAllocationsContract]).toEqual(route);
  }
});
