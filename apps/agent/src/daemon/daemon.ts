// Nomad's client (client/client.go): registers and heartbeats the node, long-polls its
// allocations, keeps one alloc runner per allocation and reports their state back in batches.
//
//   register ─► heartbeat every TTL/2 ─(403/404: register again)──────┐
//   GET client-allocations?index=N ─► diff ─► added:   createRunner().run()
//        ▲                               ├─► updated: runner.update() (stop ─► destroy)
//        └──────── index = answer's ◄────┴─► removed: destroy, forget
//   runner.onChange ─► UpdateBatcher (latest per alloc, every 200 ms, retried) ─► servers
import type { Allocation, NodeRegistration } from '@berth/contract';
import type { AllocRunner } from '../allocrunner/types.js';
import { Heartbeater, nodeUnknown } from './heartbeater.js';
import { clientTerminal, diffAllocs, serverTerminal } from './reconcile.js';
import type { ServerApi } from './server-api.js';
import { delayUnlessStopped } from './stop-delay.js';
import { UpdateBatcher } from './update-batcher.js';

/** How long a shutdown waits for the last allocation updates to reach a server. */
const SHUTDOWN_FLUSH_MS = 1000;

export interface DaemonOptions {
  api: ServerApi;
  /** The node to register (its Attributes, resources, HTTPAddr...). */
  node: NodeRegistration;
  /** An operator's token to register the node with (see `HeartbeaterOptions.registerToken`). */
  registerToken?: string;
  createRunner: (alloc: Allocation) => AllocRunner;
  /**
   * True when the agent kept state of the allocation's tasks from before a restart (so it may
   * have processes to stop, whatever the servers last heard from it).
   */
  hasLocalState?: (allocID: string) => boolean;
  /** How long each allocations long-poll waits on the server. */
  pollWaitMs?: number;
  /** How often runner changes are sent. */
  updateIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** An allocation this agent runs, as its HTTP API needs it. */
export interface LocalAlloc {
  runner: AllocRunner;
  /** The allocation's namespace, where callers need `alloc-lifecycle`. */
  namespace: string;
}

interface RunnerEntry {
  runner: AllocRunner;
  namespace: string;
  allocModifyIndex: number;
  destroying: Promise<void> | undefined;
  unsubscribe: () => void;
}

export class Daemon {
  private readonly runners = new Map<string, RunnerEntry>();
  private readonly heartbeater: Heartbeater;
  private readonly batcher: UpdateBatcher;
  private readonly abort = new AbortController();
  private watching: Promise<void> | undefined;
  private allocIndex = 0;
  private readonly synced: (() => void)[] = [];

  constructor(private readonly options: DaemonOptions) {
    const log = options.log ?? (() => {});
    this.heartbeater = new Heartbeater({
      api: options.api,
      node: () => options.node,
      registerToken: options.registerToken,
      onError: (e) => log('heartbeat failed', e),
    });
    this.batcher = new UpdateBatcher({
      send: (updates, signal) =>
        options.api.updateAllocations(options.node.ID, options.node.SecretID, updates, { signal }),
      intervalMs: options.updateIntervalMs,
      onError: (e) => log('allocation update failed; retrying', e),
    });
  }

  get nodeID(): string {
    return this.options.node.ID;
  }

  /** Registers the node, then watches its allocations. Resolves once registered. */
  async start(): Promise<void> {
    await this.heartbeater.start();
    this.watching = this.watch();
  }

  /**
   * The runner of an allocation this agent has, stopped ones included until the servers forget
   * them (so a signal to a stopped allocation gets the runner's own answer, not a 404).
   */
  runner(allocID: string): AllocRunner | undefined {
    return this.runners.get(allocID)?.runner;
  }

  /** The runner of an allocation (as {@link runner}) with the namespace it was placed in. */
  localAlloc(allocID: string): LocalAlloc | undefined {
    const entry = this.runners.get(allocID);
    return entry && { runner: entry.runner, namespace: entry.namespace };
  }

  /** The IDs of the allocations with a runner. */
  allocIDs(): string[] {
    return [...this.runners.keys()];
  }

  /** Resolves after the next allocations answer has been reconciled (for tests and benchmarks). */
  nextSync(): Promise<void> {
    return new Promise((resolve) => this.synced.push(resolve));
  }

  /** Resolves once every queued allocation update has reached the servers. */
  updatesFlushed(): Promise<void> {
    return this.batcher.flushed();
  }

  /**
   * Stops the agent and leaves the tasks running: a restarted agent re-attaches to them, as
   * Nomad's client does. Waits for pending updates a moment so the servers see the last state,
   * and never longer, whether the servers answer or not.
   */
  async shutdown(): Promise<void> {
    // Ends the long-poll and its backoff wait, and the heartbeat under way, at once: none of
    // them waits on a server that may be gone.
    this.abort.abort();
    const beating = this.heartbeater.stop();
    // watch() logs its own failures and returns once aborted.
    await Promise.all([this.watching, beating]);
    // The last updates get a short while to reach a server; one that does not answer within it
    // is not waited for (the send is aborted; the next agent reads the state again).
    let timer: NodeJS.Timeout | undefined;
    const flushWait = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
    });
    await Promise.race([this.batcher.flushed(), flushWait]);
    clearTimeout(timer);
    await this.batcher.close();
    for (const entry of this.runners.values()) entry.unsubscribe();
    // No call is under way any more: nothing is left open towards the servers.
    this.options.api.close?.();
  }

  private async watch(): Promise<void> {
    const { api, node } = this.options;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const answer = await api.allocations(node.ID, node.SecretID, {
          index: this.allocIndex,
          waitMs: this.options.pollWaitMs ?? 30_000,
          signal: this.abort.signal,
        });
        failures = 0;
        // An index that went backwards means a new server state: start over. Never block on 0,
        // which answers at once (a busy loop against an empty state).
        this.allocIndex = answer.index < this.allocIndex ? 1 : Math.max(answer.index, 1);
        this.reconcile(answer.allocs);
        for (const resolve of this.synced.splice(0)) resolve();
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.log?.('allocations query failed; retrying', error);
        // The servers do not know the node by its secret (404, or 403 with ACLs on): register
        // again now rather than at the next heartbeat. Both loops back off, so this cannot spin.
        if (nodeUnknown(error)) this.heartbeater.registerAgain(error);
        failures += 1;
        const backoffMs = Math.min(5000, 250 * 2 ** Math.min(failures, 5));
        await delayUnlessStopped(backoffMs, this.abort.signal);
      }
    }
  }

  private reconcile(allocs: Allocation[]): void {
    const known = new Map<string, number>();
    for (const [id, entry] of this.runners) known.set(id, entry.allocModifyIndex);
    const diff = diffAllocs(allocs, known);
    for (const id of diff.removed) {
      const entry = this.runners.get(id);
      if (entry === undefined) continue;
      this.runners.delete(id);
      entry.unsubscribe();
      if (entry.destroying === undefined) void this.destroy(entry, false);
    }
    for (const alloc of diff.updated) {
      const entry = this.runners.get(alloc.ID);
      if (entry === undefined) continue;
      entry.allocModifyIndex = alloc.AllocModifyIndex;
      if (entry.destroying !== undefined) continue;
      entry.runner.update(alloc);
      if (serverTerminal(alloc)) entry.destroying = this.destroy(entry, true);
    }
    for (const alloc of diff.added) this.add(alloc);
    // Stopped while this agent was away, with tasks that may still run: re-attach, then stop.
    // The servers may not know they run (the agent died before reporting them): ask the store.
    for (const alloc of allocs) {
      if (this.runners.has(alloc.ID) || !serverTerminal(alloc)) continue;
      const local = this.options.hasLocalState?.(alloc.ID) ?? false;
      const reported = !clientTerminal(alloc) && alloc.ClientStatus !== 'pending';
      if (!local && !reported) continue;
      const entry = this.add(alloc);
      // An allocation the servers already count as finished keeps the status they gave it.
      entry.destroying = this.destroy(entry, !clientTerminal(alloc));
    }
  }

  private add(alloc: Allocation): RunnerEntry {
    const runner = this.options.createRunner(alloc);
    const entry: RunnerEntry = {
      runner,
      // An allocation never changes namespace: the one it was placed in is the one checked.
      namespace: alloc.Namespace || 'default',
      allocModifyIndex: alloc.AllocModifyIndex,
      destroying: undefined,
      unsubscribe: () => {},
    };
    entry.unsubscribe = runner.onChange(() => this.report(runner));
    this.runners.set(alloc.ID, entry);
    runner.run();
    this.report(runner);
    return entry;
  }

  /** Kills the tasks; when the servers asked for it, reports the allocation finished. */
  private async destroy(entry: RunnerEntry, report: boolean): Promise<void> {
    try {
      await entry.runner.destroy();
    } catch (error) {
      this.options.log?.(`destroying allocation ${entry.runner.allocID} failed`, error);
    }
    if (!report) return;
    const state = entry.runner.clientState();
    // Killed because the servers said stop: the allocation completed (Nomad's alloc runner too).
    const ClientStatus = clientTerminalStatus(state.ClientStatus) ? state.ClientStatus : 'complete';
    this.batcher.push({
      ID: entry.runner.allocID,
      NodeID: this.options.node.ID,
      ...state,
      ClientStatus,
    });
  }

  private report(runner: AllocRunner): void {
    this.batcher.push({
      ID: runner.allocID,
      NodeID: this.options.node.ID,
      ...runner.clientState(),
    });
  }
}

function clientTerminalStatus(status: string): boolean {
  return status === 'complete' || status === 'failed' || status === 'lost';
}
