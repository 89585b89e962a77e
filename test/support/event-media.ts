import { launchChromium } from './browser';
import type { ConsoleClient } from './console-session';
import { waitFor } from './ports';

export type ApiEvent = { id: string; kind: string; site: string; media: { snapshot: string | null; clip: string | null } };

/** The console's events once every kind in `kinds` is among them; `describe` says what was awaited when it times out. */
export function waitForKinds(
  admin: ConsoleClient,
  kinds: readonly string[],
  describe: () => string,
  timeoutMs: number,
  intervalMs: number,
): Promise<ApiEvent[]> {
  return waitFor(
    () => `${kinds.join(' and ')} events; ${describe()}`,
    async () => {
      const body = await admin.get<{ events: ApiEvent[] }>('/api/events');
      const seen = new Set(body.events.map((e) => e.kind));
      return kinds.every((k) => seen.has(k)) ? body.events : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}

/**
 * What an operator sees of `events` at `url`: each snapshot served by the console as a JPEG, and in Chromium every
 * thumbnail shown and the clip of one event playing in its detail. Returns the event whose clip played.
 */
export async function expectEventMediaShown(admin: ConsoleClient, url: string, events: ApiEvent[]): Promise<ApiEvent> {
  for (const { id, kind } of events) {
    const snapshot = await waitFor(`the ${kind} snapshot`, async () => (await admin.get<ApiEvent>(`/api/events/${id}`)).media.snapshot, 20_000);
    const res = await fetch(new URL(snapshot!, url), { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  }
  const withClip = await waitFor(
    'an event with its clip',
    async () => (await admin.get<{ events: ApiEvent[] }>('/api/events')).events.find((e) => e.media.clip),
    40_000,
    500,
  );
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const [name, value] = admin.cookie.split('=');
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator(`[data-event-id="${withClip.id}"]`).waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction(
      (ids) => ids.every((id) => (document.querySelector<HTMLImageElement>(`[data-event-id="${id}"] .thumb img`)?.naturalWidth ?? 0) > 0),
      events.map((e) => e.id),
      { timeout: 20_000 },
    );
    await page.locator(`[data-event-id="${withClip.id}"] [data-action="open"]`).click();
    await page.waitForFunction(
      () => {
        const video = document.querySelector<HTMLVideoElement>('#detail-clip');
        return Boolean(video && !video.hidden && video.readyState >= 2 && video.videoWidth > 0);
      },
      undefined,
      { timeout: 20_000 },
    );
  } finally {
    await browser.close();
  }
  return withClip;
}
