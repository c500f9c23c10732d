// The learned peer: a small neural forecaster per series (TensorFlow.js on its WebAssembly
// backend), trained on the probation only, then asked for each later point what it expected from
// the 32 points before it and the time of day and week. Its error, in units of its training error,
// becomes a surprise (Gaussian tail), and the committed detector's rest period is applied, so the
// comparison is of the models, not of the alarm policy. Causal: point i is predicted from points
// before i by a model that saw only the probation.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Rest, restPointsFor, scoreOfSurprise } from '../../src/analyzer/detect/detector.js';
import { normalTail } from './peers.js';
import { probationOf, type LabelledSeries } from './series.js';

const LAGS = 32;
// Few epochs on purpose: the machine is shared, and more (40) did not change the ranking.
const EPOCHS = 15;

export async function useWasm(): Promise<string> {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  setWasmPaths(join(dirname(pkg), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
  return tf.getBackend();
}

function features(s: LabelledSeries, i: number, mean: number, sd: number): number[] {
  const row: number[] = [];
  for (let k = i - LAGS; k < i; k++) row.push((s.v[k]! - mean) / sd);
  const hour = (s.t[i]! / 3_600_000) % 24;
  const week = (s.t[i]! / 86_400_000) % 7;
  row.push(Math.sin((2 * Math.PI * hour) / 24), Math.cos((2 * Math.PI * hour) / 24), Math.sin((2 * Math.PI * week) / 7), Math.cos((2 * Math.PI * week) / 7));
  return row;
}

export async function learnedScores(s: LabelledSeries, seed: number): Promise<number[]> {
  const probation = probationOf(s.v.length);
  const train = s.v.slice(0, probation);
  const mean = train.reduce((a, b) => a + b, 0) / train.length;
  const sd = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length) || 1;
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = LAGS; i < probation; i++) {
    xs.push(features(s, i, mean, sd));
    ys.push((s.v[i]! - mean) / sd);
  }
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [LAGS + 4], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.005), loss: 'meanSquaredError' });
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys, [ys.length, 1]);
  await model.fit(x, y, { epochs: EPOCHS, batchSize: 64, shuffle: false, verbose: 0 });
  const trainPred = (model.predict(x) as tf.Tensor).dataSync();
  let mae = 0;
  for (let i = 0; i < ys.length; i++) mae += Math.abs(ys[i]! - trainPred[i]!);
  mae = Math.max(mae / ys.length, 1e-6);
  const all: number[][] = [];
  for (let i = LAGS; i < s.v.length; i++) all.push(features(s, i, mean, sd));
  const px = tf.tensor2d(all);
  const pred = (model.predict(px) as tf.Tensor).dataSync();
  tf.dispose([x, y, px]);
  model.dispose();
  const rest = new Rest(restPointsFor(probation));
  return s.v.map((v, i) => {
    if (i < LAGS) return 0;
    const z = ((v - mean) / sd - pred[i - LAGS]!) / (1.2533 * mae);
    const surprise = -Math.log10(Math.max(normalTail(z), 1e-300));
    return scoreOfSurprise(rest.admit(surprise).surprise);
  });
}
