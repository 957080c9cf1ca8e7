// Free-form values in a job (a task's Config, unknown keys kept on the job) nest at most 64
// levels: deeper ones are refused with a 400 before anything recursive sees them.
import { afterEach, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';

/** berth's limit on free-form nesting, as the jobs README documents it. */
const LIMIT = 64;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `levels` nested containers (arrays and objects in turn) around a string. */
function nested(levels: number): string {
  let text = '"leaf"';
  for (let i = 0; i < levels; i++) text = i % 2 === 0 ? `[${text}]` : `{"k":${text}}`;
  return text;
}

/** A register body whose task Config holds `value` (text) under the key `deep`. */
const withConfig = (value: string) =>
  `{"Job":{"ID":"deep","Datacenters":["dc1"],"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t","Driver":"raw_exec","Config":{"command":"/bin/sleep","deep":${value}}}]}]}}`;

const put = (s: TestServer, payload: string) =>
  s.inject({
    method: 'PUT',
    url: '/v1/jobs',
    payload,
    headers: { 'content-type': 'application/json' },
  });

const tooDeep = (field: string) =>
  `json: Go struct field ${field} nests objects and arrays deeper than ${LIMIT} levels (berth's limit for free-form values)`;

async function expectRefused(s: TestServer, payload: string, text: string) {
  const before = s.store.latestIndex();
  const evals = s.store.evalsByJob('default', 'deep');
  const res = await put(s, payload);
  expect(res.statusCode).toBe(400);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.body).toBe(text);
  expect(s.store.latestIndex()).toBe(before);
  expect(s.store.evalsByJob('default', 'deep')).toEqual(evals);
}

test('a Config nested exactly to the limit registers and reads back whole', async () => {
  const s = (server = await startTestServer());
  // Config itself is the first level.
  const value = nested(LIMIT - 1);
  const res = await put(s, withConfig(value));
  expect(res.statusCode).toBe(200);
  const read = await s.inject({ method: 'GET', url: '/v1/job/deep' });
  expect(read.statusCode).toBe(200);
  const job = read.json<{ TaskGroups: { Tasks: { Config: Record<string, unknown> }[] }[] }>();
  expect(job.TaskGroups[0]?.Tasks[0]?.Config.deep).toEqual(JSON.parse(value));
});

test('one level more is refused with the field named, and nothing is stored', async () => {
  const s = (server = await startTestServer());
  await expectRefused(s, withConfig(nested(LIMIT)), tooDeep('Task.Job.TaskGroups.Tasks.Config'));
  expect(s.store.jobByID('default', 'deep')).toBeUndefined();
});

test('a refused update leaves the registered version as it was', async () => {
  const s = (server = await startTestServer());
  expect((await put(s, withConfig('1'))).statusCode).toBe(200);
  const stored = s.store.jobByID('default', 'deep');
  await expectRefused(s, withConfig(nested(LIMIT)), tooDeep('Task.Job.TaskGroups.Tasks.Config'));
  expect(s.store.jobByID('default', 'deep')).toEqual(stored);
});

test('a Config nested 5,000 levels deep is a 400, not a 500 from a stack overflow', async () => {
  const s = (server = await startTestServer());
  await expectRefused(s, withConfig(nested(5000)), tooDeep('Task.Job.TaskGroups.Tasks.Config'));
  // The server still registers and answers.
  expect((await put(s, withConfig('1'))).statusCode).toBe(200);
});

test("an unknown job key nested nearly to Go's 10,000 limit is refused the same way", async () => {
  const s = (server = await startTestServer());
  const body = `{"Job":{"ID":"deep","Datacenters":["dc1"],"X":${'['.repeat(9990)}${']'.repeat(9990)},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t","Driver":"raw_exec"}]}]}}`;
  await expectRefused(s, body, tooDeep('Job.Job.X'));
  expect(s.store.jobByID('default', 'deep')).toBeUndefined();
});
