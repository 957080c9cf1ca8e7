export { clientDir, loadOrCreateIdentity, type NodeIdentity } from './identity.js';
