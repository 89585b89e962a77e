// Times, places, icons and explanations as every view writes them.

export const ICONS = {
  fall: '<svg viewBox="0 0 24 24"><circle cx="15.5" cy="4.5" r="2.2"/><path d="M13.6 8.2 9 10.4a1 1 0 0 0-.5 1.3l.3.6a1 1 0 0 0 1.3.5l2.3-1-1.6 4.1-4.6 1.4a1.1 1.1 0 0 0 .6 2.1l5.2-1.5a1 1 0 0 0 .7-.6l.7-1.8 2.4 2.3-.9 3.4a1.1 1.1 0 0 0 2.1.5l1.1-4a1 1 0 0 0-.3-1l-2.7-2.6 1.3-3.3 2.3 1.2a1 1 0 0 0 1-1.7l-4.5-2.6a1.6 1.6 0 0 0-1.6 0Z"/><rect x="3" y="20.5" width="18" height="1.5" rx=".75"/></svg>',
  fire: '<svg viewBox="0 0 24 24"><path d="M12 2c.5 3-1.2 4.6-2.7 6.3C7.8 10 6.5 11.7 6.5 14.5A5.5 5.5 0 0 0 12 20a5.5 5.5 0 0 0 5.5-5.5c0-2.6-1.3-4.6-2.6-5.9-.1 1.5-.8 2.7-2 3.3.4-3.9-.3-7.3-.9-9.9Z"/></svg>',
  smoke:
    '<svg viewBox="0 0 24 24"><path d="M7.5 19a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 18.5 9a4 4 0 0 1-.5 8H7.5Z" opacity=".9"/><path d="M9 6.5A3.5 3.5 0 0 1 15.3 5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>',
};
export const KIND_TITLES = { fall: 'Fall', fire: 'Fire', smoke: 'Smoke' };

export function formatTime(iso) {
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return sameDay ? time : `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

export function relative(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export const where = (e) => [e.camera.name, e.camera.location, e.site].filter(Boolean).join(' · ');

/** An event's explanation as the queue and the detail show it: text, suggested action, who wrote it, severity. */
export function explanationView(ex) {
  if (!ex) return { text: 'No explanation yet.', action: '', source: '', severity: '' };
  return {
    text: ex.text,
    action: ex.suggestedAction ? `Suggested action: ${ex.suggestedAction}` : '',
    source: ex.source === 'llm' ? `Explained by ${ex.model || 'an LLM'}` : 'Explained from the scores',
    severity: ex.severity || '',
  };
}
