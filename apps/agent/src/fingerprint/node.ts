// Nomad's client fingerprint manager (client/fingerprint_manager.go): the host's attributes and
// resources plus each driver's fingerprint, as the node a registration carries.
import type { DriverInfo, NodeResources } from '@berth/contract';
import type { Driver } from '../drivers/driver.js';
import { fingerprintHost } from './host.js';

export interface NodeFingerprint {
  Attributes: Record<string, string>;
  NodeResources: NodeResources;
  Drivers: Record<string, DriverInfo>;
}

/** Fingerprints the host and the drivers; `driver.<name>` is `1` for a detected, healthy driver. */
export function fingerprintNode(dataDir: string, drivers: readonly Driver[]): NodeFingerprint {
  const host = fingerprintHost(dataDir);
  const attributes = { ...host.attributes };
  const infos: Record<string, DriverInfo> = {};
  const now = new Date().toISOString();
  for (const driver of drivers) {
    const fp = driver.fingerprint();
    infos[driver.name] = {
      Detected: fp.detected,
      Healthy: fp.healthy,
      HealthDescription: fp.healthDescription,
      UpdateTime: now,
      Attributes: fp.attributes,
    };
    if (fp.detected && fp.healthy) attributes[`driver.${driver.name}`] = '1';
    for (const [k, v] of Object.entries(fp.attributes)) attributes[k] = v;
  }
  return { Attributes: attributes, NodeResources: host.resources, Drivers: infos };
}
