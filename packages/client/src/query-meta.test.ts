import { expect, test } from 'vitest';
import { parseQueryMeta } from './query-meta.js';

test('reads every X-Nomad-* header', () => {
  const headers = new Headers({
    'X-Nomad-Index': '57',
    'X-Nomad-KnownLeader': 'true',
    'X-Nomad-LastContact': '12',
    'X-Nomad-NextToken': '1003.aaaaaaaa-3350-4b4b-d185-0e1992ed43e9',
  });
  expect(parseQueryMeta(headers)).toEqual({
    lastIndex: 57,
    knownLeader: true,
    lastContact: 12,
    nextToken: '1003.aaaaaaaa-3350-4b4b-d185-0e1992ed43e9',
  });
});

test('absent or malformed headers give zero values', () => {
  expect(parseQueryMeta(new Headers())).toEqual({
    lastIndex: 0,
    knownLeader: false,
    lastContact: 0,
    nextToken: '',
  });
  expect(
    parseQueryMeta(
      new Headers({
        'X-Nomad-Index': 'abc',
        'X-Nomad-KnownLeader': 'false',
        'X-Nomad-LastContact': '-1',
      }),
    ),
  ).toEqual({ lastIndex: 0, knownLeader: false, lastContact: 0, nextToken: '' });
});
