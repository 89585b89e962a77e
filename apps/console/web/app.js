// Vigil operator console: lists events from /api/events and keeps them live over /api/stream (SSE).
'use strict';

const ICONS = {
  fall: '<svg viewBox="0 0 24 24"><circle cx="15.5" cy="4.5" r="2.2"/><path d="M13.6 8.2 9 10.4a1 1 0 0 0-.5 1.3l.3.6a1 1 0 0 0 1.3.5l2.3-1-1.6 4.1-4.6 1.4a1.1 1.1 0 0 0 .6 2.1l5.2-1.5a1 1 0 0 0 .7-.6l.7-1.8 2.4 2.3-.9 3.4a1.1 1.1 0 0 0 2.1.5l1.1-4a1 1 0 0 0-.3-1l-2.7-2.6 1.3-3.3 2.3 1.2a1 1 0 0 0 1-1.7l-4.5-2.6a1.6 1.6 0 0 0-1.6 0Z"/><rect x="3" y="20.5" width="18" height="1.5" rx=".75"/></svg>',
  fire: '<svg viewBox="0 0 24 24"><path d="M12 2c.5 3-1.2 4.6-2.7 6.3C7.8 10 6.5 11.7 6.5 14.5A5.5 5.5 0 0 0 12 20a5.5 5.5 0 0 0 5.5-5.5c0-2.6-1.3-4.6-2.6-5.9-.1 1.5-.8 2.7-2 3.3.4-3.9-.3-7.3-.9-9.9Z"/></svg>',
  smoke: '<svg viewBox="0 0 24 24"><path d="M7.5 19a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 18.5 9a4 4 0 0 1-.5 8H7.5Z" opacity=".9"/><path d="M9 6.5A3.5 3.5 0 0 1 15.3 5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>',
};

const state = {
  events: new Map(),
  sites: {},
  kind: 'all',
  onlyOpen: false,
  sound: false,
  audio: null,
};

const $ = (sel) => document.querySelector(sel);
const list = $('#events');
const template = $('#event-template');

function sortKey(e) {
  return [e.acknowledgement ? 1 : 0, -Date.parse(e.startedAt)];
}

function compare(a, b) {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka[0] - kb[0] || ka[1] - kb[1];
}

function formatTime(iso) {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return sameDay ? time : `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

function relative(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function render(event, fresh) {
  let li = list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`);
  if (!li) {
    li = template.content.firstElementChild.cloneNode(true);
    li.dataset.eventId = event.id;
    li.querySelector('[data-action="ack"]').addEventListener('click', () => acknowledge(event.id, li));
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
  li.querySelector('.ack-badge').hidden = !event.acknowledgement;
  const where = [event.camera.name, event.camera.location, event.site].filter(Boolean).join(' · ');
  li.querySelector('.camera').textContent = where;
  const ex = event.explanation;
  li.querySelector('.explanation').textContent = ex ? ex.text : 'No explanation yet.';
  const action = li.querySelector('.suggested-action');
  action.hidden = !(ex && ex.suggestedAction);
  action.textContent = ex && ex.suggestedAction ? `Suggested action: ${ex.suggestedAction}` : '';
  const severity = li.querySelector('.badge.severity');
  severity.hidden = !(ex && ex.severity);
  severity.dataset.severity = (ex && ex.severity) || '';
  severity.textContent = ex && ex.severity ? ex.severity : '';
  const source = li.querySelector('.explanation-source');
  source.textContent = ex ? (ex.source === 'llm' ? `Explained by ${ex.model || 'LLM'}` : 'Explained from the scores (template)') : '';
  const time = li.querySelector('.time');
  time.textContent = `${formatTime(event.startedAt)} · ${relative(event.startedAt)}`;
  time.title = new Date(event.startedAt).toString();
  const pct = Math.round(event.peakScore * 100);
  li.querySelector('.fill').style.width = `${pct}%`;
  li.querySelector('.confidence-value').textContent = `${pct}% confidence`;
  li.querySelector('.ack-info').textContent = event.acknowledgement
    ? `Acknowledged ${formatTime(event.acknowledgement.at)}${event.acknowledgement.by ? ` by ${event.acknowledgement.by}` : ''}`
    : '';
  const button = li.querySelector('[data-action="ack"]');
  button.hidden = Boolean(event.acknowledgement);
  button.disabled = false;
  if (fresh) {
    li.classList.remove('fresh');
    void li.offsetWidth;
    li.classList.add('fresh');
  }
  return li;
}

function visible(e) {
  return (state.kind === 'all' || e.kind === state.kind) && (!state.onlyOpen || !e.acknowledgement);
}

function redraw() {
  const events = [...state.events.values()].filter(visible).sort(compare);
  const nodes = events.map((e) => render(e, false));
  list.replaceChildren(...nodes);
  $('#empty').hidden = nodes.length > 0;
  const all = [...state.events.values()];
  const open = all.filter((e) => !e.acknowledgement).length;
  $('#count-open').textContent = open;
  $('#stat-open').classList.toggle('alerting', open > 0);
  $('#count-active').textContent = all.filter((e) => e.state === 'active').length;
  $('#count-total').textContent = all.length;
  document.title = open ? `(${open}) Vigil · Operator console` : 'Vigil · Operator console';
}

function renderSites() {
  const el = $('#sites');
  el.replaceChildren(
    ...Object.entries(state.sites).map(([site, online]) => {
      const span = document.createElement('span');
      span.className = 'site';
      span.dataset.online = String(online);
      span.textContent = `${site} ${online ? 'online' : 'offline'}`;
      return span;
    }),
  );
}

function upsert(event, isNew) {
  state.events.set(event.id, event);
  redraw();
  if (isNew) {
    const li = list.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`);
    if (li) render(event, true);
    beep(event.kind);
  }
}

async function acknowledge(id, li) {
  const button = li.querySelector('[data-action="ack"]');
  button.disabled = true;
  try {
    const res = await fetch(`api/events/${encodeURIComponent(id)}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    upsert(await res.json(), false);
  } catch (err) {
    button.disabled = false;
    button.textContent = 'Retry acknowledge';
    console.error('acknowledge failed', err);
  }
}

function beep(kind) {
  if (!state.sound) return;
  state.audio ??= new AudioContext();
  const ctx = state.audio;
  const tones = kind === 'fire' || kind === 'smoke' ? [880, 660, 880] : [740, 988];
  tones.forEach((f, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.22);
    gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + i * 0.22 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.22 + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + i * 0.22);
    osc.stop(ctx.currentTime + i * 0.22 + 0.21);
  });
}

function setLive(s, text) {
  const el = $('#live');
  el.dataset.state = s;
  $('#live-text').textContent = text;
}

async function load() {
  const res = await fetch('api/events?limit=500');
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  state.events = new Map(body.events.map((e) => [e.id, e]));
  state.sites = { ...state.sites, ...body.sites };
  renderSites();
  redraw();
}

function connect() {
  const source = new EventSource('api/stream');
  source.onopen = () => {
    setLive('live', 'Live');
    load().catch((err) => console.error('reload failed', err));
  };
  source.onerror = () => setLive('down', 'Reconnecting…');
  source.onmessage = (msg) => {
    const data = JSON.parse(msg.data);
    if (data.type === 'hello') {
      state.sites = { ...state.sites, ...data.sites };
      renderSites();
    } else if (data.type === 'site') {
      state.sites[data.site] = data.online;
      renderSites();
    } else if (data.type === 'event') {
      upsert(data.event, !state.events.has(data.event.id));
    }
  };
}

document.querySelectorAll('[data-filter-kind]').forEach((chip) =>
  chip.addEventListener('click', () => {
    state.kind = chip.dataset.filterKind;
    document.querySelectorAll('[data-filter-kind]').forEach((c) => c.setAttribute('aria-pressed', String(c === chip)));
    redraw();
  }),
);
$('#only-open').addEventListener('change', (e) => {
  state.onlyOpen = e.target.checked;
  redraw();
});
$('#sound').addEventListener('click', (e) => {
  state.sound = !state.sound;
  e.currentTarget.setAttribute('aria-pressed', String(state.sound));
  e.currentTarget.textContent = state.sound ? 'Sound on' : 'Sound off';
  if (state.sound) beep('fall');
});
setInterval(redraw, 30_000);

load().catch((err) => console.error('initial load failed', err)).finally(connect);
