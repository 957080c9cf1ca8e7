// A node's event history, as Nomad keeps it (appendNodeEvents): the latest 10.
import type { NodeEvent } from '@berth/contract';

/** Nomad's maxRetainedNodeEvents. */
export const MAX_NODE_EVENTS = 10;

/** Nomad's node event subsystems. */
export type NodeEventSubsystem = 'Cluster' | 'Drain';

/** The node's events with one more, the latest {@link MAX_NODE_EVENTS} kept. */
export function withNodeEvent(
  events: NodeEvent[] | null,
  message: string,
  subsystem: NodeEventSubsystem,
  index: number,
  nowNs: number,
): NodeEvent[] {
  const event: NodeEvent = {
    Message: message,
    Subsystem: subsystem,
    Details: null,
    Timestamp: new Date(nowNs / 1e6).toISOString(),
    CreateIndex: index,
  };
  return [...(events ?? []), event].slice(-MAX_NODE_EVENTS);
}
