// @ts-check
// Dashboard of the live digit recognizer. Plain browser JavaScript, no dependencies: it connects to the
// server's WebSocket (/ws, messages of @digits/protocol), reconnects on its own, and draws the level,
// a scrolling log-mel spectrogram, the last digit with its probabilities and the history; for a model that
// recognizes digit strings, also the number being said, the finished numbers and their copy buttons. Type-checked
// against @digits/protocol's message types (apps/live/tsconfig.dashboard.json), which only JSDoc names.
'use strict';

/** @typedef {import('@digits/protocol').ServerMessage} ServerMessage */
/** @typedef {import('@digits/protocol').HelloServerMessage} HelloServerMessage */
/** @typedef {import('@digits/protocol').LevelMessage} LevelMessage */
/** @typedef {import('@digits/protocol').SpeechMessage} SpeechMessage */
/** @typedef {import('@digits/protocol').PredictionMessage} PredictionMessage */
/** @typedef {import('@digits/protocol').DigitsMessage} DigitsMessage */
/** @typedef {import('@digits/protocol').SubscribableStream} SubscribableStream */
/** @typedef {import('@digits/protocol').SpectrogramMessage} SpectrogramMessage */
/** @typedef {import('@digits/protocol').StatusMessage} StatusMessage */
/** @typedef {import('@digits/protocol').EnrolStateMessage} EnrolStateMessage */
/** @typedef {import('@digits/protocol').EnrolTakeAudioMessage} EnrolTakeAudioMessage */
/** @typedef {import('@digits/protocol').EnrolDoneMessage} EnrolDoneMessage */
/** @typedef {import('@digits/protocol').ModelMessage} ModelMessage */
/**
 * A speech region on the spectrogram, in stream ms (`end` null while speech goes on), with its digit and
 * confidence once predicted (`digit` null: the recognizer declined).
 * @typedef {{ start: number, end: number | null, digit?: number | null, confidence?: number }} Region
 */

(function dashboard() {
  const PROTOCOL_VERSION = 3;
  /** Width of one spectrogram column on the canvas, in canvas pixels. */
  const COLUMN_PX = 3;
  /** Dynamic range shown by the spectrogram below its (slowly falling) running maximum, in dB. */
  const RANGE_DB = 70;
  /** Fall of the spectrogram's reference level per column when the sound gets quieter, in dB. */
  const REF_FALL_DB = 0.03;
  /** Rise of the noise-floor estimate per column, in dB (it falls at once to a quieter column). */
  const FLOOR_RISE_DB = 0.05;
  /** The colour scale's top stays at least this far above the noise floor, in dB. */
  const MIN_SPAN_DB = 60;
  const LEVEL_FLOOR_DB = -60;
  const HISTORY_MAX = 40;
  /** Finished numbers kept in the number panel's list. */
  const STRINGS_MAX = 20;
  /** A digit of a number below this confidence is marked as unsure (the recognizer's own threshold is the
   * server's; this only flags the digits worth a second look). */
  const LOW_CONFIDENCE = 0.6;
  /** How long a copy button says "Copied", in ms. */
  const COPIED_MS = 1600;
  /** The streams this page draws; 'digits' only for a model that recognizes strings. */
  /** @type {SubscribableStream[]} */
  const BASE_STREAMS = ['level', 'speech', 'prediction', 'spectrogram'];
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 5000;
  const PING_EVERY_MS = 10000;

  /** The page's element with this id (index.html has every one used here). @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** The page's canvas with this id. @param {string} id */
  const canvas = (id) => /** @type {HTMLCanvasElement} */ (document.getElementById(id));
  const el = {
    conn: $('connection'),
    connText: $('connection-text'),
    sourceChip: $('source-chip'),
    sourceText: $('source-text'),
    modelText: $('model-text'),
    digit: $('last-digit'),
    confidence: $('last-confidence'),
    time: $('last-time'),
    latency: $('last-latency'),
    speech: $('speech-indicator'),
    levelFill: $('level-fill'),
    levelPeak: $('level-peak'),
    levelValue: $('level-value'),
    bars: $('prob-bars'),
    spectro: canvas('spectrogram'),
    overlay: canvas('overlay'),
    spectroHint: $('spectro-hint'),
    history: $('history'),
    historyEmpty: $('history-empty'),
    sequence: $('sequence'),
    number: $('number'),
    numberCurrent: $('number-current'),
    numberStatus: $('number-status'),
    numberCopy: /** @type {HTMLButtonElement} */ ($('number-copy')),
    numberCount: $('number-count'),
    copyStatus: $('copy-status'),
    strings: $('strings'),
    stringsEmpty: $('strings-empty'),
    enrol: $('enrol'),
    enrolHint: $('enrol-hint'),
    modelBadge: $('model-badge'),
    enrolName: /** @type {HTMLInputElement} */ ($('enrol-name')),
    enrolTakesPerDigit: /** @type {HTMLSelectElement} */ ($('enrol-takes-per-digit')),
    enrolStart: /** @type {HTMLButtonElement} */ ($('enrol-start')),
    enrolFinish: /** @type {HTMLButtonElement} */ ($('enrol-finish')),
    enrolCancel: /** @type {HTMLButtonElement} */ ($('enrol-cancel')),
    prompt: $('enrol-prompt'),
    promptDigit: $('prompt-digit'),
    promptTake: $('prompt-take'),
    enrolProgressFill: $('enrol-progress-fill'),
    enrolProgressText: $('enrol-progress-text'),
    enrolTakes: $('enrol-takes'),
    personalBadge: $('personal-badge'),
    voiceSelect: /** @type {HTMLSelectElement} */ ($('voice-select')),
    usePersonal: /** @type {HTMLButtonElement} */ ($('use-personal')),
    useBase: /** @type {HTMLButtonElement} */ ($('use-base')),
    enrolError: $('enrol-error'),
    status: $('status-text'),
    overflow: $('overflow-text'),
    error: $('error-text'),
  };

  // ---------- formatting ----------
  /** @param {number} ms */
  function formatTime(ms) {
    const s = ms / 1000;
    const m = Math.floor(s / 60);
    return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
  }
  const pct = (/** @type {number} */ p) => `${Math.round(p * 100)}%`;

  // ---------- probability bars ----------
  /** @type {{ li: HTMLLIElement, fill: HTMLElement, pct: HTMLElement }[]} */
  const barRows = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    li.innerHTML = `<span class="label">${d}</span><span class="track"><span class="fill"></span></span><span class="pct">–</span>`;
    el.bars.appendChild(li);
    barRows.push({
      li,
      fill: /** @type {HTMLElement} */ (li.querySelector('.fill')),
      pct: /** @type {HTMLElement} */ (li.querySelector('.pct')),
    });
  }
  /** @param {number[]} probs */
  function showProbs(probs) {
    let top = 0;
    probs.forEach((p, d) => {
      if (p > probs[top]) top = d;
    });
    barRows.forEach((row, d) => {
      row.fill.style.width = `${(probs[d] * 100).toFixed(1)}%`;
      row.pct.textContent = probs[d] >= 0.995 ? '100%' : `${(probs[d] * 100).toFixed(1)}%`;
      row.li.classList.toggle('best', d === top);
    });
  }

  // ---------- level meter ----------
  let peakHold = { db: -Infinity, at: 0 };
  /** @param {LevelMessage} m */
  function showLevel(m) {
    const frac = (/** @type {number} */ db) => Math.max(0, Math.min(1, (db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB));
    el.levelFill.style.width = `${(frac(m.rmsDbfs) * 100).toFixed(1)}%`;
    el.levelFill.style.setProperty(
      '--track-width',
      `${/** @type {HTMLElement} */ (el.levelFill.parentElement).clientWidth}px`,
    );
    const peak = m.peakDbfs ?? m.rmsDbfs;
    const now = performance.now();
    if (peak >= peakHold.db || now - peakHold.at > 1200) peakHold = { db: peak, at: now };
    el.levelPeak.style.left = `calc(${(frac(peakHold.db) * 100).toFixed(1)}% - 2px)`;
    el.levelValue.textContent = `${m.rmsDbfs.toFixed(1)} dBFS rms · ${peak.toFixed(1)} peak`;
  }

  // ---------- spectrogram ----------
  /** 256 RGB entries of a magma-like colour map (dark purple -> orange -> pale yellow). */
  const LUT = (() => {
    const stops = [
      [0, 0, 4],
      [28, 16, 68],
      [79, 18, 123],
      [129, 37, 129],
      [181, 54, 122],
      [229, 80, 100],
      [251, 135, 97],
      [254, 194, 135],
      [252, 253, 191],
    ];
    const lut = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) {
      const x = (i / 255) * (stops.length - 1);
      const k = Math.min(stops.length - 2, Math.floor(x));
      const f = x - k;
      for (let c = 0; c < 3; c++) lut[i * 3 + c] = stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f;
    }
    return lut;
  })();
  const sctx = /** @type {CanvasRenderingContext2D} */ (el.spectro.getContext('2d', { alpha: false }));
  const octx = /** @type {CanvasRenderingContext2D} */ (el.overlay.getContext('2d'));
  sctx.fillStyle = 'rgb(0,0,4)';
  sctx.fillRect(0, 0, el.spectro.width, el.spectro.height);
  /**
   * @type {{ pending: { t: number, values: number[] }[], refDb: number, floorDb: number, lastT: number | null,
   *   hopMs: number, columns: number, drawQueued: boolean, fmaxHz: number }}
   */
  const spectro = {
    pending: [],
    refDb: -Infinity,
    floorDb: Infinity,
    lastT: null,
    hopMs: 23.2,
    columns: 0,
    drawQueued: false,
    fmaxHz: 0,
  };
  /** Speech regions in stream ms, labelled with their digit once predicted. */
  /** @type {Region[]} */
  let regions = [];

  /** @param {SpectrogramMessage} m */
  function queueColumns(m) {
    for (let i = 0; i < m.columns.length; i++) spectro.pending.push({ t: m.tMs + i * m.hopMs, values: m.columns[i] });
    spectro.hopMs = m.hopMs;
    scheduleDraw();
  }
  function scheduleDraw() {
    if (spectro.drawQueued) return;
    spectro.drawQueued = true;
    requestAnimationFrame(drawSpectrogram);
  }
  function drawSpectrogram() {
    spectro.drawQueued = false;
    const cols = spectro.pending.splice(0);
    const W = el.spectro.width;
    const H = el.spectro.height;
    if (cols.length > 0) {
      const shift = Math.min(W, cols.length * COLUMN_PX);
      sctx.drawImage(el.spectro, -shift, 0);
      const image = sctx.createImageData(COLUMN_PX, H);
      const start = Math.max(0, cols.length - Math.ceil(W / COLUMN_PX));
      for (let i = start; i < cols.length; i++) {
        const v = cols[i].values;
        let max = -Infinity;
        for (const x of v) if (x > max) max = x;
        // The top of the colour scale follows the loudest recent sound, but stays well above the noise
        // floor (the slowly rising minimum of column medians), so background noise stays dark.
        const median = [...v].sort((a, b) => a - b)[v.length >> 1];
        spectro.floorDb = Math.min(spectro.floorDb + FLOOR_RISE_DB, median);
        spectro.refDb = Math.max(spectro.refDb - REF_FALL_DB, max, spectro.floorDb + MIN_SPAN_DB);
        const lo = spectro.refDb - RANGE_DB;
        const n = v.length;
        for (let y = 0; y < H; y++) {
          const band = n - 1 - Math.floor((y * n) / H); // low bands at the bottom
          const level = Math.max(0, Math.min(255, Math.round(((v[band] - lo) / RANGE_DB) * 255)));
          for (let x = 0; x < COLUMN_PX; x++) {
            const o = (y * COLUMN_PX + x) * 4;
            image.data[o] = LUT[level * 3];
            image.data[o + 1] = LUT[level * 3 + 1];
            image.data[o + 2] = LUT[level * 3 + 2];
            image.data[o + 3] = 255;
          }
        }
        sctx.putImageData(image, W - (cols.length - i) * COLUMN_PX, 0);
      }
      spectro.lastT = cols[cols.length - 1].t;
      spectro.columns += cols.length;
      el.spectro.dataset.columns = String(spectro.columns);
      el.spectroHint.textContent = `${spectro.hopMs.toFixed(1)} ms per column · ${formatTime(spectro.lastT)}`;
    }
    drawOverlay();
  }
  /** Slaney mel of a frequency in Hz (librosa's default scale, as the features use). */
  /** @param {number} f */
  function hzToMel(f) {
    const fsp = 200 / 3;
    return f < 1000 ? f / fsp : 1000 / fsp + Math.log(f / 1000) / (Math.log(6.4) / 27);
  }
  /** Frequency labels at the left edge, placed on the mel axis. @param {number} W @param {number} H */
  function drawFrequencyAxis(W, H) {
    if (!spectro.fmaxHz) return;
    octx.font = '10.5px ui-monospace, monospace';
    octx.textAlign = 'left';
    octx.textBaseline = 'middle';
    for (const f of [250, 500, 1000, 2000, 4000, 8000]) {
      if (f > spectro.fmaxHz * 0.92) continue;
      const y = H - (hzToMel(f) / hzToMel(spectro.fmaxHz)) * H;
      octx.fillStyle = 'rgba(230,233,240,0.18)';
      octx.fillRect(0, Math.round(y), 10, 1);
      octx.fillRect(W - 10, Math.round(y), 10, 1);
      octx.fillStyle = 'rgba(230,233,240,0.55)';
      octx.fillText(f >= 1000 ? `${f / 1000}k` : String(f), 13, y);
    }
  }
  /** x on the canvas of stream time t (ms), or null before the first column. @param {number} t */
  function xOf(t) {
    if (spectro.lastT === null) return null;
    return el.spectro.width - COLUMN_PX / 2 - ((spectro.lastT - t) / spectro.hopMs) * COLUMN_PX;
  }
  function drawOverlay() {
    const W = el.overlay.width;
    const H = el.overlay.height;
    octx.clearRect(0, 0, W, H);
    drawFrequencyAxis(W, H);
    regions = regions.filter((r) => r.end === null || (xOf(r.end) ?? W) > -80);
    for (const r of regions) {
      const x0 = xOf(r.start);
      if (x0 === null) continue;
      // Not null: x0 is not, so there is a column.
      const x1 = r.end === null ? W : /** @type {number} */ (xOf(r.end));
      octx.fillStyle = r.digit === undefined ? 'rgba(82,227,194,0.10)' : 'rgba(124,156,255,0.10)';
      octx.fillRect(x0, 0, Math.max(2, x1 - x0), H);
      octx.fillStyle = r.digit === undefined ? 'rgba(82,227,194,0.9)' : 'rgba(124,156,255,0.9)';
      octx.fillRect(x0, 0, Math.max(2, x1 - x0), 4);
      if (r.digit !== undefined) {
        const label = r.digit === null ? '?' : String(r.digit);
        octx.font = '600 34px system-ui, sans-serif';
        octx.textAlign = 'center';
        octx.textBaseline = 'top';
        octx.fillStyle = 'rgba(0,0,0,0.55)';
        octx.fillText(label, (x0 + x1) / 2 + 1, 13);
        octx.fillStyle = r.digit === null ? '#ffb454' : '#ffffff';
        octx.fillText(label, (x0 + x1) / 2, 12);
        octx.font = '12px ui-monospace, monospace';
        octx.fillStyle = 'rgba(230,233,240,0.75)';
        octx.fillText(pct(/** @type {number} */ (r.confidence)), (x0 + x1) / 2, 50);
      }
    }
  }

  // ---------- predictions ----------
  /** @param {PredictionMessage} p @param {boolean} replayed */
  function showPrediction(p, replayed) {
    const known = p.digit !== null;
    el.digit.textContent = known ? String(p.digit) : '?';
    el.digit.dataset.digit = known ? String(p.digit) : 'none';
    el.digit.className = `digit ${known ? 'known' : 'unsure'}`;
    if (!replayed) {
      void el.digit.offsetWidth;
      el.digit.classList.add('flash');
    }
    el.confidence.textContent = pct(p.confidence);
    el.time.textContent = formatTime(p.startMs);
    el.latency.textContent = replayed ? '–' : `${Math.round(p.latencyMs)} ms`;
    showProbs(p.probs);

    const li = document.createElement('li');
    li.className = known ? '' : 'unsure';
    li.innerHTML = `<div class="h-digit"></div><div class="h-meta"></div>`;
    /** @type {ChildNode} */ (li.firstChild).textContent = known ? String(p.digit) : '?';
    /** @type {ChildNode} */ (li.lastChild).textContent = `${formatTime(p.startMs)} · ${pct(p.confidence)}`;
    el.history.prepend(li);
    while (el.history.children.length > HISTORY_MAX) /** @type {ChildNode} */ (el.history.lastChild).remove();
    el.historyEmpty.hidden = true;
    const digits = [...el.history.querySelectorAll('li:not(.unsure) .h-digit')]
      .slice(0, 16)
      .reverse()
      .map((d) => d.textContent);
    el.sequence.textContent = digits.join(' ');

    // A string model hears several digits in one stretch of speech: each digit is labelled on its own span.
    let region =
      recognizes === 'strings'
        ? undefined
        : regions.find((r) => r.start <= p.endMs + 50 && (r.end === null || r.end >= p.startMs - 50));
    if (!region) {
      region = { start: p.startMs, end: p.endMs };
      regions.push(region);
    }
    region.digit = p.digit;
    region.confidence = p.confidence;
    if (region.end === null) region.end = p.endMs;
    scheduleDraw();
    if (!replayed) addStringDigit(p);
  }

  // ---------- digit strings ----------
  /** What the model hears (hello's model.recognizes; absent means one digit per utterance). */
  let recognizes = 'digit';
  /** Digits of the number being said: the predictions since the last `digits` message. */
  let heardDigits = 0;
  /** The last finished number's digits, for the panel's copy button. */
  let lastText = '';
  const REASONS = /** @type {const} */ ({ pause: 'pause', 'max-length': 'longest number reached', end: 'audio ended' });

  /** Shows or hides the number panel (the page's layout follows body[data-recognizes]). @param {string} what */
  function setRecognizes(what) {
    recognizes = what === 'strings' ? 'strings' : 'digit';
    document.body.dataset.recognizes = recognizes;
    el.number.hidden = recognizes !== 'strings';
  }

  /**
   * One digit of a number as a span: low-confidence digits are marked (colour, underline and, for screen
   * readers, the word "unsure"). @param {number | null} digit @param {number} confidence
   */
  function digitSpan(digit, confidence) {
    const span = document.createElement('span');
    const low = digit === null || confidence < LOW_CONFIDENCE;
    span.className = low ? 'nd low' : 'nd';
    span.textContent = digit === null ? '?' : String(digit);
    span.title = `${digit === null ? 'not recognised' : `digit ${digit}`}, confidence ${pct(confidence)}`;
    span.dataset.confidence = confidence.toFixed(3);
    if (low) {
      const note = document.createElement('span');
      note.className = 'sr-only';
      note.textContent = ' (unsure)';
      span.appendChild(note);
    }
    return span;
  }

  /** A digit of the number being said: appended as its prediction arrives. @param {PredictionMessage} p */
  function addStringDigit(p) {
    if (recognizes !== 'strings') return;
    if (el.number.dataset.state !== 'building') {
      el.numberCurrent.textContent = '';
      el.numberCurrent.dataset.text = '';
      heardDigits = 0;
      el.number.dataset.state = 'building';
      el.numberCopy.disabled = true;
    }
    const span = digitSpan(p.digit, p.confidence);
    span.classList.add('new');
    el.numberCurrent.appendChild(span);
    heardDigits += 1;
    el.numberStatus.textContent = `hearing a number… ${heardDigits} digit${heardDigits === 1 ? '' : 's'}`;
  }

  /** The finished number, grouped as spoken, with a group gap for each space. @param {DigitsMessage} m */
  function groupedSpans(m) {
    const frag = document.createDocumentFragment();
    let i = 0;
    for (const ch of m.grouped) {
      if (ch === ' ') {
        const gap = document.createElement('span');
        gap.className = 'gap';
        gap.textContent = ' ';
        frag.appendChild(gap);
      } else {
        const d = m.digits[i++];
        frag.appendChild(digitSpan(d ? d.digit : Number(ch), d ? d.confidence : 1));
      }
    }
    return frag;
  }

  /**
   * A number has ended (or is replayed after hello): shown grouped, copyable, and added to the list.
   * @param {DigitsMessage} m @param {boolean} replayed
   */
  function showDigits(m, replayed) {
    // Numbers replayed from an earlier string model mean nothing to this one-digit model's page.
    if (replayed && recognizes !== 'strings') return;
    if (recognizes !== 'strings') setRecognizes('strings');
    el.numberCurrent.textContent = '';
    heardDigits = 0;
    const why = m.reason === 'pause' ? '' : ` · ${REASONS[m.reason]}`;
    if (m.text === '') {
      // Speech with no digit in it: nothing to keep.
      el.number.dataset.state = 'empty';
      el.numberCurrent.innerHTML = '<span class="number-placeholder">–</span>';
      el.numberStatus.textContent = `heard speech, but no digit${why}`;
      el.numberCopy.disabled = true;
      return;
    }
    el.number.dataset.state = 'done';
    el.numberCurrent.appendChild(groupedSpans(m));
    // Restart the "settled" animation (a reflow between removing and adding the class).
    el.numberCurrent.classList.remove('settle');
    void el.numberCurrent.offsetWidth;
    el.numberCurrent.classList.add('settle');
    el.numberCurrent.dataset.text = m.text;
    lastText = m.text;
    const n = m.digits.length;
    el.numberStatus.textContent = `${n} digit${n === 1 ? '' : 's'}${why}${replayed ? '' : ` · ${Math.round(m.latencyMs)} ms after the last`}`;
    el.numberCopy.disabled = false;
    el.numberCopy.setAttribute('aria-label', `Copy the number ${m.grouped}`);
    resetCopyButton(el.numberCopy);

    const li = document.createElement('li');
    li.className = 'string';
    li.dataset.text = m.text;
    li.dataset.reason = m.reason;
    const num = document.createElement('span');
    num.className = 's-number';
    num.appendChild(groupedSpans(m));
    const meta = document.createElement('span');
    meta.className = 's-meta';
    const time = document.createElement('time');
    if (replayed) {
      // Heard before this page connected: its wall-clock time is not known here, its stream time is.
      time.textContent = formatTime(m.startMs);
      time.title = `stream time ${formatTime(m.startMs)}–${formatTime(m.endMs)}, heard before this page connected`;
    } else {
      const now = new Date();
      time.dateTime = now.toISOString();
      time.textContent = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      time.title = `stream time ${formatTime(m.startMs)}–${formatTime(m.endMs)}`;
    }
    meta.append(time, ` · ${n} digit${n === 1 ? '' : 's'}`);
    if (m.reason !== 'pause') {
      const reason = document.createElement('span');
      reason.className = 's-reason';
      reason.textContent = REASONS[m.reason];
      meta.append(' · ', reason);
    }
    // The line may be cut short on a narrow screen: the whole of it on hover.
    meta.title = meta.textContent ?? '';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'btn small copy';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', `Copy ${m.grouped}`);
    copy.addEventListener('click', () => void copyNumber(copy, m.text, num));
    li.append(num, meta, copy);
    el.strings.prepend(li);
    while (el.strings.children.length > STRINGS_MAX) /** @type {ChildNode} */ (el.strings.lastChild).remove();
    el.stringsEmpty.hidden = true;
    el.numberCount.textContent = `(${el.strings.children.length})`;
  }

  /** Copies `value` to the clipboard: the Clipboard API where the page may use it (a secure context such as
   * localhost), else a selected textarea and execCommand (plain http on a LAN address). @param {string} value */
  async function copyToClipboard(value) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(value);
        return true;
      } catch {
        // Refused (no permission, page not focused): try the old way.
      }
    }
    const area = document.createElement('textarea');
    area.value = value;
    area.setAttribute('readonly', '');
    area.className = 'copy-buffer';
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  const copyTimers = new WeakMap();
  /** @param {HTMLButtonElement} button */
  function resetCopyButton(button) {
    clearTimeout(copyTimers.get(button));
    button.textContent = 'Copy';
    delete button.dataset.copied;
  }

  /**
   * Copies a number and says so on its button ("Copied"); when the browser refuses, the number is selected
   * for Ctrl+C instead. @param {HTMLButtonElement} button @param {string} value @param {HTMLElement} shown
   */
  async function copyNumber(button, value, shown) {
    const ok = await copyToClipboard(value);
    button.focus();
    clearTimeout(copyTimers.get(button));
    button.dataset.copied = String(ok);
    button.textContent = ok ? 'Copied' : 'Press Ctrl+C';
    el.copyStatus.textContent = ok ? `Copied ${value}` : 'Copying was refused: the number is selected, press Ctrl+C';
    if (!ok) {
      const range = document.createRange();
      range.selectNodeContents(shown);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    copyTimers.set(
      button,
      setTimeout(() => resetCopyButton(button), COPIED_MS),
    );
  }
  el.numberCopy.addEventListener('click', () => void copyNumber(el.numberCopy, lastText, el.numberCurrent));

  /** @param {SpeechMessage} m */
  function showSpeech(m) {
    el.speech.dataset.active = String(m.state === 'start');
    if (m.state === 'start') regions.push({ start: m.tMs, end: null });
    else {
      const open = [...regions].reverse().find((r) => r.end === null);
      if (open) open.end = m.tMs;
    }
    scheduleDraw();
  }

  // ---------- status, hello, errors ----------
  /** @param {HelloServerMessage} m */
  function showHello(m) {
    const src = m.source;
    el.sourceText.textContent = `${src.kind} · ${src.description}`;
    el.sourceChip.title = `audio source: ${src.description} (${src.sampleRate} Hz)`;
    const rate = Number(m.featureConfig.sampleRate) || src.sampleRate;
    spectro.fmaxHz = Math.min(src.sampleRate, rate) / 2;
    scheduleDraw();
    const metrics = /** @type {Record<string, number>} */ (m.model.metrics || {});
    const acc = metrics.accuracy ?? metrics.test_accuracy ?? metrics.acc;
    el.modelText.textContent = m.model.voice
      ? `${m.model.voice} · personal`
      : `${m.model.name}${acc !== undefined ? ` · ${(acc * 100).toFixed(1)}% acc` : ''}`;
    /** @type {HTMLElement} */ (el.modelText.parentElement).title =
      `model ${m.model.name}${m.model.params ? `, ${m.model.params.toLocaleString()} parameters` : ''}; features ${JSON.stringify(m.featureConfig)}`;
    // A (re)connection replays recent predictions and finished numbers: start both lists afresh.
    el.history.textContent = '';
    el.historyEmpty.hidden = false;
    regions = [];
    el.strings.textContent = '';
    el.stringsEmpty.hidden = false;
    el.numberCount.textContent = '';
    setRecognizes(m.model.recognizes ?? 'digit');
    if (el.number.dataset.state === 'building') {
      el.number.dataset.state = 'idle';
      el.numberCurrent.innerHTML = '<span class="number-placeholder">–</span>';
      el.numberStatus.textContent = 'listening…';
    }
    // Ask for the finished numbers only from a model that makes them.
    send({ type: 'subscribe', want: recognizes === 'strings' ? [...BASE_STREAMS, 'digits'] : BASE_STREAMS });
  }
  /** @param {StatusMessage} m */
  function showStatus(m) {
    el.sourceChip.dataset.state = m.state;
    el.status.textContent = `source ${m.state}${m.detail ? ` — ${m.detail}` : ''}`;
    el.overflow.textContent = m.overflows ? `${m.overflows} input overflow${m.overflows === 1 ? '' : 's'}` : '';
  }
  let errorTimer = 0;
  /** @param {string} text */
  function showError(text) {
    el.error.textContent = text;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => {
      el.error.textContent = '';
    }, 8000);
  }

  /** @param {ServerMessage} m */
  function handle(m) {
    switch (m.type) {
      case 'hello':
        return showHello(m);
      case 'level':
        return showLevel(m);
      case 'speech':
        return showSpeech(m);
      case 'prediction':
        return showPrediction(m, replaying);
      case 'digits':
        return showDigits(m, replaying);
      case 'spectrogram':
        return queueColumns(m);
      case 'status':
        return showStatus(m);
      case 'error':
        return showError(m.message);
      case 'pong':
        return undefined;
      case 'enrol-state':
        return showEnrolState(m);
      case 'enrol-take-audio':
        return playTake(m);
      case 'enrol-done':
        return showEnrolDone(m);
      case 'enrol-error':
        return showEnrolError(m.message);
      case 'model':
        return showModel(m);
      default:
        return undefined;
    }
  }

  // ---------- enrol my voice ----------
  /** The latest model message from the server. */
  /** @type {ModelMessage | null} */
  let modelState = null;
  /** @type {AudioContext | null} */
  let audioContext = null;
  /** What the last done enrolment said, for the hint. */
  let lastDone = '';

  /** Sends a client message when connected. @param {object} message */
  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  /** The take slot element of (digit, take), if shown. @param {number} digit @param {number} take */
  function takeSlot(digit, take) {
    return /** @type {HTMLElement | null} */ (
      el.enrolTakes.querySelector(`.take[data-digit="${digit}"][data-take="${take}"]`)
    );
  }

  /** A take's thumbnail: its peak envelope as mirrored bars. @param {HTMLCanvasElement} c @param {number[]} env @param {string} colour */
  function drawThumbnail(c, env, colour) {
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
    const W = c.width;
    const H = c.height;
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = 'rgba(134,144,166,0.25)';
    ctx.fillRect(0, H / 2, W, 1);
    if (env.length === 0) return;
    const bw = W / env.length;
    ctx.fillStyle = colour;
    env.forEach((v, i) => {
      const h = Math.max(1, v * (H - 4));
      ctx.fillRect(i * bw + 0.5, (H - h) / 2, Math.max(1, bw - 1), h);
    });
  }

  /** Builds the 10 x N take slots (once per session shape). @param {number} perDigit */
  function buildTakeGrid(perDigit) {
    if (el.enrolTakes.dataset.perDigit === String(perDigit)) return;
    el.enrolTakes.dataset.perDigit = String(perDigit);
    el.enrolTakes.textContent = '';
    for (let d = 0; d < 10; d++) {
      const col = document.createElement('li');
      col.className = 'takes-col';
      const head = document.createElement('div');
      head.className = 'col-digit';
      head.textContent = String(d);
      col.appendChild(head);
      for (let t = 1; t <= perDigit; t++) {
        const slot = document.createElement('div');
        slot.className = 'take';
        slot.dataset.digit = String(d);
        slot.dataset.take = String(t);
        slot.dataset.state = 'empty';
        slot.innerHTML =
          '<canvas width="120" height="34"></canvas><div class="take-row"><span class="take-len">–</span>' +
          '<button class="icon-btn play" type="button">▶</button><button class="icon-btn redo" type="button">↻</button></div>';
        const play = /** @type {HTMLButtonElement} */ (slot.querySelector('.play'));
        const redo = /** @type {HTMLButtonElement} */ (slot.querySelector('.redo'));
        play.setAttribute('aria-label', `play take ${t} of ${d}`);
        redo.setAttribute('aria-label', `redo take ${t} of ${d}`);
        play.addEventListener('click', () => {
          ensureAudio();
          send({ type: 'enrol-play', digit: d, take: t });
        });
        redo.addEventListener('click', () => send({ type: 'enrol-redo', digit: d, take: t }));
        col.appendChild(slot);
      }
      el.enrolTakes.appendChild(col);
    }
  }

  /** @param {EnrolStateMessage} m */
  function showEnrolState(m) {
    const mode = !m.active ? 'idle' : m.training ? 'training' : 'recording';
    el.enrol.dataset.mode = mode;
    if (!m.active) {
      el.enrolHint.textContent = lastDone || 'teach it how you say the digits';
      el.enrolTakes.dataset.perDigit = '';
      return;
    }
    buildTakeGrid(m.takesPerDigit);
    const total = 10 * m.takesPerDigit;
    const byKey = new Map(m.takes.map((t) => [`${t.digit}:${t.take}`, t]));
    for (const slot of /** @type {NodeListOf<HTMLElement>} */ (el.enrolTakes.querySelectorAll('.take'))) {
      const d = Number(slot.dataset.digit);
      const t = Number(slot.dataset.take);
      const take = byKey.get(`${d}:${t}`);
      const prompted = m.prompt !== null && m.prompt.digit === d && m.prompt.take === t;
      slot.dataset.state = prompted ? 'prompt' : !take ? 'empty' : take.problem ? 'problem' : 'ok';
      const len = /** @type {HTMLElement} */ (slot.querySelector('.take-len'));
      len.textContent = take ? (take.problem ? `⚠ ${take.problem}` : `${(take.durationMs / 1000).toFixed(2)} s`) : '–';
      slot.title = take?.problem ? `take ${t} of ${d}: ${take.problem} — redo it` : `take ${t} of ${d}`;
      const canvasEl = /** @type {HTMLCanvasElement} */ (slot.querySelector('canvas'));
      drawThumbnail(canvasEl, take ? take.thumbnail : [], take?.problem ? '#ffb454' : '#52e3c2');
      /** @type {HTMLButtonElement} */ (slot.querySelector('.play')).disabled = !take;
      /** @type {HTMLButtonElement} */ (slot.querySelector('.redo')).disabled = !take || !!m.training;
    }
    const usable = new Set(m.takes.filter((t) => !t.problem).map((t) => t.digit));
    if (m.training) {
      const frac = m.training.total > 0 ? m.training.done / m.training.total : 0;
      el.prompt.dataset.state = 'training';
      el.promptDigit.textContent = 'Training…';
      el.promptTake.textContent = `${pct(frac)}`;
      el.enrolProgressFill.style.width = `${(frac * 100).toFixed(1)}%`;
      el.enrolProgressText.textContent = `training your model: step ${m.training.done} of ${m.training.total}`;
    } else {
      el.enrolProgressFill.style.width = `${((m.takes.length / total) * 100).toFixed(1)}%`;
      el.enrolProgressText.textContent = `${m.takes.length} of ${total} takes`;
      if (m.prompt) {
        el.prompt.dataset.state = 'prompt';
        el.prompt.dataset.redo = String(m.prompt.redo);
        el.promptDigit.textContent = String(m.prompt.digit);
        el.promptTake.textContent = `${m.prompt.redo ? 'again — ' : ''}take ${m.prompt.take} of ${m.takesPerDigit}`;
      } else {
        el.prompt.dataset.state = 'done';
        el.prompt.dataset.redo = 'false';
        el.promptDigit.textContent = 'All takes in';
        el.promptTake.textContent = usable.size === 10 ? 'train your model' : 'redo the takes marked ⚠';
      }
    }
    el.enrolHint.textContent = `voice “${m.name}”`;
    el.enrolFinish.disabled = !!m.training || usable.size < 10;
    el.enrolCancel.textContent = m.training ? 'Stop training' : 'Cancel';
  }

  /** @param {ModelMessage} m */
  function showModel(m) {
    modelState = m;
    const personal = m.active === 'personal';
    el.modelBadge.dataset.active = m.active;
    el.modelBadge.dataset.switching = String(!!m.switching);
    el.modelBadge.textContent = m.switching
      ? 'switching model…'
      : personal
        ? `Personal model: ${m.name}`
        : 'Base model';
    el.personalBadge.hidden = !personal;
    el.personalBadge.textContent = personal ? `Personal model: ${m.name} (active)` : '';
    el.useBase.hidden = !personal;
    el.useBase.disabled = !!m.switching;
    const choices = m.voices.filter((v) => !(personal && v === m.name));
    el.voiceSelect.hidden = choices.length < 2;
    const previous = el.voiceSelect.value;
    el.voiceSelect.textContent = '';
    for (const v of choices) {
      const option = document.createElement('option');
      option.textContent = v;
      option.value = v;
      el.voiceSelect.appendChild(option);
    }
    if (choices.includes(previous)) el.voiceSelect.value = previous;
    el.usePersonal.hidden = choices.length === 0;
    el.usePersonal.disabled = !!m.switching;
    el.usePersonal.textContent = choices.length === 1 ? `Use personal model: ${choices[0]}` : 'Use personal model';
    el.modelText.textContent = personal ? `${m.name} · personal` : m.name;
    document.body.dataset.model = m.active;
  }

  /** The AudioContext, created on a click (browsers allow sound only after a gesture). */
  function ensureAudio() {
    if (!audioContext) {
      try {
        audioContext = new AudioContext();
      } catch {
        audioContext = null;
      }
    }
    void audioContext?.resume();
    return audioContext;
  }

  /** Plays a take (16-bit PCM, base64) through WebAudio. @param {EnrolTakeAudioMessage} m */
  function playTake(m) {
    const bytes = Uint8Array.from(atob(m.pcm), (c) => c.charCodeAt(0));
    const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
    const slot = takeSlot(m.digit, m.take);
    if (slot) slot.dataset.played = String(Math.round((pcm.length / m.sampleRate) * 1000));
    const ctx = ensureAudio();
    if (!ctx || pcm.length === 0) return;
    const buffer = ctx.createBuffer(1, pcm.length, m.sampleRate);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 32768;
    const node = ctx.createBufferSource();
    node.buffer = buffer;
    node.connect(ctx.destination);
    if (slot) slot.dataset.playing = 'true';
    node.onended = () => {
      if (slot) slot.dataset.playing = 'false';
    };
    node.start();
  }

  /** @param {EnrolDoneMessage} m */
  function showEnrolDone(m) {
    const rejected = m.rejected.length > 0 ? `, ${m.rejected.length} take(s) left out` : '';
    lastDone = `voice “${m.voice}” trained in ${m.seconds.toFixed(1)} s on ${m.takesUsed} takes (${m.method})${rejected}`;
    el.enrolHint.textContent = lastDone;
  }

  let enrolErrorTimer = 0;
  /** @param {string} text */
  function showEnrolError(text) {
    el.enrolError.textContent = text;
    showError(text);
    clearTimeout(enrolErrorTimer);
    enrolErrorTimer = setTimeout(() => {
      el.enrolError.textContent = '';
    }, 10000);
  }

  el.enrolStart.addEventListener('click', () => {
    // Voice names are folder names: lower case (what is typed in capitals is simply lowered).
    const name = el.enrolName.value.trim().toLowerCase();
    if (!/^[a-z0-9_-]{1,40}$/.test(name)) {
      showEnrolError('a voice name is 1-40 letters, digits, "-" or "_"');
      return;
    }
    el.enrolError.textContent = '';
    send({ type: 'enrol-start', name, takesPerDigit: Number(el.enrolTakesPerDigit.value) });
  });
  el.enrolFinish.addEventListener('click', () => send({ type: 'enrol-finish' }));
  el.enrolCancel.addEventListener('click', () => send({ type: 'enrol-cancel' }));
  el.useBase.addEventListener('click', () => send({ type: 'use-model', which: 'base' }));
  el.usePersonal.addEventListener('click', () => {
    const voice = el.voiceSelect.hidden ? modelState?.voices.find((v) => v !== modelState?.name) : el.voiceSelect.value;
    send(voice ? { type: 'use-model', which: 'personal', voice } : { type: 'use-model', which: 'personal' });
  });

  // ---------- connection ----------
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  /** @type {WebSocket | null} */
  let ws = null;
  let retryMs = RECONNECT_MIN_MS;
  let pingTimer = 0;
  /** Predictions and numbers right after hello are the server's replay of recent ones. */
  let replaying = false;

  /** @param {string} state @param {string} text */
  function setConnection(state, text) {
    el.conn.dataset.state = state;
    el.connText.textContent = text;
    document.body.dataset.connection = state;
  }

  function connect() {
    setConnection('connecting', 'connecting…');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      retryMs = RECONNECT_MIN_MS;
      setConnection('open', 'connected');
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
      clearInterval(pingTimer);
      pingTimer = setInterval(
        () => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: 'ping' })),
        PING_EVERY_MS,
      );
    };
    socket.onmessage = (ev) => {
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!m || typeof m.type !== 'string') return;
      if (m.type === 'hello') replaying = true;
      else if (m.type !== 'status' && m.type !== 'prediction' && m.type !== 'digits') replaying = false;
      handle(m);
    };
    socket.onclose = (ev) => {
      clearInterval(pingTimer);
      if (ws !== socket) return;
      if (ev.code === 4401) {
        setConnection('closed', 'unauthorized — open the URL with its token');
        return;
      }
      const wait = retryMs;
      retryMs = Math.min(RECONNECT_MAX_MS, retryMs * 2);
      let left = Math.ceil(wait / 1000);
      setConnection('waiting', `reconnecting in ${left} s`);
      const countdown = setInterval(() => {
        left -= 1;
        if (left > 0) setConnection('waiting', `reconnecting in ${left} s`);
      }, 1000);
      setTimeout(() => {
        clearInterval(countdown);
        connect();
      }, wait);
    };
  }

  setRecognizes('digit');
  showProbs(new Array(10).fill(0));
  barRows.forEach((row) => {
    row.pct.textContent = '–';
    row.li.classList.remove('best');
  });
  connect();
})();
