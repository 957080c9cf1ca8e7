export { BERTH_VERSION, fingerprintHost, hostIP, type HostFingerprint } from './host.js';
export { fingerprintNode, type NodeFingerprint } from './node.js';
