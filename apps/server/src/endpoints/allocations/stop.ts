// Alloc.Stop (nomad/alloc_endpoint.go): asks the scheduler to migrate an allocation away. One
// write sets the allocation's DesiredTransition and creates the `alloc-stop` evaluation; the
// scheduler then stops it and places a replacement.
import {
  EvalStatus,
  ErrorText,
  EvalTriggeredBy,
  EvaluationSchema,
  type Allocation,
  type Evaluation,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { findAlloc } from './lookup.js';

export interface StopAllocationRequest {
  token: string;
  allocID: string;
  noShutdownDelay: boolean;
  reschedule: boolean;
}

export interface StopAllocationResponse {
  evalID: string;
  /** The index of the write, also the evaluation's and the allocation's ModifyIndex. */
  index: number;
}

export async function stopAllocation(
  ctx: EndpointContext,
  request: StopAllocationRequest,
): Promise<StopAllocationResponse> {
  const identity = ctx.acl.resolve(request.token);
  const alloc = findAlloc(ctx, request.allocID);
  if (!alloc) throw notFound(ErrorText.AllocationNotFound);
  if (!identity.allows(alloc.Namespace, 'alloc-lifecycle')) throw forbidden();

  const evalID = randomUUID();
  const now = nowNanos();
  const index = await ctx.store.write((tx) => {
    tx.upsertEval(stopEvaluation(alloc, evalID, now, tx.index));
    tx.upsertAlloc({
      ...alloc,
      // All three are set, so unrequested options are explicitly false; the others are kept.
      DesiredTransition: {
        ...alloc.DesiredTransition,
        Migrate: true,
        NoShutdownDelay: request.noShutdownDelay,
        Reschedule: request.reschedule,
      },
      ModifyIndex: tx.index,
      AllocModifyIndex: tx.index,
    });
  });
  return { evalID, index };
}

function stopEvaluation(alloc: Allocation, id: string, now: number, index: number): Evaluation {
  const job = alloc.Job;
  // Parsing fills every field the write does not set with its empty value.
  return EvaluationSchema.parse({
    ID: id,
    Namespace: alloc.Namespace,
    Priority: job?.Priority ?? 0,
    Type: job?.Type ?? '',
    TriggeredBy: EvalTriggeredBy.AllocStop,
    JobID: alloc.JobID,
    JobModifyIndex: job?.JobModifyIndex ?? 0,
    Status: EvalStatus.Pending,
    CreateTime: now,
    ModifyTime: now,
    CreateIndex: index,
    ModifyIndex: index,
  });
}
