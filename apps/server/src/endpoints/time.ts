/** Now as unix nanoseconds, the unit of Nomad's CreateTime and ModifyTime. */
export function nowNanos(): number {
  return Date.now() * 1_000_000;
}
