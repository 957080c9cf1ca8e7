import { multiError } from '@berth/contract';
import { describe, expect, test } from 'vitest';
import { canonicalizeJob } from '../canonicalize.js';
import { HOUR, MINUTE, SECOND } from '../defaults.js';
import { Given } from '../given.js';
import { jobFromSubmission } from '../submission.js';
import { validateJob } from './job.js';

type Json = Record<string, unknown>;

const task = (over: Json = {}): Json => ({ Name: 'web', Driver: 'raw_exec', ...over });
const group = (over: Json = {}): Json => ({ Name: 'web', Tasks: [task()], ...over });
const job = (over: Json = {}): Json => ({ ID: 'example', TaskGroups: [group()], ...over });

/** The problems register would report for a submitted job. */
function problems(submitted: Json, namespaces = ['default']): string[] {
  const canonical = canonicalizeJob(jobFromSubmission(submitted), Given.of(submitted));
  return validateJob(canonical, { namespaceExists: (ns) => namespaces.includes(ns) });
}

/** The one item a group problem becomes in the job's list. */
const inGroup = (name: string, ...errors: string[]) =>
  `Task group ${name} validation failed: ${multiError(errors)}`;
const inTask = (groupName: string, taskName: string, ...errors: string[]) =>
  inGroup(groupName, `Task ${taskName} validation failed: ${multiError(errors)}`);

describe('validateJob', () => {
  test('a minimal job is valid once canonicalised', () => {
    expect(problems(job())).toEqual([]);
  });

  test('job identity', () => {
    // The name defaults to the ID, so an empty ID leaves both missing, as in Nomad.
    expect(problems(job({ ID: '' }))).toEqual(['Missing job ID', 'Missing job name']);
    expect(problems(job({ ID: 'my job' }))).toEqual(['Job ID contains a space']);
    expect(problems(job({ ID: 'a\0b', Name: 'a' }))).toEqual(['Job ID contains a null character']);
    expect(problems(job({ Name: 'x\0' }))).toEqual(['Job Name contains a null character']);
  });

  test('a job ID longer than 2,048 bytes of UTF-8, listed with the other problems', () => {
    expect(problems(job({ ID: 'j'.repeat(2048) }))).toEqual([]);
    // 683 three-byte characters: 683 characters, 2,049 bytes.
    expect(problems(job({ ID: '€'.repeat(683) }))).toEqual([
      'Job ID must be at most 2048 bytes; got 2049',
    ]);
    expect(problems(job({ ID: `${'j'.repeat(2048)} `, Priority: 101 }))).toEqual([
      'Job ID contains a space',
      'Job ID must be at most 2048 bytes; got 2049',
      'job priority must be between [1, 100]',
    ]);
  });

  test('type, priority, datacenters and task groups', () => {
    expect(problems(job({ Type: 'nightly' }))).toEqual(['Invalid job type: "nightly"']);
    expect(problems(job({ Priority: 101 }))).toEqual(['job priority must be between [1, 100]']);
    expect(problems(job({ Priority: -1 }))).toEqual(['job priority must be between [1, 100]']);
    expect(problems(job({ Datacenters: ['dc1', ''] }))).toEqual([
      'Job datacenter must be non-empty string',
    ]);
    expect(problems(job({ TaskGroups: [] }))).toEqual(['Missing job task groups']);
  });

  test("job_max_count and job_max_priority: Nomad's defaults, or the server's limits", () => {
    const counts = job({
      TaskGroups: [group({ Count: 30_000 }), group({ Name: 'b', Count: 20_001 })],
    });
    expect(problems(counts)).toEqual([
      'total count was greater than configured job_max_count: 50001 > 50000',
    ]);
    const limits = { jobMaxCount: 3, jobMaxPriority: 10 };
    const canonical = (submitted: Json) =>
      canonicalizeJob(jobFromSubmission(submitted), Given.of(submitted));
    expect(
      validateJob(canonical(job({ Priority: 10, TaskGroups: [group({ Count: 3 })] })), { limits }),
    ).toEqual([]);
    expect(
      validateJob(canonical(job({ Priority: 11, TaskGroups: [group({ Count: 4 })] })), { limits }),
    ).toEqual([
      'job priority must be between [1, 10]',
      'total count was greater than configured job_max_count: 4 > 3',
    ]);
  });

  test('duplicate group names', () => {
    expect(problems(job({ TaskGroups: [group(), group({ Name: 'db' }), group()] }))).toEqual([
      "Job task group 3 redefines 'web' from group 1",
    ]);
  });

  test('a nonexistent namespace', () => {
    expect(problems(job({ Namespace: 'prod' }))).toEqual([
      'job "example" is in nonexistent namespace "prod"',
    ]);
    expect(problems(job({ Namespace: 'prod' }), ['default', 'prod'])).toEqual([]);
  });

  test('group count and tasks', () => {
    expect(problems(job({ TaskGroups: [group({ Count: -1 })] }))).toEqual([
      inGroup('web', "Task group count can't be negative"),
    ]);
    expect(problems(job({ TaskGroups: [group({ Tasks: [] })] }))).toEqual([
      inGroup('web', 'Missing tasks for task group'),
    ]);
    expect(problems(job({ TaskGroups: [group({ Tasks: [task(), task()] })] }))).toEqual([
      inGroup('web', "Task 2 redefines 'web' from task 1"),
    ]);
    expect(
      problems(
        job({
          TaskGroups: [
            group({ Tasks: [task({ Leader: true }), task({ Name: 'log', Leader: true })] }),
          ],
        }),
      ),
    ).toEqual([inGroup('web', 'Only one task may be marked as leader')]);
  });

  test('task driver', () => {
    expect(problems(job({ TaskGroups: [group({ Tasks: [task({ Driver: '' })] })] }))).toEqual([
      inTask('web', 'web', 'Missing task driver'),
    ]);
    const [unknown] = problems(
      job({ TaskGroups: [group({ Tasks: [task({ Driver: 'rawexec' })] })] }),
    );
    expect(unknown).toContain('Unknown task driver "rawexec": berth knows');
    expect(unknown).toContain('raw_exec');
  });

  test('task durations and resources', () => {
    const bad = task({
      KillTimeout: -SECOND,
      Resources: { CPU: 0, MemoryMB: 5, DiskMB: 10 },
      LogConfig: { MaxFiles: 0 },
    });
    expect(problems(job({ TaskGroups: [group({ Tasks: [bad] })] }))).toEqual([
      inTask(
        'web',
        'web',
        'KillTimeout must be a positive value',
        multiError([
          multiError(['minimum CPU value is 1; got 0', 'minimum MemoryMB value is 10; got 5']),
          "Task can't ask for disk resources, they have to be specified at the task group level.",
        ]),
        multiError(['minimum number of files is 1; got 0']),
      ),
    ]);
  });

  test('restart policy', () => {
    const restart = (RestartPolicy: Json) =>
      problems(job({ TaskGroups: [group({ RestartPolicy })] }));
    expect(restart({ Mode: 'sometimes' })).toEqual([
      inGroup('web', 'Unsupported restart mode: "sometimes"'),
    ]);
    expect(restart({ Mode: 'delay', Attempts: 0 })).toEqual([
      inGroup('web', 'Restart policy "delay" with 0 attempts is ambiguous'),
    ]);
    expect(restart({ Interval: SECOND })).toEqual([
      inGroup(
        'web',
        'Interval can not be less than 5s (got 1s)',
        "Nomad can't restart the TaskGroup 2 times in an interval of 1s with a delay of 15s",
      ),
    ]);
    expect(restart({ Interval: 10 * SECOND, Delay: 20 * SECOND, Attempts: 1 })).toEqual([
      inGroup(
        'web',
        "Nomad can't restart the TaskGroup 1 times in an interval of 10s with a delay of 20s",
      ),
    ]);
  });

  test('reschedule policy', () => {
    const reschedule = (ReschedulePolicy: Json) =>
      problems(job({ TaskGroups: [group({ ReschedulePolicy })] }));
    expect(reschedule({ DelayFunction: 'linear' })).toEqual([
      inGroup(
        'web',
        'Invalid delay function "linear", must be one of ["constant" "exponential" "fibonacci"]',
      ),
    ]);
    expect(reschedule({ Delay: 10 * MINUTE, MaxDelay: MINUTE })).toEqual([
      inGroup('web', 'Max Delay cannot be less than Delay 10m0s (got 1m0s)'),
    ]);
    expect(reschedule({ Delay: SECOND })).toEqual([
      inGroup('web', 'Delay cannot be less than 5s (got 1s)'),
    ]);
    expect(
      reschedule({
        Attempts: 10,
        Interval: MINUTE,
        Delay: 30 * SECOND,
        DelayFunction: 'constant',
        Unlimited: false,
      }),
    ).toEqual([
      inGroup(
        'web',
        'Nomad can only make 2 attempts in 1m0s with initial delay 30s and delay function "constant"',
        'Set the interval to at least 5m0s to accommodate 10 attempts',
      ),
    ]);
    expect(reschedule({ Attempts: 3, Interval: HOUR, Unlimited: true })).toEqual([
      inGroup(
        'web',
        'Reschedule Policy with Attempts = 3, Interval = 1h0m0s, and Unlimited = true is ambiguous',
        'If Attempts >0, Unlimited cannot also be set to true',
      ),
    ]);
    // Disabled rescheduling is never checked further.
    expect(reschedule({ Attempts: 0, Unlimited: false, Delay: 1 })).toEqual([]);
  });

  test('constraints', () => {
    const constraints = (c: Json) => problems(job({ Constraints: [c] }));
    expect(
      constraints({ LTarget: '${attr.kernel.name}', Operand: 'like', RTarget: 'linux' }),
    ).toEqual([
      `Constraint 1 validation failed: ${multiError(['Unknown constraint type "like"'])}`,
    ]);
    expect(constraints({ LTarget: '${attr.kernel.name}', Operand: '=' })).toEqual([
      `Constraint 1 validation failed: ${multiError(['Operator "=" requires an RTarget'])}`,
    ]);
    expect(constraints({ LTarget: '${attr.x}', Operand: 'is_set', RTarget: 'y' })).toEqual([
      `Constraint 1 validation failed: ${multiError(['Operator "is_set" does not support an RTarget'])}`,
    ]);
    expect(constraints({ LTarget: '${node.color}', Operand: '=', RTarget: 'red' })).toEqual([
      `Constraint 1 validation failed: ${multiError(['unsupported attribute "${node.color}"'])}`,
    ]);
    expect(constraints({ LTarget: '${attr.x}', Operand: 'regexp', RTarget: '(' })[0]).toContain(
      'Regular expression failed to compile: ',
    );
    expect(
      constraints({ LTarget: '${attr.v}', Operand: 'version', RTarget: '>= 1.2, < 2' }),
    ).toEqual([]);
    expect(constraints({ LTarget: '${attr.v}', Operand: 'version', RTarget: 'newest' })).toEqual([
      `Constraint 1 validation failed: ${multiError(['Version constraint is invalid: Malformed constraint: newest'])}`,
    ]);
    expect(constraints({ Operand: 'distinct_hosts', RTarget: 'true' })).toEqual([]);
  });

  test('a job with several problems lists them all, in Nomad’s order and format', () => {
    const submitted = job({
      ID: '',
      Type: 'nightly',
      Priority: 500,
      TaskGroups: [
        group({ Count: -2, Tasks: [task({ Driver: '' }), task()] }),
        group({ Name: 'web', Tasks: [] }),
      ],
    });
    const list = problems(submitted);
    expect(list).toEqual([
      'Missing job ID',
      'Missing job name',
      'Invalid job type: "nightly"',
      "Job task group 2 redefines 'web' from group 1",
      inGroup(
        'web',
        "Task group count can't be negative",
        "Task 2 redefines 'web' from task 1",
        `Task web validation failed: ${multiError(['Missing task driver'])}`,
      ),
      inGroup('web', 'Missing tasks for task group'),
      'job priority must be between [1, 100]',
    ]);
    expect(multiError(list)).toMatch(
      /^7 errors occurred:\n\t\* Missing job ID\n\t\* Missing job name\n/,
    );
  });
});
