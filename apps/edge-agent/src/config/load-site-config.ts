import { ConfigError, loadYamlConfig } from '@vigil/config';
import { SiteConfigSchema, type SiteConfig } from './site-config.schema';

/** Loads and validates the site file once, at boot; everything after this works on the typed result. */
export function loadSiteConfig(path: string, env: Record<string, string | undefined>): SiteConfig {
  const config = loadYamlConfig(path, SiteConfigSchema, { env });
  const problems: string[] = [];
  const seen = new Set<string>();
  config.cameras.forEach((camera, i) => {
    if (seen.has(camera.id)) problems.push(`cameras[${i}].id: "${camera.id}" is used by another camera; camera ids must be unique`);
    seen.add(camera.id);
  });
  if (!config.cameras.some((c) => c.enabled)) problems.push('cameras: every camera is disabled; enable at least one');
  if (config.ingest.reconnectMaxSeconds < config.ingest.reconnectMinSeconds) {
    problems.push('ingest.reconnectMaxSeconds: must be at least ingest.reconnectMinSeconds');
  }
  if (problems.length) throw new ConfigError(path, problems);
  return config;
}
