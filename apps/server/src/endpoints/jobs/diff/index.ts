// Nomad's job diff (`nomad/structs/diff.go`): what changed between two versions of a job, as
// `GET /v1/job/:id/versions?diffs=true` and a job plan answer it.
export { jobDiff } from './job.js';
