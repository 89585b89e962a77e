/**
 * One labelled file through the agent's path, in two steps: score every window (decode -> window -> model), then
 * replay the event rule over those scores. Scores do not depend on the rule, so thresholds can be swept without
 * decoding again.
 */
import {
  createFrameScorer,
  decodeSize,
  windowSeconds,
  type FrameScorer,
  type LabelScores,
  type ModelCard,
  type PoseStage,
  type VideoModel,
  type Views,
} from '@vigil/model';
import { EVENT_CLASSES, windowLabel, type ClipResult, type EvalClip, type EventClass, type RaisedEvent } from '@vigil/model/evaluation';
import { FfmpegFrameSource, inputArguments, type Frame, type FrameSize } from '@vigil/streams';
import { EventTracker, type TrackerRule } from '../apps/edge-agent/src/events/event-tracker';

/**
 * Every frame of a file at the model's rate and size, in order: ffmpeg waits for the scorer, so what is scored
 * never depends on how busy the machine is (a live camera drops frames instead; see FfmpegFrameSource).
 */
export async function* decodeFile(file: string, fps: number, size: FrameSize, side?: FrameSize): AsyncGenerator<Frame> {
  const source = new FfmpegFrameSource({ input: inputArguments(file, { realtime: false }), fps, size, side, delivery: 'every' });
  let frames = 0;
  try {
    for await (const frame of source.frames()) {
      frames++;
      yield frame;
    }
  } catch (err) {
    if (!frames) throw new Error(`cannot decode ${file}: ${(err as Error).message}`);
  }
  if (!frames) throw new Error(`cannot decode ${file}: no frames`);
}

/** Scores by event kind: the highest of the labels mapped to each kind, as the agent's event service takes them. */
export function scoresByKind(card: ModelCard, scores: LabelScores): Record<EventClass, number> {
  const out = { fall: 0, fire: 0, smoke: 0 } as Record<EventClass, number>;
  for (const [label, score] of Object.entries(scores)) {
    const kind = card.eventKinds[label] as EventClass | undefined;
    if (kind && kind in out) out[kind] = Math.max(out[kind], score);
  }
  return out;
}

/** How a window's fall score comes from the video model's and the pose stage's. */
export type FallSource = 'video' | 'pose' | 'max' | 'mean';

/** The pose stage and how its fall score joins the video model's. */
export interface PoseFallOption {
  stage: PoseStage;
  combine: FallSource;
}

/** A fall score from the two stages as `how` says; the same joins their thresholds. */
export function combineFall(video: number, pose: number, how: FallSource): number {
  return how === 'video' ? video : how === 'pose' ? pose : how === 'max' ? Math.max(video, pose) : (video + pose) / 2;
}

/** What scores a clip's frames, as the agent would: a video model with its views, or a cascade (`Cascade`). */
export interface ClipScoring {
  readonly card: ModelCard;
  readonly frameSize: { width: number; height: number };
  createScorer(): FrameScorer;
}

export function viewsScoring(model: VideoModel, views: Views = 'whole'): ClipScoring {
  return { card: model.card, frameSize: decodeSize(model.card, views), createScorer: () => createFrameScorer(model, views) };
}

/** The clip's windows with their scores and labels; `events` is left empty for `raiseEvents`. */
export async function scoreClip(
  scoring: ClipScoring,
  clip: EvalClip,
  pose?: PoseFallOption,
): Promise<{ result: ClipResult; frames: number; posesReused: number }> {
  const { card } = scoring;
  const { fps } = card.input;
  const scorer = scoring.createScorer();
  const result: ClipResult = { clip, seconds: 0, windows: [], events: [] };
  // as in the agent, the pose model sees the same sampled frames letterboxed at its own size (the `side` output)
  const side = pose?.stage.pictureSize;
  const poseScorer = pose?.stage.createScorer();
  let frames = 0;
  for await (const frame of decodeFile(clip.file, fps, scoring.frameSize, side)) {
    frames++;
    const t = frames / fps;
    if (poseScorer && side && frame.side) await poseScorer.push({ data: frame.side, width: side.width, height: side.height });
    const scored = await scorer.push(frame, t * 1000);
    if (!scored) continue;
    const labels = Object.fromEntries(EVENT_CLASSES.map((k) => [k, windowLabel(clip, k, t, windowSeconds(card))])) as Record<EventClass, number>;
    const scores = scoresByKind(card, scored.scores);
    if (pose && poseScorer) scores.fall = combineFall(scores.fall, (await poseScorer.score()) ?? 0, pose.combine);
    result.windows.push({ t, scores, labels });
  }
  result.seconds = frames / card.input.fps;
  return { result, frames, posesReused: poseScorer?.reused ?? 0 };
}

/** The event starts the agent's rule raises over a clip's scored windows, one tracker per kind. */
export function raiseEvents(result: ClipResult, rules: Record<EventClass, TrackerRule>, kinds: readonly EventClass[] = EVENT_CLASSES): RaisedEvent[] {
  const events: RaisedEvent[] = [];
  for (const kind of kinds) {
    const tracker = new EventTracker(rules[kind]);
    for (const w of result.windows) {
      const transition = tracker.observe(w.scores[kind], w.t * 1000);
      if (transition?.type === 'start') events.push({ kind, t: w.t, peak: transition.peak });
    }
  }
  return events.sort((a, b) => a.t - b.t);
}
