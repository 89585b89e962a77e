import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { z } from 'zod';
import type { SiteConfigSchema } from '../../apps/edge-agent/src/config/site-config.schema';

/** A site file as tests write it: the schema's input type, so a misspelt setting fails to compile, not to start. */
export type SiteConfigInput = z.input<typeof SiteConfigSchema>;

/** Writes `config` as the YAML site file at `path` and returns the path. */
export function writeSiteConfig(path: string, config: SiteConfigInput): string {
  writeFileSync(path, stringify(config));
  return path;
}
