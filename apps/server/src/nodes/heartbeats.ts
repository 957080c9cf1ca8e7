// Nomad's heartbeat timers (nomad/heartbeat.go): every live node has a TTL; a node that misses it
// is marked `down` (the scheduler then replaces its allocations as lost). Timers are in memory
// only, so a starting server gives every stored live node a grace period to heartbeat again.
// A server whose event loop stalled cannot tell a silent node from a heartbeat still queued in
// its sockets (expired timers run before pending I/O), so after a stall every node gets a fresh
// TTL before any is expired, as Nomad resets every timer when a leader is elected.
import { performance } from 'node:perf_hooks';
import { aclDisabled } from '../acl/acl.js';
import type { EndpointContext } from '../endpoints/context.js';
import { updateNodeStatus } from '../endpoints/nodes/update-status.js';
import type { StateStore } from '../state/index.js';
import { noNodeConnections } from './client-rpc.js';

/** Nomad's node event when a node misses its TTL. */
export const NODE_HEARTBEAT_MISSED = 'Node heartbeat missed';
/** Nomad's node event when a down node heartbeats again. */
export const NODE_HEARTBEAT_REREGISTERED = 'Node reregistered by heartbeat';

/** Nomad's MinHeartbeatTTL. */
export const DEFAULT_HEARTBEAT_TTL_MS = 10_000;
/** Nomad's MaxHeartbeatsPerSecond: with many nodes the TTL grows so beats stay below this rate. */
const MAX_HEARTBEATS_PER_SECOND = 50;
/** How long a starting server waits for nodes it knows (Nomad's failover TTL is 5 min). */
const DEFAULT_STARTUP_GRACE_MS = 60_000;
/** The longest default stall that is not one (a quarter of the TTL, at most this). */
const MAX_DEFAULT_STALL_MS = 1_000;

/** How heartbeats are timed. */
export interface HeartbeatOptions {
  /** The TTL handed to agents (default 10 s, Nomad's minimum). */
  ttlMs?: number;
  /**
   * Extra time past the TTL before a node counts as down (Nomad's HeartbeatGrace; default: the
   * TTL). Agents beat at half the TTL, so a node is down after missing several beats.
   */
  graceMs?: number;
  /** The TTL of the timers restored at start (default 60 s). */
  startupGraceMs?: number;
  /**
   * An event-loop stall at least this long (default: a quarter of the TTL, at most 1 s) gives every
   * node a fresh TTL instead of marking any down.
   */
  stallMs?: number;
  /** Told when marking a node down fails (for logs). */
  onError?(nodeID: string, error: unknown): void;
  /** Told of each stall of the event loop that refreshed every TTL (for logs). */
  onStall?(stalledMs: number): void;
}

/** A node's timer and when it is due (performance.now() milliseconds). */
interface Armed {
  timer: NodeJS.Timeout;
  due: number;
}

/** The heartbeat timers of the nodes the server knows to be alive. */
export class NodeHeartbeats {
  private readonly timers = new Map<string, Armed>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ctx: EndpointContext;
  private stopped = false;
  /** Ticks while timers run; a tick that comes late reveals a stall of the event loop. */
  private watchdog: NodeJS.Timeout | undefined;
  private lastTick = 0;
  readonly ttlMs: number;
  readonly graceMs: number;
  readonly startupGraceMs: number;
  readonly stallMs: number;

  constructor(
    private readonly store: StateStore,
    private readonly options: HeartbeatOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_HEARTBEAT_TTL_MS;
    this.graceMs = options.graceMs ?? this.ttlMs;
    this.startupGraceMs = options.startupGraceMs ?? DEFAULT_STARTUP_GRACE_MS;
    this.stallMs = Math.max(1, options.stallMs ?? Math.min(MAX_DEFAULT_STALL_MS, this.ttlMs / 4));
    // Marking a node down is the servers' own act: no token, no node connections needed.
    this.ctx = { store, acl: aclDisabled, clientRpc: noNodeConnections };
  }

  /**
   * Gives every stored node that is not down a timer of `startupGraceMs` (Nomad's
   * initializeHeartbeatTimers), so a node whose agent went away while no server ran is found.
   */
  restore(): void {
    for (const node of this.store.nodes()) {
      if (node.Status !== 'down') this.arm(node.ID, this.startupGraceMs);
    }
  }

  /**
   * Restarts the node's timer (Nomad's resetHeartbeatTimer) and returns the TTL, in
   * milliseconds, the agent must heartbeat within.
   */
  reset(nodeID: string): number {
    const ttl = this.currentTtl();
    this.arm(nodeID, ttl + this.graceMs);
    return ttl;
  }

  /** Forgets the node's timer (it went down some other way, or is gone). */
  clear(nodeID: string): void {
    clearTimeout(this.timers.get(nodeID)?.timer);
    this.timers.delete(nodeID);
  }

  /** Whether the node has a running timer. */
  has(nodeID: string): boolean {
    return this.timers.has(nodeID);
  }

  /** Stops every timer and waits for the nodes being marked down. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** The TTL handed to agents: longer with many nodes, so beats stay below the rate limit. */
  private currentTtl(): number {
    return Math.max(this.ttlMs, (this.timers.size / MAX_HEARTBEATS_PER_SECOND) * 1000);
  }

  private arm(nodeID: string, ms: number): void {
    if (this.stopped) return;
    this.startWatchdog();
    clearTimeout(this.timers.get(nodeID)?.timer);
    const armed: Armed = {
      timer: setTimeout(() => this.expire(nodeID, armed), ms),
      due: performance.now() + ms,
    };
    // A timer must not keep the process alive on its own.
    armed.timer.unref();
    this.timers.set(nodeID, armed);
  }

  private startWatchdog(): void {
    if (this.watchdog !== undefined) return;
    this.lastTick = performance.now();
    this.watchdog = setInterval(() => this.checkStall(), this.tickMs());
    this.watchdog.unref();
  }

  private tickMs(): number {
    return this.stallMs / 2;
  }

  /**
   * True if the event loop was held for at least `stallMs` past when the tick was due: then every
   * node gets a fresh TTL (never a shorter one than it has).
   */
  private checkStall(): boolean {
    const now = performance.now();
    const late = now - this.lastTick - this.tickMs();
    this.lastTick = now;
    if (late < this.stallMs) return false;
    this.options.onStall?.(late);
    const fresh = this.currentTtl() + this.graceMs;
    for (const [nodeID, armed] of this.timers) {
      if (armed.due < now + fresh) this.arm(nodeID, fresh);
    }
    return true;
  }

  /** Nomad's invalidateHeartbeat: the node missed its TTL. */
  private expire(nodeID: string, armed: Armed): void {
    if (this.timers.get(nodeID) !== armed) return;
    // Timers run in batches after a stall, possibly before the watchdog's tick: ask it first.
    if (this.checkStall()) return;
    this.timers.delete(nodeID);
    const done = this.markDown(nodeID).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async markDown(nodeID: string): Promise<void> {
    try {
      const node = this.store.nodeByID(nodeID);
      if (node === undefined || node.Status === 'down') return;
      await updateNodeStatus(this.ctx, nodeID, 'down', NODE_HEARTBEAT_MISSED);
    } catch (error) {
      this.options.onError?.(nodeID, error);
    }
  }
}
