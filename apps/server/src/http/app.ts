// The fastify app factory. It never listens (main.ts and the agent command do), so tests drive it
// with app.inject() and benchmarks with a real port.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { aclDisabled, type AclResolver } from '../acl/acl.js';
import { storeAclResolver } from '../acl/store-resolver.js';
import {
  defaultServerSelf,
  type EndpointContext,
  type JobLimits,
  type ServerSelf,
} from '../endpoints/context.js';
import { noNodeConnections, type ClientRpc } from '../nodes/client-rpc.js';
import type { NodeHeartbeats } from '../nodes/heartbeats.js';
import type { StateStore } from '../state/index.js';
import { registerBodyChecks, registerBodyParser } from './body.js';
import { registerCompression } from './compression.js';
import { registerClientCors } from './cors.js';
import { registerCrossOriginWriteCheck } from './cross-origin-writes.js';
import { registerErrorHandling } from './errors.js';
import {
  answerClientError,
  answerFrameworkError,
  MAX_PARAM_LENGTH,
  registerServerAnswers,
} from './framework-errors.js';
import { registerInvalidMethods } from './invalid-methods.js';
import { registerOneTimeTokenPaths } from './one-time-tokens.js';
import { registerOpenApiRoute } from './openapi.js';
import { registerPretty } from './pretty.js';
import { parseQueryString } from './query-string.js';
import { registerApiRoutes } from './routes/index.js';

export interface AppOptions {
  store: StateStore;
  /**
   * Who callers are and what they may do; by default the store's tokens and policies when ACLs
   * are on, else everything allowed to everyone. Tests may give their own.
   */
  acl?: AclResolver;
  /** True when ACLs are on (`--acl`): the ACL API answers and every request is authorised. */
  aclEnabled?: boolean;
  /** The server's data directory, where an operator may leave `acl-bootstrap-reset`. */
  dataDir?: string;
  clientRpc?: ClientRpc;
  /** The nodes' heartbeat timers (the caller starts and stops them). */
  heartbeats?: NodeHeartbeats;
  logger?: FastifyServerOptions['logger'];
  /** Limits on jobs (Nomad's defaults where not given). */
  limits?: Partial<JobLimits>;
  /**
   * Origins (scheme://host[:port]) besides the server's own address from which a browser may send
   * writes; any other `Origin` on a write is refused.
   */
  allowedOrigins?: readonly string[];
  /**
   * What the server knows about itself (region, datacenter, name, addresses, a node agent in the
   * process); Nomad's defaults, the host name and loopback where not given.
   */
  self?: Partial<ServerSelf>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    routerOptions: { querystringParser: parseQueryString, maxParamLength: MAX_PARAM_LENGTH },
    // The router's and Node's own refusals answer text/plain as every other error does.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // HEAD is not GET here: Nomad answers it 405 like any other method a path does not take.
    exposeHeadRoutes: false,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });
  const self: ServerSelf = { ...defaultServerSelf(), ...options.self };
  const ctx: EndpointContext = {
    store: options.store,
    // Never the ACL API on with enforcement off: one switch turns both on.
    acl: options.acl ?? (options.aclEnabled ? storeAclResolver(options.store) : aclDisabled),
    clientRpc: options.clientRpc ?? noNodeConnections,
    heartbeats: options.heartbeats,
    limits: options.limits,
    aclEnabled: options.aclEnabled ?? false,
    dataDir: options.dataDir,
    self,
  };

  // The port really listened on: asked for 0, the server takes any free one.
  app.addHook('onListen', (done) => {
    const bound = app.server.address();
    if (typeof bound === 'object' && bound) self.httpPort = bound.port;
    done();
  });
  registerErrorHandling(app);
  registerServerAnswers(app.server);
  // First of the onRequest hooks: a refused write runs nothing else.
  registerCrossOriginWriteCheck(app, options.allowedOrigins);
  registerBodyParser(app);
  registerBodyChecks(app);
  registerClientCors(app);
  registerPretty(app);
  registerCompression(app);
  await app.register((api, _opts, done) => {
    registerApiRoutes(api, ctx);
    done();
  });
  // Not a contract route: it describes the contract (see openapi.ts).
  registerOpenApiRoute(app);
  registerInvalidMethods(app);
  // After the methods registerInvalidMethods adds, so that it answers them too.
  registerOneTimeTokenPaths(app);
  return app;
}
