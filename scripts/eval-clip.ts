/**
 * One labelled file through the agent's path, in two steps: score every window (decode -> window -> model), then
 * replay the event rule over those scores. Scores do not depend on the rule, so thresholds can be swept without
 * decoding again.
 */
import { normaliseFrame, windowSeconds, type ModelCard, type VideoModel } from '@vigil/model';
import { EVENT_CLASSES, windowLabel, type ClipResult, type EvalClip, type EventClass, type RaisedEvent } from '@vigil/model/evaluation';
import { FfmpegFrameSource, inputArguments, type Frame } from '@vigil/streams';
import { EventTracker, type TrackerRule } from '../apps/edge-agent/src/events/event-tracker';

/**
 * Every frame of a file at the model's rate and size, in order: ffmpeg waits for the scorer, so what is scored
 * never depends on how busy the machine is (a live camera drops frames instead; see FfmpegFrameSource).
 */
export async function* decodeFile(file: string, card: ModelCard): AsyncGenerator<Frame> {
  const size = { width: card.input.width, height: card.input.height };
  const source = new FfmpegFrameSource({ input: inputArguments(file, { realtime: false }), fps: card.input.fps, size, delivery: 'every' });
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
export function scoresByKind(card: ModelCard, scores: number[]): Record<EventClass, number> {
  const out = { fall: 0, fire: 0, smoke: 0 } as Record<EventClass, number>;
  card.labels.forEach((label, i) => {
    const kind = card.eventKinds[label] as EventClass | undefined;
    if (kind && kind in out) out[kind] = Math.max(out[kind], scores[i]);
  });
  return out;
}

/** The clip's windows with their scores and labels; `events` is left empty for `raiseEvents`. */
export async function scoreClip(model: VideoModel, clip: EvalClip): Promise<{ result: ClipResult; frames: number }> {
  const { card } = model;
  const scorer = model.createScorer();
  const result: ClipResult = { clip, seconds: 0, windows: [], events: [] };
  let frames = 0;
  for await (const frame of decodeFile(clip.file, card)) {
    frames++;
    const t = frames / card.input.fps;
    const scored = await scorer.push(normaliseFrame(frame, card), t * 1000);
    if (!scored) continue;
    const labels = Object.fromEntries(EVENT_CLASSES.map((k) => [k, windowLabel(clip, k, t, windowSeconds(card))])) as Record<EventClass, number>;
    result.windows.push({ t, scores: scoresByKind(card, scored.scores), labels });
  }
  result.seconds = frames / card.input.fps;
  return { result, frames };
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
