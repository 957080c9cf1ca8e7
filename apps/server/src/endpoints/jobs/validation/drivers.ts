// The task drivers berth accepts in a job. Nomad does not check driver names on register (a job
// naming an unknown driver simply never places); berth rejects a name no node could ever offer,
// so a typo is a 400 rather than a job stuck pending.
//
// - Nomad's built-in drivers: `docker`, `exec`, `raw_exec`, `java`, `qemu`; and `podman`, the
//   common external plugin. Berth's node agent runs `raw_exec`; the others are accepted so that
//   Nomad job files register unchanged (they place only on nodes that report the driver).
// - Test drivers: `mock` (berth's deterministic driver) and `mock_driver` (Nomad's name for it).

/** Driver names a task may use, in sorted order. */
export const KNOWN_TASK_DRIVERS: readonly string[] = [
  'docker',
  'exec',
  'java',
  'mock',
  'mock_driver',
  'podman',
  'qemu',
  'raw_exec',
];

const known = new Set(KNOWN_TASK_DRIVERS);

/** True if berth accepts `name` as a task driver. */
export function isKnownDriver(name: string): boolean {
  return known.has(name);
}

/** The error for a driver berth does not know. */
export function unknownDriver(name: string): string {
  return `Unknown task driver ${JSON.stringify(name)}: berth knows ${KNOWN_TASK_DRIVERS.join(', ')}`;
}
