import { describe, expect, test } from 'vitest';
import { ErrorText } from '../errors.js';
import { contract } from './index.js';

const r = contract.nodeAgent;

const node = {
  ID: '5f0b2a4e-1c7d-4b8e-9a6f-3d2c1b0a9e8f',
  SecretID: '0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
  Name: 'laptop',
  Datacenter: 'dc1',
  Attributes: { 'kernel.name': 'linux' },
  HTTPAddr: '127.0.0.1:4647',
};

function issue(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error?.issues[0]?.message;
}

test('routes: Nomad-style node paths, text errors, strict status codes', () => {
  expect(
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, `${v.method} ${v.path}`])),
  ).toEqual({
    register: 'POST /v1/node/register',
    heartbeat: 'PUT /v1/node/:nodeID/heartbeat',
    allocations: 'GET /v1/node/:nodeID/client-allocations',
    updateAllocations: 'PUT /v1/node/:nodeID/client-allocations',
  });
  for (const route of Object.values(r)) {
    expect(route.summary).toBeTruthy();
    expect(Object.keys(route.responses).sort()).toEqual([
      '200',
      '400',
      '403',
      '404',
      '405',
      '409',
      '500',
    ]);
    expect(route.strictStatusCodes).toBe(true);
  }
});

describe('register body', () => {
  test('a bare node and Nomad’s {"Node": ...} parse to the same complete node, secret kept', () => {
    const bare = r.register.body.parse(node);
    expect(r.register.body.parse({ Node: node })).toEqual(bare);
    expect(bare).toMatchObject({ ...node, Status: 'initializing', NodePool: '', Drivers: null });
  });

  test('a node without its secret or ID is a 400 naming the field', () => {
    const noSecret: Partial<typeof node> = { ...node };
    delete noSecret.SecretID;
    expect(issue(r.register.body.safeParse(noSecret))).toBe(
      'Failed to decode body: SecretID: Required',
    );
    expect(issue(r.register.body.safeParse({ Node: { ...node, ID: 7 } }))).toBe(
      'Failed to decode body: ID: Expected string, received number',
    );
    expect(issue(r.register.body.safeParse(undefined))).toBe('Failed to decode body: Required');
  });
});

test('register and heartbeat answers: TTL in nanoseconds and the indexes, zero values by default', () => {
  expect(r.register.responses[200].parse({ HeartbeatTTL: 10e9, Index: 12 })).toEqual({
    HeartbeatTTL: 10e9,
    EvalIDs: null,
    EvalCreateIndex: 0,
    NodeModifyIndex: 0,
    Index: 12,
  });
});

test('heartbeat body: optional status, an empty body allowed, other keys ignored', () => {
  expect(r.heartbeat.body.parse(undefined)).toEqual({ Status: '' });
  expect(r.heartbeat.body.parse({ NodeID: node.ID, Status: 'ready' })).toEqual({ Status: 'ready' });
  expect(issue(r.heartbeat.body.safeParse({ Status: 1 }))).toBe(
    'Failed to decode body: Status: Expected string, received number',
  );
});

describe('allocation updates', () => {
  const update = { ID: 'a1', ClientStatus: 'running', TaskStates: { web: { State: 'running' } } };

  test('`Allocs` and Nomad’s `Alloc` both parse to `Allocs`; absent fields keep the stored values', () => {
    const parsed = r.updateAllocations.body.parse({ Allocs: [update] });
    expect(r.updateAllocations.body.parse({ Alloc: [update] })).toEqual(parsed);
    expect(parsed.Allocs[0]).toMatchObject({ ID: 'a1', NodeID: '', ClientStatus: 'running' });
    expect(parsed.Allocs[0]!.TaskStates?.web).toMatchObject({ State: 'running', Restarts: 0 });
    expect('ClientDescription' in parsed.Allocs[0]!).toBe(false);
  });

  test('an empty list, a bad status or a missing ID is a 400', () => {
    expect(issue(r.updateAllocations.body.safeParse({ Allocs: [] }))).toBe(
      'Failed to decode body: Allocs: must update at least one allocation',
    );
    expect(
      issue(r.updateAllocations.body.safeParse({ Allocs: [{ ...update, ClientStatus: 'fine' }] })),
    ).toMatch(/^Failed to decode body: Allocs\.0\.ClientStatus: Invalid enum value/);
    expect(
      issue(r.updateAllocations.body.safeParse({ Allocs: [{ ClientStatus: 'running' }] })),
    ).toBe('Failed to decode body: Allocs.0.ID: Required');
  });
});

test('the allocations long-poll takes `wait` and `index` with Nomad’s texts', () => {
  expect(r.allocations.query.parse({ index: '7', wait: '30s' })).toEqual({
    index: 7,
    wait: 30_000,
  });
  expect(r.allocations.query.parse({})).toEqual({ index: 0, wait: 0 });
  expect(issue(r.allocations.query.safeParse({ wait: 'soon' }))).toBe(ErrorText.InvalidWaitTime);
  expect(issue(r.allocations.query.safeParse({ index: '-1' }))).toBe(ErrorText.InvalidIndex);
});
