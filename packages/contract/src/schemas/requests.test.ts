import { expect, test } from 'vitest';
import { AllocRestartRequestSchema, AllocSignalRequestSchema } from './requests.js';

const firstError = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? undefined : r.error?.issues[0]?.message;

test('signal body: keys match case-insensitively, extra keys are ignored', () => {
  expect(
    AllocSignalRequestSchema.parse({ signal: 'SIGUSR1', TASK: 'web', AllocID: 'x', Foo: 1 }),
  ).toEqual({
    Signal: 'SIGUSR1',
    Task: 'web',
    Region: '',
    Namespace: '',
    AuthToken: '',
  });
  expect(AllocSignalRequestSchema.parse({ Signal: 'SIGHUP' }).Task).toBe('');
});

test('the last matching key wins, null values are ignored', () => {
  expect(AllocSignalRequestSchema.parse({ Signal: 'A', signal: 'B' }).Signal).toBe('B');
  expect(AllocSignalRequestSchema.parse({ Signal: 'A', signal: null }).Signal).toBe('A');
});

test('type errors carry Go text', () => {
  expect(firstError(AllocSignalRequestSchema.safeParse({ Signal: 5 }))).toBe(
    'Failed to decode body: json: cannot unmarshal number into Go struct field AllocSignalRequest.Signal of type string',
  );
  expect(firstError(AllocSignalRequestSchema.safeParse({ region: true }))).toBe(
    'Failed to decode body: json: cannot unmarshal bool into Go struct field AllocSignalRequest.QueryOptions.Region of type string',
  );
  expect(firstError(AllocRestartRequestSchema.safeParse({ taskname: 1 }))).toBe(
    'Failed to decode body: json: cannot unmarshal number into Go struct field .TaskName of type string',
  );
  expect(firstError(AllocRestartRequestSchema.safeParse({ AllTasks: 'yes' }))).toBe(
    'Failed to decode body: json: cannot unmarshal string into Go struct field .AllTasks of type bool',
  );
  expect(firstError(AllocRestartRequestSchema.safeParse([1]))).toBe(
    'Failed to decode body: json: cannot unmarshal array into Go value of type struct { TaskName string; AllTasks bool }',
  );
});

test('restart body is optional', () => {
  expect(AllocRestartRequestSchema.parse(undefined)).toEqual({ TaskName: '', AllTasks: false });
  expect(AllocRestartRequestSchema.parse(null)).toEqual({ TaskName: '', AllTasks: false });
  expect(AllocRestartRequestSchema.parse({ alltasks: true })).toEqual({
    TaskName: '',
    AllTasks: true,
  });
  // The seed's sample sends "Task", which Go's decoder does not match to TaskName.
  expect(AllocRestartRequestSchema.parse({ Task: 'redis' })).toEqual({
    TaskName: '',
    AllTasks: false,
  });
});
