/* The emergency alarm: a flashing title and a short beep (sound needs a user gesture first). */

export const BASE_TITLE = "Akari 相談員コンソール";
export const ALERT_TITLES = ["【緊急】Akari", "【緊急】待っている人がいます"];
export const OVERDUE_TITLES = ["【至急】待ち時間が長くなっています", "【至急】Akari 相談員コンソール"];

let audio = null;
let flashTimer = null;

export function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) { return; }
  try {
    if (!audio) { audio = new Context(); }
    if (audio.state === "suspended") { audio.resume(); }
  } catch (e) { audio = null; }
}
document.addEventListener("pointerdown", unlockAudio, { passive: true });
document.addEventListener("keydown", unlockAudio);

function tone(start) {
  const osc = audio.createOscillator(), gain = audio.createGain();
  osc.type = "sine";
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
  osc.connect(gain);
  gain.connect(audio.destination);
  osc.start(start);
  osc.stop(start + 0.2);
}

function beep() {
  unlockAudio();
  if (!audio) { return; }
  try {
    const start = audio.currentTime + 0.01;
    tone(start);
    tone(start + 0.22);
  } catch (e) { /* no sound, the title and banner still show it */ }
}

/** Beep and flash the tab's title between `titles` until stopped. */
export function signal(titles) {
  beep();
  if (flashTimer) { clearInterval(flashTimer); flashTimer = null; }
  let i = 0;
  document.title = titles[0];
  flashTimer = setInterval(function () {
    i += 1;
    document.title = titles[i % titles.length];
  }, 1000);
}

export function stopFlashing() {
  if (flashTimer) { clearInterval(flashTimer); flashTimer = null; }
  document.title = BASE_TITLE;
}

export function isFlashing() { return flashTimer !== null; }
