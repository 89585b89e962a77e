/** Plain SVG line charts for benchmark figures: one x axis, one y axis, a few labelled series. */
import { escapeXml as esc, svgDocument } from '@vigil/model/evaluation';

export interface Series {
  label: string;
  points: Array<[number, number]>;
  dashed?: boolean;
  /** Series with the same colour index share a colour (e.g. agent solid, bare dashed). */
  colour?: number;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A horizontal reference line, e.g. a target. */
  target?: { y: number; label: string };
  /** Log-2 x axis (batch sizes, camera counts). */
  log2x?: boolean;
}

const COLOURS = ['#1f6fb2', '#d35400', '#27ae60', '#8e44ad', '#c0392b', '#7f8c8d'];
const f = (v: number) => v.toFixed(1);

/** A readable tick step: 1, 2 or 5 times a power of ten, about `count` ticks over `span`. */
function tickStep(span: number, count = 5): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

export function lineChartSvg(chart: LineChart): string {
  const [w, h, left, top, pw, ph] = [800, 420, 70, 44, 430, 300];
  const all = chart.series.flatMap((s) => s.points);
  if (!all.length) throw new Error(`chart "${chart.title}" has no points`);
  const tx = (x: number) => (chart.log2x ? Math.log2(x) : x);
  const xs = all.map(([x]) => tx(x));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) + 1 : Math.max(...xs)];
  const yMax = Math.max(...all.map(([, y]) => y), chart.target?.y ?? 0) * 1.1 || 1;
  const step = tickStep(yMax);
  const X = (x: number) => left + ((tx(x) - x0) / (x1 - x0)) * pw;
  const Y = (y: number) => top + ph - (y / yMax) * ph;
  const body = [`<text x="${w / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(chart.title)}</text>`];
  for (let v = 0; v <= yMax; v += step) {
    body.push(`<line x1="${left}" y1="${f(Y(v))}" x2="${left + pw}" y2="${f(Y(v))}" stroke="#eee"/>`);
    body.push(`<text x="${left - 6}" y="${f(Y(v) + 4)}" text-anchor="end" font-size="11">${+v.toPrecision(4)}</text>`);
  }
  const xTicks = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  for (const v of xTicks) {
    body.push(`<line x1="${f(X(v))}" y1="${top}" x2="${f(X(v))}" y2="${top + ph}" stroke="#f3f3f3"/>`);
    body.push(`<text x="${f(X(v))}" y="${top + ph + 16}" text-anchor="middle" font-size="11">${v}</text>`);
  }
  body.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#555"/>`);
  body.push(`<text x="${left + pw / 2}" y="${top + ph + 36}" text-anchor="middle" font-size="12">${esc(chart.xLabel)}</text>`);
  body.push(`<text x="18" y="${top + ph / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${top + ph / 2})">${esc(chart.yLabel)}</text>`);
  if (chart.target) {
    body.push(`<line x1="${left}" y1="${f(Y(chart.target.y))}" x2="${left + pw}" y2="${f(Y(chart.target.y))}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
    body.push(`<text x="${left + pw - 4}" y="${f(Y(chart.target.y) - 5)}" text-anchor="end" font-size="11" fill="#c0392b">${esc(chart.target.label)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const colour = COLOURS[(s.colour ?? i) % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    if (pts.length > 1)
      body.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${pts.map(([x, y]) => `${f(X(x))},${f(Y(y))}`).join(' ')}"/>`);
    for (const [x, y] of pts) body.push(`<circle cx="${f(X(x))}" cy="${f(Y(y))}" r="4" fill="${colour}"/>`);
    const ly = top + 10 + i * 20;
    body.push(`<line x1="${left + pw + 14}" y1="${ly - 4}" x2="${left + pw + 36}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"${dash}/>`);
    body.push(`<text x="${left + pw + 42}" y="${ly}" font-size="11">${esc(s.label)}</text>`);
  });
  return svgDocument(w, h, body);
}
