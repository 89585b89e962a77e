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
export async function ensureClip(scenario: Scenario, file: string, options: RenderOptions = {}): Promise<string> {
  if (!existsSync(file)) await renderClip(scenario, file, options);
  return file;
}

export interface RenderOptions {
  width?: number;
  height?: number;
  /** Scene seed: background, people, lighting (default 7, the demo's). */
  seed?: number;
  quiet?: boolean;
}

/** Renders a scripted clip and returns where its events start, as the generator reports them. */
export async function renderClip(scenario: Scenario, file: string, options: RenderOptions = {}): Promise<ClipInfo> {
  mkdirSync(dirname(file), { recursive: true });
  const args = [
    RENDER,
    scenario,
    file,
    '--width',
    String(options.width ?? 640),
    '--height',
    String(options.height ?? 360),
    '--seed',
    String(options.seed ?? 7),
  ];
  return new Promise<ClipInfo>((resolvePromise, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', options.quiet ? 'pipe' : 'inherit'] });
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${PYTHON} to render the ${scenario} clip: ${err.message}; install python3-numpy (see README)`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`rendering the ${scenario} clip failed (exit ${code}): ${stderr.trim().slice(-500)}`));
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop()!) as ClipInfo);
      } catch {
        reject(new Error(`the ${scenario} clip renderer printed no clip description: ${stdout.slice(-200)}`));
      }
    });
  });
}
