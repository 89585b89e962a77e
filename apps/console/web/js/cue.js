// The new-alert cue: a flash of the kind's colour, and tones when sound is on.
import { $, state } from './state.js';

export function alertCue(kind) {
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
