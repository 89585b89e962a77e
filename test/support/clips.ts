import { join } from 'node:path';
import { ensureClip, type Scenario } from '../../scripts/demo-clip';
import { REPO } from './processes';

/** Synthetic fixture clips rendered by the project's own generator, cached between runs in .cache/. */
export function fixtureClip(scenario: Scenario): Promise<string> {
  return ensureClip(scenario, join(REPO, '.cache', 'test-clips', `${scenario}-320x180.mp4`), { width: 320, height: 180, quiet: true });
}
