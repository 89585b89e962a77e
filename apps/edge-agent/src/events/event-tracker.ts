export interface TrackerRule {
  /** Score at or above which a window counts towards opening an event. */
  threshold: number;
  /** Score below which a window counts towards closing it (hysteresis: lower than `threshold`). */
  clearThreshold: number;
  /** Consecutive windows at or above `threshold` that open an event. */
  minWindows: number;
  /** Consecutive windows below `clearThreshold` that close it. */
  clearWindows: number;
  /** After an event closes, the same camera and kind stay quiet this long (ms). */
  cooldownMs: number;
  /** An open event is closed after this long (ms) even if the score stays high. */
  maxDurationMs: number;
  /** Scores are averaged over this many most recent windows before the rule sees them (1: no smoothing). */
  smoothingWindows?: number;
  /** An open event reports an `update` when its peak rises by at least this much (0 or absent: never). */
  peakStep?: number;
}

/** An event rule as configured (site `events.<kind>` merged with the camera's override). */
export interface ConfiguredRule {
  threshold?: number;
  clearThreshold?: number;
  minWindows: number;
  clearWindows: number;
  cooldownSeconds: number;
  maxDurationSeconds: number;
  smoothingWindows?: number;
  peakStep?: number;
}

/** Without a configured clear threshold, windows under 60 % of the threshold count towards closing. */
const CLEAR_RATIO = 0.6;

/** The tracker rule for a configured rule; the threshold falls back to the model card's, then 0.5. */
export function trackerRule(rule: ConfiguredRule, cardThreshold?: number): TrackerRule {
  const threshold = rule.threshold ?? cardThreshold ?? 0.5;
  return {
    threshold,
    clearThreshold: Math.min(rule.clearThreshold ?? threshold * CLEAR_RATIO, threshold),
    minWindows: rule.minWindows,
    clearWindows: rule.clearWindows,
    cooldownMs: rule.cooldownSeconds * 1000,
    maxDurationMs: rule.maxDurationSeconds * 1000,
    smoothingWindows: rule.smoothingWindows,
    peakStep: rule.peakStep,
  };
}

export type Transition =
  | { type: 'start'; at: number; firstAt: number; score: number; peak: number; windows: number }
  | { type: 'update'; at: number; score: number; peak: number }
  | { type: 'end'; at: number; reason: 'cleared' | 'max-duration'; score: number; peak: number };

/**
 * The event rule for one camera and one kind, as a pure state machine over (score, time) observations.
 * idle -> (minWindows over threshold, not cooling down) -> active -> (clearWindows under clearThreshold or
 * maxDuration) -> idle with cooldown.
 */
export class EventTracker {
  private active = false;
  private above = 0;
  private below = 0;
  private runPeak = 0;
  private runStart = 0;
  private openedAt = 0;
  private peak = 0;
  private quietUntil = -Infinity;
  private reportedPeak = 0;
  private readonly recent: number[] = [];

  constructor(readonly rule: TrackerRule) {}

  /** The score the rule uses: the mean of the last `smoothingWindows` raw scores. */
  private smooth(raw: number): number {
    const n = Math.max(1, this.rule.smoothingWindows ?? 1);
    this.recent.push(raw);
    if (this.recent.length > n) this.recent.shift();
    return this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
  }

  observe(raw: number, at: number): Transition | undefined {
    const score = this.smooth(raw);
    if (!this.active) {
      if (score >= this.rule.threshold) {
        if (this.above === 0) {
          this.runPeak = 0;
          this.runStart = at;
        }
        this.above++;
        this.runPeak = Math.max(this.runPeak, score);
      } else {
        this.above = 0;
      }
      if (this.above >= this.rule.minWindows && at >= this.quietUntil) {
        this.active = true;
        this.openedAt = at;
        this.peak = this.runPeak;
        this.below = 0;
        const windows = this.above;
        this.above = 0;
        this.reportedPeak = this.peak;
        return { type: 'start', at, firstAt: this.runStart, score, peak: this.peak, windows };
      }
      return undefined;
    }
    this.peak = Math.max(this.peak, score);
    this.below = score < this.rule.clearThreshold ? this.below + 1 : 0;
    const cleared = this.below >= this.rule.clearWindows;
    const expired = at - this.openedAt >= this.rule.maxDurationMs;
    if (!cleared && !expired) {
      const step = this.rule.peakStep ?? 0;
      if (step > 0 && this.peak - this.reportedPeak >= step) {
        this.reportedPeak = this.peak;
        return { type: 'update', at, score, peak: this.peak };
      }
      return undefined;
    }
    this.active = false;
    this.below = 0;
    this.quietUntil = at + this.rule.cooldownMs;
    return { type: 'end', at, reason: cleared ? 'cleared' : 'max-duration', score, peak: this.peak };
  }
}
