// Job.ScaleStatus (nomad/job_endpoint.go): each task group's count, its live allocations and its
// scaling events, as a blocking query.
import type { JobScaleStatus, TaskGroupScaleStatus } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { EndpointContext } from '../context.js';
import { forbidden } from '../endpoint-error.js';
import { allocTerminal } from './status.js';

export interface JobScaleStatusRequest {
  token: string;
  namespace: string;
  jobID: string;
  blocking: BlockingOptions;
}

export interface JobScaleStatusResponse {
  /** `undefined` when the job does not exist. */
  status: JobScaleStatus | undefined;
  index: number;
}

export async function jobScaleStatus(
  ctx: EndpointContext,
  request: JobScaleStatusRequest,
): Promise<JobScaleStatusResponse> {
  const { store } = ctx;
  return blockingQuery(store, request.blocking, (ws) => {
    const identity = ctx.acl.resolve(request.token, ws);
    if (
      !identity.allows(request.namespace, 'read-job') &&
      !identity.allows(request.namespace, 'read-job-scaling')
    ) {
      throw forbidden();
    }
    const job = store.jobByID(request.namespace, request.jobID, ws);
    // As Nomad: the latest index, since the job can only appear after it.
    if (!job) return { status: undefined, index: store.tableIndex('jobs') };
    const events = store.scalingEventsByJob(job.Namespace, job.ID, ws);
    const allocs = store.allocsByJob(job.Namespace, job.ID, ws);

    const groups: Record<string, TaskGroupScaleStatus> = {};
    for (const group of job.TaskGroups ?? []) {
      groups[group.Name] = {
        Desired: group.Count,
        Placed: 0,
        Running: 0,
        Healthy: 0,
        Unhealthy: 0,
        Events: events?.ScalingEvents[group.Name] ?? null,
      };
    }
    let index = Math.max(job.ModifyIndex, events?.ModifyIndex ?? 0);
    for (const alloc of allocs) {
      index = Math.max(index, alloc.ModifyIndex);
      // Nomad leaves canaries out of the counts.
      if (alloc.DeploymentStatus?.Canary === true || allocTerminal(alloc)) continue;
      const counts = groups[alloc.TaskGroup];
      if (!counts) continue;
      counts.Placed += 1;
      if (alloc.ClientStatus === 'running') counts.Running += 1;
      if (alloc.DeploymentStatus?.Healthy === true) counts.Healthy += 1;
      if (alloc.DeploymentStatus?.Healthy === false) counts.Unhealthy += 1;
    }
    return {
      status: {
        JobID: job.ID,
        Namespace: job.Namespace,
        JobCreateIndex: job.CreateIndex,
        JobModifyIndex: job.ModifyIndex,
        JobStopped: job.Stop,
        TaskGroups: groups,
      },
      index,
    };
  });
}
