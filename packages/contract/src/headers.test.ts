import { expect, test } from 'vitest';
import { requestToken } from './headers.js';

test.each([
  [{ 'x-nomad-token': ' abc ' }, 'abc'],
  [{ 'x-nomad-token': 'abc', authorization: 'Bearer def' }, 'abc'],
  [{ 'x-nomad-token': '  ', authorization: 'Bearer def' }, 'def'],
  [{ 'x-nomad-token': ['abc', 'def'] }, 'abc'],
  [{ authorization: 'Bearer def' }, 'def'],
  [{ authorization: 'bEaReR   def ghi' }, 'def'],
  [{ authorization: 'Bearer' }, ''],
  [{ authorization: 'foobar' }, ''],
  [{ authorization: 'Basic xyz' }, ''],
  [{}, ''],
])('%j carries %j', (headers, token) => {
  expect(requestToken(headers)).toBe(token);
});
