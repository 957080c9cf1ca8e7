import { expect, test } from 'vitest';
import {
  allocLookupFailed,
  ErrorText,
  failedToParseBool,
  failedToSignalTask,
  multiError,
  unknownAllocation,
  uuidInvalidByte,
  uuidInvalidLength,
  uuidTooManyHyphens,
} from './errors.js';

test('texts of spec 1.4', () => {
  expect(ErrorText.InvalidMethod).toBe('Invalid method');
  expect(unknownAllocation('abc')).toBe('Unknown allocation "abc"');
  expect(failedToParseBool('resources', 'maybe')).toBe(
    'Failed to parse value of "resources" (maybe) as a bool: strconv.ParseBool: parsing "maybe": invalid syntax',
  );
  expect(failedToParseBool('reschedule', 'a"b')).toBe(
    'Failed to parse value of "reschedule" (a"b) as a bool: strconv.ParseBool: parsing "a\\"b": invalid syntax',
  );
  expect(allocLookupFailed(ErrorText.UuidMustBe36Characters)).toBe(
    'alloc lookup failed: index error: UUID must be 36 characters',
  );
  expect(allocLookupFailed(uuidInvalidByte('z'.charCodeAt(0)))).toBe(
    "alloc lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+007A 'z'",
  );
  expect(uuidInvalidLength(37)).toBe('Invalid UUID length. UUID have 36 characters; got 37');
  expect(uuidTooManyHyphens(5)).toBe('UUID should have maximum of 4 "-"; got 5');
});

test('go-multierror list format', () => {
  expect(multiError([failedToSignalTask('web', 'boom')])).toBe(
    '1 error occurred:\n\t* Failed to signal task: web, err: boom\n\n',
  );
  expect(multiError(['a', 'b'])).toBe('2 errors occurred:\n\t* a\n\t* b\n\n');
});
