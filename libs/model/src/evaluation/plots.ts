import { basename } from 'node:path';
import { EVENT_CLASSES, type EventClass } from './eval-set';
import type { ClipResult } from './metrics';

export const CLASS_COLOURS: Record<EventClass, string> = { fall: '#d35400', fire: '#c0392b', smoke: '#5d6d7e' };

/** Text safe inside an SVG (XML) element. */
export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const esc = escapeXml;
const f = (v: number) => v.toFixed(1);

/** A whole SVG document: white background, the project's fonts, then `body`. */
export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Precision (y) against recall (x) per class, with the card threshold's operating point marked. */
export function prCurvesSvg(
  curves: Record<EventClass, { precision: number; recall: number }[]>,
  operating: Record<EventClass, { precision: number; recall: number; threshold: number }>,
  title: string,
): string {
  const [w, h, left, top, size] = [640, 440, 60, 40, 340];
  const x = (r: number) => left + r * size;
  const y = (p: number) => top + (1 - p) * size;
  const body = [`<text x="${w / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`];
  for (let i = 0; i <= 10; i++) {
    const v = i / 10;
    body.push(
      `<line x1="${f(x(v))}" y1="${top}" x2="${f(x(v))}" y2="${top + size}" stroke="#eee"/>`,
      `<line x1="${left}" y1="${f(y(v))}" x2="${left + size}" y2="${f(y(v))}" stroke="#eee"/>`,
    );
    body.push(
      `<text x="${f(x(v))}" y="${top + size + 16}" text-anchor="middle" font-size="10">${v.toFixed(1)}</text>`,
      `<text x="${left - 6}" y="${f(y(v) + 3)}" text-anchor="end" font-size="10">${v.toFixed(1)}</text>`,
    );
  }
  body.push(`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#555"/>`);
  body.push(`<text x="${left + size / 2}" y="${top + size + 34}" text-anchor="middle" font-size="12">recall</text>`);
  body.push(`<text x="16" y="${top + size / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${top + size / 2})">precision</text>`);
  EVENT_CLASSES.forEach((cls, i) => {
    const pts = curves[cls]; // in threshold order, so the line walks from high recall to high precision
    if (pts.length)
      body.push(
        `<polyline fill="none" stroke="${CLASS_COLOURS[cls]}" stroke-width="2" points="${pts.map((p) => `${f(x(p.recall))},${f(y(p.precision))}`).join(' ')}"/>`,
      );
    const op = operating[cls];
    if (op) body.push(`<circle cx="${f(x(op.recall))}" cy="${f(y(op.precision))}" r="5" fill="${CLASS_COLOURS[cls]}" stroke="#000"/>`);
    const ly = top + 14 + i * 18;
    body.push(`<line x1="${left + size + 14}" y1="${ly - 4}" x2="${left + size + 34}" y2="${ly - 4}" stroke="${CLASS_COLOURS[cls]}" stroke-width="3"/>`);
    body.push(`<text x="${left + size + 40}" y="${ly}" font-size="12">${cls}${op ? ` (● at ${op.threshold.toFixed(2)})` : ''}</text>`);
  });
  return svgDocument(w, h, body);
}

/** One row per clip: the three scores over time, the labelled span shaded, thresholds dashed, events marked. */
export function timelinesSvg(results: ClipResult[], thresholds: Record<EventClass, number>, title: string): string {
  const [w, row, left, top, plotW] = [900, 74, 230, 40, 640];
  const maxT = Math.max(1, ...results.map((r) => r.seconds));
  const x = (t: number) => left + (t / maxT) * plotW;
  const body = [`<text x="${w / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`];
  EVENT_CLASSES.forEach((cls, i) => {
    body.push(
      `<line x1="${left + i * 110}" y1="32" x2="${left + i * 110 + 18}" y2="32" stroke="${CLASS_COLOURS[cls]}" stroke-width="3"/>`,
      `<text x="${left + i * 110 + 22}" y="36" font-size="11">${cls}</text>`,
    );
  });
  body.push(`<text x="${left + 340}" y="36" font-size="11">▼ event raised   shaded: labelled event</text>`);
  results.forEach((r, i) => {
    const y0 = top + i * row + 8;
    const h = row - 22;
    const y = (s: number) => y0 + (1 - s) * h;
    body.push(
      `<text x="8" y="${y0 + h / 2}" font-size="11">${esc(basename(r.clip.file).slice(0, 32))}</text>`,
      `<text x="8" y="${y0 + h / 2 + 14}" font-size="10" fill="#666">${r.clip.cls}${r.clip.onset !== undefined ? ` @ ${r.clip.onset}s` : ''}</text>`,
    );
    body.push(`<rect x="${left}" y="${y0}" width="${plotW}" height="${h}" fill="#fafafa" stroke="#bbb"/>`);
    if (r.clip.onset !== undefined) {
      const end = r.clip.spanEnd ?? r.seconds;
      body.push(
        `<rect x="${f(x(r.clip.onset))}" y="${y0}" width="${f(Math.max(1, x(end) - x(r.clip.onset)))}" height="${h}" fill="${CLASS_COLOURS[r.clip.cls as EventClass] ?? '#999'}" opacity="0.15"/>`,
      );
    }
    for (const cls of EVENT_CLASSES) {
      body.push(
        `<line x1="${left}" y1="${f(y(thresholds[cls]))}" x2="${left + plotW}" y2="${f(y(thresholds[cls]))}" stroke="${CLASS_COLOURS[cls]}" stroke-dasharray="3 4" stroke-width="0.8"/>`,
      );
      if (r.windows.length)
        body.push(
          `<polyline fill="none" stroke="${CLASS_COLOURS[cls]}" stroke-width="1.5" points="${r.windows.map((p) => `${f(x(p.t))},${f(y(p.scores[cls]))}`).join(' ')}"/>`,
        );
    }
    for (const e of r.events) body.push(`<text x="${f(x(e.t))}" y="${y0 - 1}" text-anchor="middle" font-size="11" fill="${CLASS_COLOURS[e.kind]}">▼</text>`);
    body.push(`<text x="${left + plotW + 6}" y="${y0 + h}" font-size="9" fill="#666">${r.seconds.toFixed(0)} s</text>`);
  });
  return svgDocument(w, top + results.length * row + 10, body);
}
