// The alert queue: one row per event, filtered and sorted (unacknowledged first, newest first), kept live.
import { api } from './api.js';
import { alertCue } from './cue.js';
import { fillDetail, openDetail } from './detail.js';
import { explanationView, formatTime, ICONS, relative, where } from './format.js';
import { $, canOperate, state } from './state.js';

const list = $('#events');
const template = $('#event-template');

function compare(a, b) {
  return (a.acknowledgement ? 1 : 0) - (b.acknowledgement ? 1 : 0) || Date.parse(b.startedAt) - Date.parse(a.startedAt);
}

/** One queue row per event id, kept across redraws; a row is rebuilt only when its event object changed. */
const rows = new Map();

function render(event, fresh) {
  let li = rows.get(event.id);
  if (li && li.renderedEvent === event && li.renderedRole === document.body.dataset.role && !fresh) return li;
  if (!li) {
    li = template.content.firstElementChild.cloneNode(true);
    li.dataset.eventId = event.id;
    li.querySelector('[data-action="ack"]').addEventListener('click', () => acknowledge(event.id, li.querySelector('[data-action="ack"]')));
    li.querySelector('[data-action="open"]').addEventListener('click', () => openDetail(event.id));
  }
  li.dataset.kind = event.kind;
  li.dataset.state = event.state;
  li.dataset.acknowledged = String(Boolean(event.acknowledgement));
  li.querySelector('.kind-icon').innerHTML = ICONS[event.kind] || '';
  const thumb = li.querySelector('.thumb');
  const snapshot = event.media && event.media.snapshot;
  thumb.hidden = !snapshot;
  if (snapshot && thumb.href !== snapshot) {
    thumb.href = snapshot;
    thumb.querySelector('img').src = snapshot;
  }
  const clip = li.querySelector('.clip-link');
  clip.hidden = !(event.media && event.media.clip);
  if (!clip.hidden) clip.href = event.media.clip;
  li.querySelector('.kind-name').textContent = event.kind;
  const badge = li.querySelector('.badge.state');
  badge.dataset.state = event.state;
  badge.textContent = event.state === 'active' ? 'Active' : 'Ended';
  li.querySelector('.ack-badge').hidden = !event.acknowledgement || Boolean(event.resolution);
  li.querySelector('.resolved-badge').hidden = !event.resolution;
  li.querySelector('.camera').textContent = where(event);
  const ex = explanationView(event.explanation);
  li.querySelector('.explanation').textContent = ex.text;
  const action = li.querySelector('.suggested-action');
  action.hidden = !ex.action;
  action.textContent = ex.action;
  const severity = li.querySelector('.badge.severity');
  severity.hidden = !ex.severity;
  severity.dataset.severity = ex.severity;
  severity.textContent = ex.severity;
  li.querySelector('.explanation-source').textContent = ex.source;
  const time = li.querySelector('.time');
  time.textContent = `${formatTime(event.startedAt)} · ${relative(event.startedAt)}`;
  time.title = new Date(event.startedAt).toString();
  const pct = Math.round(event.peakScore * 100);
  li.querySelector('.fill').style.width = `${pct}%`;
  li.querySelector('.confidence-value').textContent = `${pct}% confidence`;
  const ack = event.acknowledgement;
  li.querySelector('.ack-info').textContent = ack ? `Acknowledged ${formatTime(ack.at)}${ack.by ? ` by ${ack.by}` : ''}` : '';
  const button = li.querySelector('[data-action="ack"]');
  button.hidden = Boolean(ack) || !canOperate();
  button.disabled = false;
  if (fresh) {
    li.classList.remove('fresh');
    void li.offsetWidth;
    li.classList.add('fresh');
  }
  li.renderedEvent = event;
  li.renderedRole = document.body.dataset.role;
  rows.set(event.id, li);
  return li;
}

function visible(e) {
  const f = state.filters;
  if (f.kind !== 'all' && e.kind !== f.kind) return false;
  if (f.site && e.site !== f.site) return false;
  if (f.camera && `${e.site}/${e.camera.id}` !== f.camera) return false;
  if (f.seconds && Date.now() - Date.parse(e.startedAt) > f.seconds * 1000) return false;
  switch (f.state) {
    case 'unacknowledged':
      return !e.acknowledgement;
    case 'active':
      return e.state === 'active';
    case 'acknowledged':
      return Boolean(e.acknowledgement) && !e.resolution;
    case 'resolved':
      return Boolean(e.resolution);
    default:
      return true;
  }
}

function fillSelect(select, options) {
  const current = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...options.map(([value, label]) => new Option(label, value)));
  select.value = options.some(([v]) => v === current) ? current : '';
}

function refreshFilterOptions() {
  const all = [...state.events.values()];
  const sites = new Set([...Object.keys(state.sites), ...all.map((e) => e.site), ...[...state.cameras.values()].map((c) => c.site)]);
  fillSelect(
    $('#filter-site'),
    [...sites].sort().map((s) => [s, s]),
  );
  const cams = new Map();
  for (const e of all) cams.set(`${e.site}/${e.camera.id}`, `${e.camera.name} (${e.site})`);
  for (const c of state.cameras.values()) cams.set(`${c.site}/${c.id}`, `${c.name} (${c.site})`);
  fillSelect(
    $('#filter-camera'),
    [...cams.entries()].sort((a, b) => a[1].localeCompare(b[1])),
  );
}

export function redraw() {
  const events = [...state.events.values()].filter(visible).sort(compare);
  const fresh = state.fresh;
  state.fresh = new Set();
  const items = events.map((e) => render(e, fresh.has(e.id)));
  // move only what is out of place: a burst of events costs a few inserts, not a rebuilt list
  items.forEach((li, i) => {
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
  });
  while (list.children.length > items.length) list.lastElementChild.remove();
  $('#empty').hidden = events.length > 0;
  const all = [...state.events.values()];
  const open = all.filter((e) => !e.acknowledgement).length;
  $('#count-open').textContent = open;
  $('#stat-open').classList.toggle('alerting', open > 0);
  $('#count-active').textContent = all.filter((e) => e.state === 'active').length;
  $('#count-total').textContent = events.length;
  document.title = open ? `(${open}) Vigil · Operator console` : 'Vigil · Operator console';
  refreshFilterOptions();
}

/** Drops the rows of events no longer known (after a reload). */
export function forgetRows() {
  for (const id of rows.keys()) if (!state.events.has(id)) rows.delete(id);
}

export function upsert(event, isNew) {
  state.events.set(event.id, event);
  redraw();
  if (state.detailId === event.id) fillDetail(event);
  if (isNew) {
    const li = list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`);
    if (li) render(event, true);
    alertCue(event.kind);
  }
}

async function acknowledge(id, button, note) {
  button.disabled = true;
  try {
    upsert(await api(`events/${encodeURIComponent(id)}/ack`, { method: 'POST', body: JSON.stringify(note ? { note } : {}) }), false);
  } catch (err) {
    button.disabled = false;
    button.textContent = 'Retry';
    button.title = err.message;
  }
}
