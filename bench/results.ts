import { writeFileSync } from 'node:fs';

/** One row of `npm run bench:cameras`: an agent watching `cameras` simulated cameras. */
export interface CamerasRow {
  cameras: number;
  agentCpuPct: number;
  simulatorCpuPct: number;
  peakRssMb: number;
  fpsPerCamera: number;
  online: number;
  windowsPerS: number;
  droppedPerS: number;
  /** Windows the confirming model scored (model.confirm). */
  confirmedPerS?: number;
  alerts: number;
  otherAlerts: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  afterDecisionP50Ms: number;
  afterDecisionP95Ms: number;
  /** With --baseline: bare ffmpeg + bare onnxruntime on the same cameras. */
  bare?: { cpuPct: number; windowsPerS: number; peakRssMb: number };
}

export interface CamerasResult {
  bench: 'cameras';
  date: string;
  machine: string;
  model: { card: string; fall: string; hop?: number; views?: string; confirm?: string; gate?: number; poseMotionGate?: number };
  rows: CamerasRow[];
}

/** One batch size of `npm run bench:inference`, ms per window. */
export interface InferenceRow {
  batch: number;
  bareP50Ms: number;
  agentP50Ms: number;
}

export interface InferenceResult {
  bench: 'inference';
  date: string;
  machine: string;
  model: string;
  graphs: Array<{ graph: 'window' | 'streaming'; rows: InferenceRow[] }>;
}

/** The figures a bench printed for people, as JSON for `npm run bench:plot` (`--json <file>`). */
export function writeResult(path: string | undefined, result: CamerasResult | InferenceResult): void {
  if (path) writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
}
