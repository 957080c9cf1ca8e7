import { expect, test } from 'vitest';
import type { AppRoute } from '@ts-rest/core';
import { contract } from './index.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

test('routes follow Nomad paths and methods', () => {
  const routers: Record<string, AppRoute>[] = [contract.jobs, contract.evaluations, contract.nodes];
  const routes = routers.flatMap((r) =>
    Object.entries(r).map(([k, v]) => [k, `${v.method} ${v.path}`]),
  );
  expect(routes).toEqual([
    ['register', 'PUT /v1/jobs'],
    ['registerPost', 'POST /v1/jobs'],
    ['parse', 'POST /v1/jobs/parse'],
    ['parsePut', 'PUT /v1/jobs/parse'],
    ['update', 'POST /v1/job/:jobID'],
    ['updatePut', 'PUT /v1/job/:jobID'],
    ['list', 'GET /v1/jobs'],
    ['info', 'GET /v1/job/:jobID'],
    ['deregister', 'DELETE /v1/job/:jobID'],
    ['allocations', 'GET /v1/job/:jobID/allocations'],
    ['evaluate', 'POST /v1/job/:jobID/evaluate'],
    ['evaluatePut', 'PUT /v1/job/:jobID/evaluate'],
    ['plan', 'POST /v1/job/:jobID/plan'],
    ['planPut', 'PUT /v1/job/:jobID/plan'],
    ['scaleStatus', 'GET /v1/job/:jobID/scale'],
    ['scale', 'POST /v1/job/:jobID/scale'],
    ['scalePut', 'PUT /v1/job/:jobID/scale'],
    ['versions', 'GET /v1/job/:jobID/versions'],
    ['evaluations', 'GET /v1/job/:jobID/evaluations'],
    ['summary', 'GET /v1/job/:jobID/summary'],
    ['latestDeployment', 'GET /v1/job/:jobID/deployment'],
    ['deployments', 'GET /v1/job/:jobID/deployments'],
    ['list', 'GET /v1/evaluations'],
    ['info', 'GET /v1/evaluation/:evalID'],
    ['allocations', 'GET /v1/evaluation/:evalID/allocations'],
    ['list', 'GET /v1/nodes'],
    ['info', 'GET /v1/node/:nodeID'],
    ['allocations', 'GET /v1/node/:nodeID/allocations'],
    ['updateDrain', 'POST /v1/node/:nodeID/drain'],
    ['updateDrainPut', 'PUT /v1/node/:nodeID/drain'],
    ['toggleEligibility', 'POST /v1/node/:nodeID/eligibility'],
    ['toggleEligibilityPut', 'PUT /v1/node/:nodeID/eligibility'],
  ]);
});

test('jobs list: the shared options, then meta', () => {
  const q = contract.jobs.list.query;
  expect(q.parse({ prefix: 'web', namespace: '*', meta: 'true' })).toMatchObject({
    prefix: 'web',
    namespace: '*',
    meta: true,
  });
  expect(q.parse({}).meta).toBeUndefined();
  expect(firstError(q.safeParse({ meta: 'yes' }))).toBe(
    'Failed to parse value of "meta" (yes) as a bool: strconv.ParseBool: parsing "yes": invalid syntax',
  );
  // A bad `wait` is found first, as in Nomad.
  expect(firstError(q.safeParse({ meta: 'yes', wait: 'x' }))).toBe('Invalid wait time');
});

test("deregister: purge, global, eval_priority, no_shutdown_delay, in Nomad's order and words", () => {
  const q = contract.jobs.deregister.query;
  expect(q.parse({ purge: 'true', eval_priority: '70' })).toMatchObject({
    purge: true,
    eval_priority: 70,
    namespace: 'default',
  });
  expect(firstError(q.safeParse({ purge: 'x', global: 'y' }))).toBe(
    'Failed to parse value of "purge" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax',
  );
  expect(firstError(q.safeParse({ eval_priority: 'high' }))).toBe(
    'Failed to parse value of "eval_priority" (high) as a int: strconv.Atoi: parsing "high": invalid syntax',
  );
  expect(firstError(q.safeParse({ eval_priority: '99999999999999999999' }))).toBe(
    'Failed to parse value of "eval_priority" (99999999999999999999) as a int: strconv.Atoi: parsing "99999999999999999999": value out of range',
  );
  // Nomad's format string has a stray `q` here.
  expect(firstError(q.safeParse({ no_shutdown_delay: 'x' }))).toBe(
    'Failed to parse value of "no_shutdown_delay" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax',
  );
  expect(firstError(q.safeParse({ eval_priority: '101' }))).toBe(
    'Eval priority must be between 1 and 100 inclusively',
  );
  // The range is checked after the other parameters parse; 0 and below are ignored.
  expect(firstError(q.safeParse({ eval_priority: '101', no_shutdown_delay: 'x' }))).toMatch(
    /no_shutdown_delay/,
  );
  expect(q.parse({ eval_priority: '-3' }).eval_priority).toBe(-3);
});

test("versions: diffs, diff_tag, diff_version in Nomad's order and words, then the read options", () => {
  const q = contract.jobs.versions.query;
  const none = q.parse({});
  expect([none.diffs, none.diff_tag, none.diff_version]).toEqual([false, '', undefined]);
  expect(q.parse({ diffs: 'T', diff_tag: 'v1', diff_version: '007' })).toMatchObject({
    diffs: true,
    diff_tag: 'v1',
    diff_version: 7n,
  });
  // uint64 to its end, past what a double holds exactly.
  expect(q.parse({ diff_version: '18446744073709551615' }).diff_version).toBe(2n ** 64n - 1n);
  expect(firstError(q.safeParse({ diffs: 'yes' }))).toBe(
    'Failed to parse value of "diffs" (yes) as a bool: strconv.ParseBool: parsing "yes": invalid syntax',
  );
  expect(firstError(q.safeParse({ diff_version: '+1' }))).toBe(
    'Failed to parse value of "diff_version" (+1) as a uint64: strconv.ParseUint: parsing "+1": invalid syntax',
  );
  expect(firstError(q.safeParse({ diff_version: '18446744073709551616' }))).toBe(
    'Failed to parse value of "diff_version" (18446744073709551616) as a uint64: strconv.ParseUint: parsing "18446744073709551616": value out of range',
  );
  // Checked before the read options, as Nomad's handler does.
  expect(firstError(q.safeParse({ diffs: 'x', wait: 'bad' }))).toContain('"diffs" (x)');
});

test('job allocations: a bad `all` is false, never an error', () => {
  const q = contract.jobs.allocations.query;
  expect(q.parse({ all: 'true' }).all).toBe(true);
  expect(q.parse({ all: '1' }).all).toBe(true);
  expect(q.parse({ all: 'maybe' }).all).toBe(false);
  expect(q.parse({}).all).toBe(false);
});

test('register and update share one body and one answer', () => {
  const { register, registerPost, update, updatePut } = contract.jobs;
  for (const route of [registerPost, update, updatePut]) {
    expect(route.body).toBe(register.body);
    expect(route.responses[200]).toBe(register.responses[200]);
  }
  expect(
    register.responses[200].parse({
      EvalID: 'e',
      EvalCreateIndex: 9,
      JobModifyIndex: 9,
      Warnings: '',
      Index: 9,
      KnownLeader: false,
      LastContact: 0,
      NextToken: '',
    }),
  ).toEqual({
    EvalID: 'e',
    EvalCreateIndex: 9,
    JobModifyIndex: 9,
    Warnings: '',
    Index: 9,
  });
  expect(
    contract.jobs.deregister.responses[200].parse({
      EvalID: 'e',
      EvalCreateIndex: 10,
      JobModifyIndex: 10,
      Index: 10,
    }),
  ).toEqual({
    EvalID: 'e',
    EvalCreateIndex: 10,
    JobModifyIndex: 10,
    VolumeEvalID: '',
    VolumeEvalIndex: 0,
    Index: 10,
  });
});

test('path parameters are not validated', () => {
  expect(contract.jobs.info.pathParams.parse({ jobID: 'a/b c' })).toEqual({ jobID: 'a/b c' });
  expect(contract.evaluations.info.pathParams.parse({ evalID: '' })).toEqual({ evalID: '' });
  expect(contract.nodes.info.pathParams.parse({ nodeID: 'x' })).toEqual({ nodeID: 'x' });
});

test('evaluations list: job and status filters verbatim; info: related only for "true"', () => {
  const list = contract.evaluations.list.query;
  expect(list.parse({ job: 'web', status: 'blocked' })).toMatchObject({
    job: 'web',
    status: 'blocked',
  });
  expect(list.parse({})).toMatchObject({ job: '', status: '' });
  const info = contract.evaluations.info.query;
  expect(info.parse({ related: 'true' }).related).toBe(true);
  expect(info.parse({ related: '1' }).related).toBe(false);
});

test("nodes list: resources then os, with Nomad's texts", () => {
  const q = contract.nodes.list.query;
  expect(q.parse({ resources: 'true', os: 'false' })).toMatchObject({ resources: true, os: false });
  expect(firstError(q.safeParse({ os: 'x', resources: 'y' }))).toBe(
    'Failed to parse value of "resources" (y) as a bool: strconv.ParseBool: parsing "y": invalid syntax',
  );
  expect(firstError(q.safeParse({ os: 'x' }))).toBe(
    'Failed to parse value of "os" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax',
  );
});
