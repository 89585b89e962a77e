import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The repository root, from scripts/ (ts) or dist/scripts/ (compiled). */
export const REPO_ROOT = basename(resolve(__dirname, '..')) === 'dist' ? resolve(__dirname, '..', '..') : resolve(__dirname, '..');
export const PYTHON = '/usr/bin/python3';
const RENDER = join(REPO_ROOT, 'libs', 'model', 'training', 'render_clip.py');

export type Scenario = 'demo' | 'fall' | 'fire' | 'normal';

export interface ClipInfo {
  file: string;
  duration_s: number;
  onsets_s: Record<string, number>;
}

/**
 * Renders one of the project's scripted synthetic clips with the same generator the model trained on
 * (libs/model/training), unless it is already there. Returns its path.
 */
export async function ensureClip(scenario: Scenario, file: string, options: { width?: number; height?: number; quiet?: boolean } = {}): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true });
  const args = [RENDER, scenario, file, '--width', String(options.width ?? 640), '--height', String(options.height ?? 360)];
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', options.quiet ? 'pipe' : 'inherit'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${PYTHON} to render the ${scenario} clip: ${err.message}; install python3-numpy (see README)`)));
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`rendering the ${scenario} clip failed (exit ${code}): ${stderr.trim().slice(-500)}`))));
  });
  return file;
}
