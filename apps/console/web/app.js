// Vigil operator console: signs in, lists events from /api/events, keeps them live over /api/stream (SSE),
// shows an event's snapshot, clip, score timeline and explanation, and the camera wall from /api/cameras.
'use strict';

const ICONS = {
  fall: '<svg viewBox="0 0 24 24"><circle cx="15.5" cy="4.5" r="2.2"/><path d="M13.6 8.2 9 10.4a1 1 0 0 0-.5 1.3l.3.6a1 1 0 0 0 1.3.5l2.3-1-1.6 4.1-4.6 1.4a1.1 1.1 0 0 0 .6 2.1l5.2-1.5a1 1 0 0 0 .7-.6l.7-1.8 2.4 2.3-.9 3.4a1.1 1.1 0 0 0 2.1.5l1.1-4a1 1 0 0 0-.3-1l-2.7-2.6 1.3-3.3 2.3 1.2a1 1 0 0 0 1-1.7l-4.5-2.6a1.6 1.6 0 0 0-1.6 0Z"/><rect x="3" y="20.5" width="18" height="1.5" rx=".75"/></svg>',
  fire: '<svg viewBox="0 0 24 24"><path d="M12 2c.5 3-1.2 4.6-2.7 6.3C7.8 10 6.5 11.7 6.5 14.5A5.5 5.5 0 0 0 12 20a5.5 5.5 0 0 0 5.5-5.5c0-2.6-1.3-4.6-2.6-5.9-.1 1.5-.8 2.7-2 3.3.4-3.9-.3-7.3-.9-9.9Z"/></svg>',
  smoke:
    '<svg viewBox="0 0 24 24"><path d="M7.5 19a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 18.5 9a4 4 0 0 1-.5 8H7.5Z" opacity=".9"/><path d="M9 6.5A3.5 3.5 0 0 1 15.3 5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>',
};
const KIND_TITLES = { fall: 'Fall', fire: 'Fire', smoke: 'Smoke' };

const state = {
  user: null,
  events: new Map(),
  cameras: new Map(),
  sites: {},
  filters: { kind: 'all', state: '', site: '', camera: '', seconds: 0 },
  view: 'alerts',
  sound: false,
  audio: null,
  source: null,
  detailId: null,
  /** Ids of events that arrived live since the last redraw (they flash once). */
  fresh: new Set(),
};

const $ = (sel) => document.querySelector(sel);
const list = $('#events');
const template = $('#event-template');
const canOperate = () => state.user && (state.user.role === 'operator' || state.user.role === 'admin');

// ---------- API ----------

class AuthRequired extends Error {}

async function api(path, options = {}) {
  const res = await fetch(`api/${path}`, {
    credentials: 'same-origin',
    method: options.method,
    body: options.body,
    headers: options.body ? { 'content-type': 'application/json' } : undefined,
  });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && !options.signingIn) {
    showAuth(false);
    throw new AuthRequired('sign in first');
  }
  if (!res.ok) {
    const problems = body && body.problems ? `: ${body.problems.join('; ')}` : '';
    throw new Error(`${(body && body.message) || `HTTP ${res.status}`}${problems}`);
  }
  return body;
}

// ---------- sign-in and first-run set-up ----------

function showAuth(needsSetup) {
  state.source?.close();
  state.source = null;
  $('#auth').hidden = false;
  $('#auth').dataset.mode = needsSetup ? 'setup' : 'login';
  $('#auth-title').textContent = needsSetup ? 'Set up the console' : 'Sign in';
  $('#auth-hint').textContent = needsSetup
    ? 'No account exists yet. Choose the user name and password of the first administrator (at least 10 characters), and enter the setup code the console printed in its log when it started.'
    : 'Sign in with your Vigil account.';
  $('#auth-password').autocomplete = needsSetup ? 'new-password' : 'current-password';
  $('#auth-password').minLength = needsSetup ? 10 : 1;
  $('#auth-submit').textContent = needsSetup ? 'Create administrator' : 'Sign in';
  $('#auth-setup-code').required = needsSetup;
  $('#auth-error').hidden = true;
  $('#auth-username').focus();
}

$('#auth-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const setup = $('#auth').dataset.mode === 'setup';
  const error = $('#auth-error');
  error.hidden = true;
  try {
    const body = await api(setup ? 'setup' : 'login', {
      method: 'POST',
      signingIn: true,
      body: JSON.stringify({
        username: $('#auth-username').value.trim(),
        password: $('#auth-password').value,
        ...(setup ? { setupCode: $('#auth-setup-code').value.trim() } : {}),
      }),
    });
    $('#auth-password').value = '';
    $('#auth').hidden = true;
    start(body.user);
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  }
});

$('#logout').addEventListener('click', async () => {
  await api('logout', { method: 'POST' }).catch(() => undefined);
  state.user = null;
  showAuth(false);
});

// ---------- formatting ----------

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

const where = (e) => [e.camera.name, e.camera.location, e.site].filter(Boolean).join(' · ');

// ---------- alert queue ----------

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
  const ex = event.explanation;
  li.querySelector('.explanation').textContent = ex ? ex.text : 'No explanation yet.';
  const action = li.querySelector('.suggested-action');
  action.hidden = !(ex && ex.suggestedAction);
  action.textContent = ex && ex.suggestedAction ? `Suggested action: ${ex.suggestedAction}` : '';
  const severity = li.querySelector('.badge.severity');
  severity.hidden = !(ex && ex.severity);
  severity.dataset.severity = (ex && ex.severity) || '';
  severity.textContent = ex && ex.severity ? ex.severity : '';
  li.querySelector('.explanation-source').textContent = ex
    ? ex.source === 'llm'
      ? `Explained by ${ex.model || 'LLM'}`
      : 'Explained from the scores (template)'
    : '';
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

function redraw() {
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

function upsert(event, isNew) {
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

// ---------- new-alert cue: sound and a flash ----------

function alertCue(kind) {
  const flash = $('#flash');
  flash.dataset.kind = kind;
  flash.classList.remove('on');
  void flash.offsetWidth;
  flash.classList.add('on');
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

// ---------- event detail ----------

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

function fillDetail(event) {
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
  const ex = event.explanation;
  $('#detail-explanation').textContent = ex ? ex.text : 'No explanation yet.';
  $('#detail-action').hidden = !(ex && ex.suggestedAction);
  $('#detail-action').textContent = ex && ex.suggestedAction ? `Suggested action: ${ex.suggestedAction}` : '';
  const source = ex
    ? ex.source === 'llm'
      ? `explained by ${ex.model || 'an LLM'}${ex.severity ? `, severity ${ex.severity}` : ''}`
      : 'explained from the scores'
    : '';
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

async function openDetail(id) {
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

// ---------- camera wall ----------

function renderCameras() {
  const wall = $('#camera-wall');
  const cams = [...state.cameras.values()].sort((a, b) => a.site.localeCompare(b.site) || a.name.localeCompare(b.name));
  const tpl = $('#camera-template');
  const cards = cams.map((c) => {
    const key = `${c.site}/${c.id}`;
    let card = wall.querySelector(`[data-camera="${CSS.escape(key)}"]`);
    if (!card) {
      card = tpl.content.firstElementChild.cloneNode(true);
      card.dataset.camera = key;
      card.querySelector('.live-toggle').addEventListener('click', () => toggleLive(key));
    }
    const cam = state.cameras.get(key);
    card.dataset.state = cam.state;
    card.querySelector('.camera-name').textContent = cam.name;
    card.querySelector('.camera-where').textContent = [cam.location, cam.site].filter(Boolean).join(' · ');
    card.querySelector('.camera-state').textContent = cam.state;
    const seen = cam.online ? `online · ${cam.fps ?? '–'} fps analysed` : cam.lastSeenAt ? `last seen ${relative(cam.lastSeenAt)}` : 'never seen';
    card.querySelector('.camera-seen').textContent = `${seen}${cam.reconnects ? ` · ${cam.reconnects} reconnects` : ''}`;
    const error = card.querySelector('.camera-error');
    error.hidden = !cam.lastError || cam.online;
    error.textContent = cam.lastError || '';
    const img = card.querySelector('.camera-picture');
    const live = card.dataset.live === 'true';
    const src = live && cam.live ? cam.live : cam.snapshot ? `${cam.snapshot}?t=${Math.floor(Date.now() / 10000)}` : '';
    if (src && img.getAttribute('src') !== src) img.src = src;
    img.alt = `${cam.name} ${live ? 'live view' : 'latest picture'}`;
    card.querySelector('.live-toggle').textContent = live ? 'Stop live' : 'Live';
    card.querySelector('.live-toggle').hidden = !cam.live || !cam.online;
    return card;
  });
  wall.replaceChildren(...cards);
  $('#cameras-empty').hidden = cams.length > 0;
  const down = cams.filter((c) => !c.online).length;
  $('#cameras-down').hidden = down === 0;
  $('#cameras-down').textContent = `${down} down`;
}

function toggleLive(key) {
  const card = $('#camera-wall').querySelector(`[data-camera="${CSS.escape(key)}"]`);
  card.dataset.live = String(card.dataset.live !== 'true');
  if (card.dataset.live !== 'true') card.querySelector('.camera-picture').removeAttribute('src');
  renderCameras();
}

function setView(view) {
  state.view = view;
  document.body.dataset.view = view;
  $('#view-alerts').hidden = view !== 'alerts';
  $('#view-cameras').hidden = view !== 'cameras';
  document.querySelectorAll('[data-view-button]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.viewButton === view)));
  if (view !== 'cameras') document.querySelectorAll('.camera-card[data-live="true"]').forEach((c) => toggleLive(c.dataset.camera));
  if (view === 'cameras') renderCameras();
}

// ---------- live connection ----------

function renderSites() {
  $('#sites').replaceChildren(
    ...Object.entries(state.sites).map(([site, online]) => {
      const span = document.createElement('span');
      span.className = 'site';
      span.dataset.online = String(online);
      span.textContent = `${site} ${online ? 'online' : 'offline'}`;
      return span;
    }),
  );
}

function setLive(s, text) {
  $('#live').dataset.state = s;
  $('#live-text').textContent = text;
}

async function load() {
  const [events, cameras] = await Promise.all([api('events?limit=500'), api('cameras')]);
  state.events = new Map(events.events.map((e) => [e.id, e]));
  for (const id of rows.keys()) if (!state.events.has(id)) rows.delete(id);
  state.sites = { ...state.sites, ...events.sites };
  state.cameras = new Map(cameras.cameras.map((c) => [`${c.site}/${c.id}`, c]));
  renderSites();
  redraw();
  renderCameras();
}

function connect() {
  state.source?.close();
  const source = new EventSource('api/stream');
  state.source = source;
  source.onopen = () => {
    setLive('live', 'Live');
    load().catch((err) => console.error('reload failed', err));
  };
  source.onerror = () => {
    setLive('down', 'Reconnecting…');
    // an expired session shows up as a failing stream: ask the server who we are
    api('session')
      .then((s) => !s.user && showAuth(s.needsSetup))
      .catch(() => undefined);
  };
  source.onmessage = (msg) => {
    const data = JSON.parse(msg.data);
    if (data.type === 'signed-out') {
      // the session ended (here or in another tab, or it expired): the server closed the stream
      source.close();
      api('session')
        .then((s) => showAuth(s.needsSetup))
        .catch(() => showAuth(false));
    } else if (data.type === 'hello' || data.type === 'site') {
      if (data.type === 'hello') Object.assign(state.sites, data.sites);
      else state.sites[data.site] = data.online;
      renderSites();
    } else if (data.type === 'event') {
      upsert(data.event, !state.events.has(data.event.id));
    } else if (data.type === 'camera') {
      state.cameras.set(`${data.camera.site}/${data.camera.id}`, data.camera);
      renderCameras();
    }
  };
}

function start(user) {
  state.user = user;
  document.body.dataset.role = user.role;
  $('#user').textContent = `${user.username} · ${user.role}`;
  load()
    .catch((err) => console.error('initial load failed', err))
    .finally(connect);
}

// ---------- controls ----------

document.querySelectorAll('[data-filter-kind]').forEach((chip) =>
  chip.addEventListener('click', () => {
    state.filters.kind = chip.dataset.filterKind;
    document.querySelectorAll('[data-filter-kind]').forEach((c) => c.setAttribute('aria-pressed', String(c === chip)));
    redraw();
  }),
);
$('#filter-state').addEventListener('change', (e) => ((state.filters.state = e.target.value), redraw()));
$('#filter-site').addEventListener('change', (e) => ((state.filters.site = e.target.value), redraw()));
$('#filter-camera').addEventListener('change', (e) => ((state.filters.camera = e.target.value), redraw()));
$('#filter-time').addEventListener('change', (e) => ((state.filters.seconds = Number(e.target.value) || 0), redraw()));
document.querySelectorAll('[data-view-button]').forEach((b) => b.addEventListener('click', () => setView(b.dataset.viewButton)));
$('#sound').addEventListener('click', (e) => {
  state.sound = !state.sound;
  e.currentTarget.setAttribute('aria-pressed', String(state.sound));
  e.currentTarget.textContent = state.sound ? 'Sound on' : 'Sound off';
  if (state.sound) alertCue('fall');
});
setInterval(() => {
  if (!state.user) return;
  redraw();
  if (state.view === 'cameras') renderCameras();
}, 30_000);

api('session')
  .then((s) => (s.user ? start(s.user) : showAuth(s.needsSetup)))
  .catch((err) => {
    if (!(err instanceof AuthRequired)) setLive('down', 'Console unreachable');
  });
