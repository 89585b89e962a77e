import type { EventKind } from '@vigil/contracts';
import type { CameraConfig, SiteConfig } from '../config/site-config.schema';
import type { ExplainEvidence } from './prompts';

/** An event that opened, as the explainer needs it. */
export interface OpenedEvent {
  id: string;
  kind: EventKind;
  threshold: number;
  /** First window over the threshold and the window that opened the event (epoch ms), and the peak score. */
  firstAt: number;
  at: number;
  peak: number;
  /** Window scores since the event started, [seconds, score]. */
  points: ReadonlyArray<readonly [number, number]>;
}

/** Another event started on the site recently. */
export interface RecentEvent {
  id: string;
  kind: string;
  cameraId: string;
  startedAt: string;
}

/** What the LLM is told about an event: only what was measured, in the site's time zone. */
export function eventEvidence(
  config: SiteConfig,
  camera: CameraConfig,
  event: OpenedEvent,
  context: { windowSeconds: number; recent: readonly RecentEvent[]; snapshot?: Buffer },
): ExplainEvidence {
  const cameraName = (id: string) => config.cameras.find((c) => c.id === id)?.name ?? id;
  return {
    kind: event.kind,
    site: config.site.name ?? config.site.id,
    cameraName: camera.name ?? camera.id,
    location: camera.location,
    localTime: new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
      timeZone: config.site.timezone,
    }).format(new Date(event.firstAt)),
    threshold: event.threshold,
    peakScore: event.peak,
    timeline: event.points.map(([t, score]) => ({ t, score })),
    durationSeconds: (event.at - event.firstAt) / 1000 + context.windowSeconds,
    recent: context.recent
      .filter((e) => e.id !== event.id)
      .map((e) => ({
        kind: e.kind as EventKind,
        cameraName: cameraName(e.cameraId),
        minutesAgo: Math.max(0, Math.round((event.at - Date.parse(e.startedAt)) / 60_000)),
      })),
    snapshotJpeg: config.explanations.vision ? context.snapshot : undefined,
  };
}
