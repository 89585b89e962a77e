import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type ClipClass = 'fall' | 'fire' | 'smoke' | 'normal';
export const EVENT_CLASSES = ['fall', 'fire', 'smoke'] as const;
export type EventClass = (typeof EVENT_CLASSES)[number];

/** One labelled video for evaluation. */
export interface EvalClip {
  file: string;
  cls: ClipClass;
  split?: string;
  /** Where the clip comes from (the manifest's `source_repo`): one camera site or dataset; `unknown` when not given. */
  source: string;
  /** The original dataset (the manifest's `dataset`), `unknown` when not given. */
  dataset: string;
  /** Seconds from the start of the clip to the event onset; undefined for normal clips. */
  onset?: number;
  /** End of the labelled span: for a fall the end of the transition (the person lying after it is ambiguous). */
  spanEnd?: number;
}

/**
 * Reads a clips folder or a manifest (the TSV of ../shared/clips: file, class, split, event_span_s; spans like
 * "2.5-3.0", "fall ~15.5-17.0" or "whole clip"). Optionally keeps one split.
 */
export function readEvalSet(path: string, split?: string): EvalClip[] {
  const manifest = existsSync(path) && statSync(path).isDirectory() ? join(path, 'manifest.tsv') : path;
  if (!existsSync(manifest)) {
    throw new Error(`No manifest at ${manifest}: pass a clips folder holding manifest.tsv, a manifest file, or "synthetic"`);
  }
  const [head, ...rows] = readFileSync(manifest, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const cols = head.split('\t');
  const col = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0 && (name === 'file' || name === 'class')) throw new Error(`${manifest}: the header has no "${name}" column (columns: ${cols.join(', ')})`);
    return i;
  };
  const [iFile, iClass, iSplit, iSpan, iSource, iDataset] = [col('file'), col('class'), col('split'), col('event_span_s'), col('source_repo'), col('dataset')];
  const cell = (cells: string[], i: number) => (i >= 0 ? cells[i]?.trim() || 'unknown' : 'unknown');
  const clips: EvalClip[] = [];
  rows.forEach((row, n) => {
    const cells = row.split('\t');
    const cls = cells[iClass]?.trim() as ClipClass;
    if (!['fall', 'fire', 'smoke', 'normal'].includes(cls))
      throw new Error(`${manifest} line ${n + 2}: class "${cells[iClass]}" is not fall, fire, smoke or normal`);
    if (split && iSplit >= 0 && cells[iSplit]?.trim() !== split) return;
    const clip: EvalClip = {
      file: resolve(dirname(manifest), cells[iFile].trim()),
      cls,
      split: iSplit >= 0 ? cells[iSplit]?.trim() : undefined,
      source: cell(cells, iSource),
      dataset: cell(cells, iDataset),
    };
    if (cls !== 'normal') {
      const span = iSpan >= 0 ? /(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)/.exec(cells[iSpan] ?? '') : null;
      clip.onset = span ? Number(span[1]) : 0;
      if (span && cls === 'fall') clip.spanEnd = Number(span[2]);
    }
    clips.push(clip);
  });
  if (!clips.length) throw new Error(`${manifest}: no clips${split ? ` in split "${split}"` : ''}`);
  return clips;
}

/**
 * Fire brings smoke and smoke often hides fire, so on a fire clip smoke is neither expected nor a false alarm
 * (and the other way round): unknown, as the training labels have it.
 */
export function isCompanion(clip: EvalClip, kind: EventClass): boolean {
  return (clip.cls === 'fire' && kind === 'smoke') || (clip.cls === 'smoke' && kind === 'fire');
}

/**
 * The label of the window ending at `end` (seconds) and `length` seconds long, for `cls`:
 * 1 positive, 0 negative, NaN ambiguous (left out of window metrics, as in training).
 */
export function windowLabel(clip: EvalClip, cls: EventClass, end: number, length: number): number {
  if (isCompanion(clip, cls)) return Number.NaN;
  if (clip.cls !== cls || clip.onset === undefined) return 0;
  const start = end - length;
  if (end < clip.onset) return 0;
  if (clip.spanEnd === undefined) return 1; // fire and smoke stay once they start
  return start <= clip.spanEnd ? 1 : Number.NaN;
}
