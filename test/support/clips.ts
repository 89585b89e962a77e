import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureClip, renderClip, type ClipInfo, type Scenario } from '../../scripts/demo-clip';
import { REPO } from './processes';

const clipPath = (scenario: Scenario) => join(REPO, '.cache', 'test-clips', `${scenario}-320x180.mp4`);

/** Synthetic fixture clips rendered by the project's own generator, cached between runs in .cache/. */
export function fixtureClip(scenario: Scenario): Promise<string> {
  return ensureClip(scenario, clipPath(scenario), { width: 320, height: 180, quiet: true });
}

/** A fixture clip with the event onsets its generator reported (rendered again once if they were not kept). */
export async function fixtureClipInfo(scenario: Scenario): Promise<ClipInfo> {
  const file = clipPath(scenario);
  const infoFile = `${file}.json`;
  if (existsSync(file) && existsSync(infoFile)) return JSON.parse(readFileSync(infoFile, 'utf8')) as ClipInfo;
  const info = await renderClip(scenario, file, { width: 320, height: 180, quiet: true });
  writeFileSync(infoFile, JSON.stringify(info));
  return info;
}

/** Seconds of video in a file, from ffprobe. */
export function videoSeconds(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString());
}
