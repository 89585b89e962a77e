// The camera wall: every camera's state and latest picture, live view on demand; and the view switch.
import { relative } from './format.js';
import { $, state } from './state.js';

export function renderCameras() {
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

export function setView(view) {
  state.view = view;
  document.body.dataset.view = view;
  $('#view-alerts').hidden = view !== 'alerts';
  $('#view-cameras').hidden = view !== 'cameras';
  document.querySelectorAll('[data-view-button]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.viewButton === view)));
  if (view !== 'cameras') document.querySelectorAll('.camera-card[data-live="true"]').forEach((c) => toggleLive(c.dataset.camera));
  if (view === 'cameras') renderCameras();
}
