// `PUT|POST /v1/jobs/parse` (Nomad's JobsParseRequest, `nomad job run` of an HCL file through
// the API): the parsed job, canonicalized on request, registrable as it is, and Nomad's 400s.
import { JobSchema } from '@berth/contract';
import { closeJobspecParserThread } from '@berth/jobspec';
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/harness.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());
afterAll(() => closeJobspecParserThread());

const SECOND = 1_000_000_000;

const JOBSPEC = `
variable "cmd" {
  type    = string
  default = "/bin/sleep"
}
job "sleeper" {
  datacenters = ["dc1"]
  type        = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = var.cmd
        args    = ["600", "\${NOMAD_ALLOC_ID}"]
      }
      kill_timeout = "30s"
    }
  }
}
`;

async function send(method: 'PUT' | 'POST', payload: unknown) {
  return server.inject({
    method,
    url: '/v1/jobs/parse',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

test('parses a jobspec with variables into the job as written, over PUT and POST', async () => {
  const { data } = await server.client.jobs.parse(JOBSPEC, { variables: 'cmd = "/bin/true"' });
  expect(data).toEqual({
    ID: 'sleeper',
    Name: 'sleeper',
    Type: 'batch',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'g',
        Tasks: [
          {
            Name: 't',
            Driver: 'raw_exec',
            Config: { command: '/bin/true', args: ['600', '${NOMAD_ALLOC_ID}'] },
            KillTimeout: 30 * SECOND,
          },
        ],
      },
    ],
  });
  const post = await send('POST', { JobHCL: JOBSPEC });
  expect(post.statusCode).toBe(200);
  expect(post.json()).toMatchObject({
    TaskGroups: [{ Tasks: [{ Config: { command: '/bin/sleep' } }] }],
  });
});

test('Canonicalize fills the defaults register would, and the parsed job registers', async () => {
  const { data } = await server.client.jobs.parse(JOBSPEC, { canonicalize: true });
  expect(JobSchema.safeParse(data).success).toBe(true);
  expect(data).toMatchObject({
    Region: 'global',
    Namespace: 'default',
    Priority: 50,
    TaskGroups: [{ Count: 1, Tasks: [{ KillTimeout: 30 * SECOND, LogConfig: { MaxFiles: 10 } }] }],
  });
  const plain = (await server.client.jobs.parse(JOBSPEC)).data;
  const registered = await server.client.jobs.register(plain);
  expect(registered.data.EvalID).not.toBe('');
  expect(server.store.jobByID('default', 'sleeper')?.TaskGroups?.[0]?.Tasks?.[0]?.Config).toEqual({
    command: '/bin/sleep',
    args: ['600', '${NOMAD_ALLOC_ID}'],
  });
});

test("bad jobspecs answer 400 with hcl's or Nomad's text", async () => {
  const cases: [unknown, string][] = [
    [
      { JobHCL: 'job "x" {' },
      'Failed to parse job: input.hcl:1,9-10: Unclosed configuration block;',
    ],
    [{ JobHCL: '' }, 'Job spec is empty'],
    [{}, 'Job spec is empty'],
    [{ JobHCL: 'job "x" {}', HCLv1: true }, 'HCL1 jobspecs are not supported'],
    [
      { JobHCL: 'variable "v" {}\njob "x" {}' },
      'Failed to parse job: Unset variable "v"; A used variable must be set or have a default value',
    ],
    [
      { JobHCL: 'job "x" {\n  bogus = 1\n}' },
      'Failed to parse job: Unsupported argument; An argument named "bogus" is not expected here.',
    ],
    [{ JobHCL: 'x = 1' }, 'Failed to parse job: Unsupported argument'],
    [{ JobHCL: 'variable "a" {}' }, 'Failed to parse job: Unset variable "a"'],
    [
      { JobHCL: 'job "x" {\n  priority = upper()\n}' },
      'Failed to parse job: Not enough function arguments',
    ],
    [
      { JobHCL: 7 },
      'json: cannot unmarshal number into Go struct field JobsParseRequest.JobHCL of type string',
    ],
  ];
  for (const [payload, text] of cases) {
    const res = await send('PUT', payload);
    expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    expect(res.body, JSON.stringify(payload)).toContain(text);
  }
  const empty = await server.inject({ method: 'PUT', url: '/v1/jobs/parse' });
  expect(empty.statusCode).toBe(400);
  expect(empty.body).toBe('Request body is empty');
});

test('a body over the HTTP limit (1 MiB, as the parser thread bounds jobspecs) is refused', async () => {
  const res = await send('PUT', {
    JobHCL: `job "x" {\n meta {\n a = "${'x'.repeat(1024 * 1024)}"\n}\n}`,
  });
  expect(res.statusCode).toBe(413);
});
