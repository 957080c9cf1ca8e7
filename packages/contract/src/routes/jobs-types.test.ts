// Compile-time checks of what the server and client see of the jobs routes through ts-rest.
import type { ClientInferRequest, ServerInferRequest, ServerInferResponses } from '@ts-rest/core';
import { expectTypeOf, test } from 'vitest';
import type { Job } from '../schemas/job.js';
import type { JobListStub } from '../schemas/job-list-stub.js';
import type { JobSubmission } from '../schemas/job-register.js';
import type { NodeListStub } from '../schemas/node-list-stub.js';
import type { contract } from './index.js';

type Jobs = typeof contract.jobs;

test('the server gets a partial job and zero-valued options', () => {
  type Body = ServerInferRequest<Jobs['register']>['body'];
  expectTypeOf<Body['Job']>().toEqualTypeOf<JobSubmission | null>();
  expectTypeOf<Body['EnforceIndex']>().toEqualTypeOf<boolean>();
  expectTypeOf<NonNullable<Body['Job']>['ID']>().toEqualTypeOf<string | undefined>();
  type Group = NonNullable<NonNullable<Body['Job']>['TaskGroups']>[number];
  expectTypeOf<Group['Count']>().toEqualTypeOf<number | undefined>();
  type Deregister = ServerInferRequest<Jobs['deregister']>['query'];
  expectTypeOf<Deregister['purge']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<Deregister['eval_priority']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<ServerInferRequest<Jobs['update']>['params']['jobID']>().toEqualTypeOf<string>();
});

test('a client may send a partial job, or a complete one read back', () => {
  type Body = ClientInferRequest<Jobs['register']>['body'];
  expectTypeOf<{ Job: { ID: string } }>().toMatchTypeOf<Body>();
  expectTypeOf<{ Job: Job }>().toMatchTypeOf<Body>();
  expectTypeOf<{
    Job: { TaskGroups: [{ Tasks: [{ Config: { args: string[] } }] }] };
  }>().toMatchTypeOf<Body>();
});

test('list answers are stubs', () => {
  expectTypeOf<{ status: 200; body: JobListStub[] }>().toMatchTypeOf<
    ServerInferResponses<Jobs['list']>
  >();
  expectTypeOf<{ status: 200; body: NodeListStub[] }>().toMatchTypeOf<
    ServerInferResponses<typeof contract.nodes.list>
  >();
  expectTypeOf<{ status: 404; body: string }>().toMatchTypeOf<ServerInferResponses<Jobs['info']>>();
});
