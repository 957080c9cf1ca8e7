import { expect, test } from 'vitest';
import { requestToken } from './token.js';

test.each([
  [{ 'x-nomad-token': ' abc ' }, 'abc'],
  [{ 'x-nomad-token': 'abc', authorization: 'Bearer def' }, 'abc'],
  [{ authorization: 'Bearer def' }, 'def'],
  [{ authorization: 'bEaReR   def ghi' }, 'def'],
  [{ authorization: 'foobar' }, ''],
  [{ authorization: 'Basic xyz' }, ''],
  [{}, ''],
])('%j carries %j', (headers, token) => {
  expect(requestToken(headers)).toBe(token);
});
