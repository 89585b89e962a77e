// The live connection: loads events and cameras, then follows /api/stream (server-sent events).
import { api } from './api.js';
import { showAuth } from './auth.js';
import { renderCameras } from './cameras.js';
import { forgetRows, redraw, upsert } from './queue.js';
import { $, state } from './state.js';

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

export function setLive(s, text) {
  $('#live').dataset.state = s;
  $('#live-text').textContent = text;
}

async function load() {
  const [events, cameras] = await Promise.all([api('events?limit=500'), api('cameras')]);
  state.events = new Map(events.events.map((e) => [e.id, e]));
  forgetRows();
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

export function start(user) {
  state.user = user;
  document.body.dataset.role = user.role;
  $('#user').textContent = `${user.username} · ${user.role}`;
  load()
    .catch((err) => console.error('initial load failed', err))
    .finally(connect);
}
