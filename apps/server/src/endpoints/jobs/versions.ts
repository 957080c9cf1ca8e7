// Job.GetJobVersions (nomad/job_endpoint.go): a job's versions, newest first, and with `diffs`
// the contextual diff of each version from the next older one (or from one chosen version), as
// a blocking query.
import type { Job, JobDiff } from '@berth/contract';
import { blockingQuery, type BlockingOptions } from '../../blocking/blocking-query.js';
import type { StateStore, WatchSet } from '../../state/index.js';
import type { EndpointContext } from '../context.js';
import { forbidden, notFound } from '../endpoint-error.js';
import { jobDiff } from './diff/index.js';
import { jobWireView } from './views.js';

/**
 * How many versions a job keeps, as Nomad's `JobTrackedVersions`. berth stores older versions
 * too (allocations may still run them); the read answers the newest ones, which also bounds the
 * work of the diffs (a few diffs of bounded jobs).
 */
export const JOB_TRACKED_VERSIONS = 6;

export interface JobVersionsRequest {
  token: string;
  namespace: string;
  jobID: string;
  /** Compute `Diffs`. */
  diffs: boolean;
  /** With `diffs`: compare every version with the one tagged so ('' when not asked). */
  diffTag: string;
  /** With `diffs`: compare every version with this one. */
  diffVersion: bigint | undefined;
  blocking: BlockingOptions;
}

export interface JobVersionsResponse {
  /** Empty when the job does not exist (the handler answers 404). */
  versions: Job[];
  diffs: JobDiff[] | null;
  index: number;
}

/**
 * The versions of the job's current incarnation, newest first: a job purged and registered
 * again continues its version numbers past versions its allocations still use, which Nomad
 * would have deleted with the purge.
 */
function trackedVersions(store: StateStore, namespace: string, id: string, ws: WatchSet): Job[] {
  const current = store.jobByID(namespace, id, ws);
  if (!current) return [];
  return (
    store
      .jobVersions(namespace, id, ws)
      .filter((version) => version.CreateIndex === current.CreateIndex)
      .slice(0, JOB_TRACKED_VERSIONS)
      // As a job read answers it: every field of Nomad's Job, no tokens.
      .map(jobWireView)
  );
}

/** The version every diff starts from, when one was chosen; undefined to diff neighbours. */
function chosenVersion(request: JobVersionsRequest, versions: readonly Job[]): Job | undefined {
  if (!request.diffs) return undefined;
  if (request.diffTag !== '') {
    const tagged = versions.find((v) => tagName(v) === request.diffTag);
    if (!tagged) throw notFound(`tag "${request.diffTag}" not found`);
    return tagged;
  }
  if (request.diffVersion === undefined) return undefined;
  const wanted = request.diffVersion;
  const found = versions.find((v) => BigInt(v.Version) === wanted);
  if (!found) throw notFound(`version ${wanted} not found`);
  return found;
}

/** A version's tag name (`VersionTag.Name`), '' when it has none. */
function tagName(job: Job): string {
  const tag = job.VersionTag;
  return tag && typeof tag.Name === 'string' ? tag.Name : '';
}

export async function jobVersions(
  ctx: EndpointContext,
  request: JobVersionsRequest,
): Promise<JobVersionsResponse> {
  const { store } = ctx;
  const found = await blockingQuery(store, request.blocking, (ws) => {
    const identity = ctx.acl.resolve(request.token, ws);
    if (!identity.allows(request.namespace, 'read-job')) throw forbidden();

    const versions = trackedVersions(store, request.namespace, request.jobID, ws);
    if (versions.length === 0) {
      return { versions, base: undefined, index: store.tableIndex('job_versions') };
    }
    // The highest ModifyIndex, not the newest version's: an older version can change too.
    const index = Math.max(...versions.map((v) => v.ModifyIndex));
    return { versions, base: chosenVersion(request, versions), index };
  });
  const { versions, base, index } = found;
  if (!request.diffs || versions.length === 0) return { versions, diffs: null, index };

  // Stored versions never change, so the diffs can follow the read. A diff of two large jobs
  // takes a while: other requests are served between them.
  const diffs: JobDiff[] = [];
  for (const [i, version] of versions.entries()) {
    const older = base ?? versions[i + 1];
    // Without a chosen version the oldest one has nothing to be compared with.
    if (!older) continue;
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    diffs.push(jobDiff(older, version, true));
  }
  return { versions, diffs: diffs.length === 0 ? null : diffs, index };
}
