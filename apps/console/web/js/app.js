// Vigil operator console: signs in, lists events from /api/events, keeps them live over /api/stream (SSE),
// shows an event's snapshot, clip, score timeline and explanation, and the camera wall from /api/cameras.
import { api, AuthRequired } from './api.js';
import { initAuth, showAuth } from './auth.js';
import { renderCameras, setView } from './cameras.js';
import { alertCue } from './cue.js';
import { initDetail } from './detail.js';
import { setLive, start } from './live.js';
import { redraw } from './queue.js';
import { $, state } from './state.js';

initAuth(start);
initDetail();

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
