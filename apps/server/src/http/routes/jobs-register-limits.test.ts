// Bounded numbers on job register: Go's integer ranges from the literal sent, Nomad's
// job_max_count and job_max_priority, and nothing stored from a refused job.
import { multiError } from '@berth/contract';
import { afterEach, describe, expect, test } from 'vitest';
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../test-support/harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: TestServerOptions = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}

/** A register body as text, with each group's count written as the literal given (`1e3`, ...). */
function registerBody(counts: string[], over: Record<string, unknown> = {}): string {
  const job = {
    ID: 'big',
    Datacenters: ['dc1'],
    TaskGroups: counts.map((_, i) => ({
      Name: `g${i}`,
      Count: `@count${i}@`,
      Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/sleep' } }],
    })),
    ...over,
  };
  return counts.reduce(
    (text, count, i) => text.replace(`"@count${i}@"`, count),
    JSON.stringify({ Job: job }),
  );
}

const put = (s: TestServer, payload: string, url = '/v1/jobs') =>
  s.inject({ method: 'PUT', url, payload, headers: { 'content-type': 'application/json' } });

const tooMany = (total: string, max: number) =>
  multiError([`total count was greater than configured job_max_count: ${total} > ${max}`]);

/** Asserts that the request changed nothing: no job, no evaluation, no allocation, same index. */
async function expectRefusedUnchanged(
  s: TestServer,
  payload: string,
  status: number,
  body: string,
) {
  const before = s.store.latestIndex();
  const res = await put(s, payload);
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.body).toBe(body);
  expect(s.store.latestIndex()).toBe(before);
  expect(s.store.jobByID('default', 'big')).toBeUndefined();
  expect(s.store.evalsByJob('default', 'big')).toEqual([]);
  expect(s.store.allocsByJob('default', 'big')).toEqual([]);
}

describe('job_max_count', () => {
  test("a count of a billion is refused with Nomad's text, and nothing is stored or scheduled", async () => {
    const s = await start({ scheduling: true });
    await expectRefusedUnchanged(
      s,
      registerBody(['1000000000']),
      400,
      tooMany('1000000000', 50000),
    );
  });

  test('counts past 2^53 that Go takes are refused by the limit, printed in full', async () => {
    const s = await start({ scheduling: true });
    // 2^53 + 1 reads as the double 2^53; 2^60 and int64's largest stay what they are.
    await expectRefusedUnchanged(
      s,
      registerBody(['9007199254740993']),
      400,
      tooMany('9007199254740992', 50000),
    );
    await expectRefusedUnchanged(
      s,
      registerBody(['1152921504606846976']),
      400,
      tooMany('1152921504606846976', 50000),
    );
    // Two groups at int64's largest: Go's int sum would wrap round negative and pass.
    await expectRefusedUnchanged(
      s,
      registerBody(['9223372036854775807', '9223372036854775807']),
      400,
      tooMany('18446744073709551616', 50000),
    );
  });

  test('the total of every group counts, up to the limit included', async () => {
    const s = await start({ limits: { jobMaxCount: 10 } });
    await expectRefusedUnchanged(s, registerBody(['4', '7']), 400, tooMany('11', 10));
    const ok = await put(s, registerBody(['4', '6']));
    expect(ok.statusCode).toBe(200);
    expect(s.store.jobByID('default', 'big')?.TaskGroups?.map((tg) => tg.Count)).toEqual([4, 6]);
  });

  test('a group without Count counts as its default of 1', async () => {
    const s = await start({ limits: { jobMaxCount: 2 } });
    const body = JSON.parse(registerBody(['2', '1'])) as { Job: { TaskGroups: object[] } };
    delete (body.Job.TaskGroups[1] as { Count?: number }).Count;
    await expectRefusedUnchanged(s, JSON.stringify(body), 400, tooMany('3', 2));
  });

  test("the limit is listed with the job's other problems", async () => {
    const s = await start({ limits: { jobMaxCount: 5 } });
    const res = await put(s, registerBody(['6'], { Priority: 101 }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(
      multiError([
        'job priority must be between [1, 100]',
        'total count was greater than configured job_max_count: 6 > 5',
      ]),
    );
  });

  test('an update that raises the count past the limit is refused and leaves the job as it was', async () => {
    const s = await start({ limits: { jobMaxCount: 10 } });
    expect((await put(s, registerBody(['3']))).statusCode).toBe(200);
    const stored = s.store.jobByID('default', 'big');
    const before = s.store.latestIndex();
    const res = await put(s, registerBody(['11']), '/v1/job/big');
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(tooMany('11', 10));
    expect(s.store.latestIndex()).toBe(before);
    expect(s.store.jobByID('default', 'big')).toBe(stored);
  });
});

describe("counts outside Go's int", () => {
  test.each([
    ['9223372036854775808', 'int'],
    ['-9223372036854775809', 'int'],
    ['1.5', 'int'],
    ['1e3', 'int'],
    ['2.0', 'int'],
  ])("Count %s is refused with Go's decoder text", async (literal) => {
    const s = await start();
    await expectRefusedUnchanged(
      s,
      registerBody([literal]),
      400,
      `json: cannot unmarshal number ${literal} into Go struct field TaskGroup.Job.TaskGroups.Count of type int`,
    );
  });

  test('other Go types are held to their own ranges', async () => {
    const s = await start();
    const withField = (over: Record<string, unknown>, field: string, literal: string) =>
      registerBody(['1'], over).replace(`"@${field}@"`, literal);
    await expectRefusedUnchanged(
      s,
      withField(
        { Affinities: [{ LTarget: '${node.class}', RTarget: 'a', Operand: '=', Weight: '@w@' }] },
        'w',
        '-129',
      ),
      400,
      'json: cannot unmarshal number -129 into Go struct field Affinity.Job.Affinities.Weight of type int8',
    );
    await expectRefusedUnchanged(
      s,
      withField({ Priority: '@p@' }, 'p', '9223372036854775808'),
      400,
      'json: cannot unmarshal number 9223372036854775808 into Go struct field Job.Job.Priority of type int',
    );
  });
});

describe('job_max_priority', () => {
  test("a priority above the default limit of 100 is refused with Nomad's text", async () => {
    const s = await start();
    await expectRefusedUnchanged(
      s,
      registerBody(['1'], { Priority: 101 }),
      400,
      multiError(['job priority must be between [1, 100]']),
    );
  });

  test('a configured limit is honoured both ways', async () => {
    const s = await start({ limits: { jobMaxPriority: 200 } });
    await expectRefusedUnchanged(
      s,
      registerBody(['1'], { Priority: 201 }),
      400,
      multiError(['job priority must be between [1, 200]']),
    );
    const ok = await put(s, registerBody(['1'], { Priority: 200 }));
    expect(ok.statusCode).toBe(200);
    expect(s.store.jobByID('default', 'big')?.Priority).toBe(200);
  });

  test('a lower configured limit refuses what the default would take', async () => {
    const s = await start({ limits: { jobMaxPriority: 60 } });
    await expectRefusedUnchanged(
      s,
      registerBody(['1'], { Priority: 70 }),
      400,
      multiError(['job priority must be between [1, 60]']),
    );
  });
});

describe('numbers that validation walks', () => {
  test('a reschedule policy with 2^62 attempts gets its answer (Nomad walks every attempt)', async () => {
    const s = await start();
    const policy = {
      Attempts: '@a@',
      Interval: 3_600_000_000_000,
      Delay: 5_000_000_000,
      MaxDelay: 60_000_000_000,
      DelayFunction: 'fibonacci',
      Unlimited: false,
    };
    const body = JSON.parse(registerBody(['1'])) as { Job: { TaskGroups: object[] } };
    Object.assign(body.Job.TaskGroups[0]!, { ReschedulePolicy: policy });
    await expectRefusedUnchanged(
      s,
      JSON.stringify(body).replace('"@a@"', '4611686018427387904'),
      400,
      multiError([
        `Task group g0 validation failed: ${multiError([
          'Nomad can only make 66 attempts in 1h0m0s with initial delay 5s, delay function "fibonacci", and delay ceiling 1m0s',
          // Slot 6 reaches the 1m ceiling; the last of 2^62 slots is 1m * (2^62 - 6).
          'Set the interval to at least 76861433640456464h58m0s to accommodate 4611686018427387904 attempts',
        ])}`,
      ]),
    );
  });

  test('an int64 at its extreme is printed in full in the validation texts', async () => {
    const s = await start();
    const body = JSON.parse(registerBody(['1'])) as {
      Job: { TaskGroups: { Tasks: object[] }[] };
    };
    Object.assign(body.Job.TaskGroups[0]!.Tasks[0]!, { Resources: { CPU: 100, MemoryMB: '@m@' } });
    const res = await put(s, JSON.stringify(body).replace('"@m@"', '-9223372036854775808'));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('minimum MemoryMB value is 10; got -9223372036854775808');
  });
});
