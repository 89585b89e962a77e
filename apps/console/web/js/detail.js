// An event's detail: snapshot or clip, score timeline, explanation, and the operator's acknowledgement and resolution.
import { api } from './api.js';
import { explanationView, formatTime, ICONS, KIND_TITLES, where } from './format.js';
import { upsert } from './queue.js';
import { $, canOperate, state } from './state.js';

function drawTimeline(svg, event) {
  const points = event.timeline || [];
  const w = 600;
  const h = 140;
  const pad = 8;
  const ns = 'http://www.w3.org/2000/svg';
  svg.replaceChildren();
  const el = (name, attrs) => {
    const node = document.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    svg.appendChild(node);
    return node;
  };
  const y = (v) => h - pad - v * (h - 2 * pad);
  el('line', { x1: 0, x2: w, y1: y(event.threshold), y2: y(event.threshold), class: 'threshold' });
  if (points.length < 2) {
    const t = el('text', { x: w / 2, y: h / 2, 'text-anchor': 'middle', class: 'no-data' });
    t.textContent = points.length ? `score ${Math.round(points[0][1] * 100)}%` : 'No score timeline for this event';
    return;
  }
  const t0 = points[0][0];
  const span = Math.max(points[points.length - 1][0] - t0, 0.001);
  const x = (t) => pad + ((t - t0) / span) * (w - 2 * pad);
  const path = points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  el('path', { d: `${path} L${x(points[points.length - 1][0]).toFixed(1)},${h - pad} L${x(t0).toFixed(1)},${h - pad} Z`, class: 'area' });
  el('path', { d: path, class: 'line' });
  const label = el('text', { x: w - pad, y: 14, 'text-anchor': 'end', class: 'axis' });
  label.textContent = `${span.toFixed(1)} s · peak ${Math.round(event.peakScore * 100)}%`;
}

export function fillDetail(event) {
  const dialog = $('#detail');
  dialog.dataset.kind = event.kind;
  dialog.querySelector('.kind-icon').innerHTML = ICONS[event.kind] || '';
  $('#detail-title').textContent = `${KIND_TITLES[event.kind] || event.kind} · ${event.state === 'active' ? 'active' : 'ended'}`;
  $('#detail-where').textContent = `${where(event)} · ${formatTime(event.startedAt)}`;
  const snap = $('#detail-snapshot');
  const clip = $('#detail-clip');
  const snapshot = event.media && event.media.snapshot;
  const clipUrl = event.media && event.media.clip;
  snap.hidden = !snapshot || Boolean(clipUrl);
  if (snapshot && snap.src !== snapshot) snap.src = snapshot;
  clip.hidden = !clipUrl;
  if (clipUrl && clip.getAttribute('src') !== clipUrl) {
    clip.src = clipUrl;
    if (snapshot) clip.poster = snapshot;
  }
  $('#detail-nomedia').hidden = Boolean(snapshot || clipUrl);
  drawTimeline($('#detail-timeline'), event);
  const ex = explanationView(event.explanation);
  $('#detail-explanation').textContent = ex.text;
  $('#detail-action').hidden = !ex.action;
  $('#detail-action').textContent = ex.action;
  const source = `${ex.source}${ex.severity ? `, severity ${ex.severity}` : ''}`;
  $('#detail-meta').textContent =
    `Peak ${Math.round(event.peakScore * 100)}% (threshold ${Math.round(event.threshold * 100)}%) · model ${event.model} · ${source}`;
  const history = [];
  if (event.acknowledgement)
    history.push(
      `Acknowledged ${formatTime(event.acknowledgement.at)}${event.acknowledgement.by ? ` by ${event.acknowledgement.by}` : ''}${event.acknowledgement.note ? `: “${event.acknowledgement.note}”` : ''}`,
    );
  if (event.resolution)
    history.push(
      `Resolved ${formatTime(event.resolution.at)}${event.resolution.by ? ` by ${event.resolution.by}` : ''}${event.resolution.note ? `: “${event.resolution.note}”` : ''}`,
    );
  $('#detail-history').textContent = history.join(' · ');
  $('#detail-work').hidden = !canOperate() || Boolean(event.resolution);
  dialog.querySelector('[data-detail-action="ack"]').hidden = Boolean(event.acknowledgement);
}

export async function openDetail(id) {
  state.detailId = id;
  const event = state.events.get(id);
  if (event) fillDetail(event);
  $('#detail-note').value = '';
  $('#detail').showModal();
  try {
    const fresh = await api(`events/${encodeURIComponent(id)}`);
    state.events.set(id, fresh);
    fillDetail(fresh);
  } catch (err) {
    console.error('cannot load the event', err);
  }
}

export function initDetail() {
  $('#detail').addEventListener('close', () => {
    state.detailId = null;
    $('#detail-clip').pause();
  });

  document.querySelectorAll('[data-detail-action]').forEach((button) =>
    button.addEventListener('click', async () => {
      const id = state.detailId;
      if (!id) return;
      const note = $('#detail-note').value.trim();
      const action = button.dataset.detailAction;
      button.disabled = true;
      try {
        const event = await api(`events/${encodeURIComponent(id)}/${action === 'ack' ? 'ack' : 'resolve'}`, {
          method: 'POST',
          body: JSON.stringify(note ? { note } : {}),
        });
        $('#detail-note').value = '';
        upsert(event, false);
      } catch (err) {
        button.title = err.message;
      } finally {
        button.disabled = false;
      }
    }),
  );
}
