// What the page knows: the signed-in user, events, cameras and sites, filters and the view.

export const state = {
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

export const $ = (sel) => document.querySelector(sel);

export const canOperate = () => state.user && (state.user.role === 'operator' || state.user.role === 'admin');
