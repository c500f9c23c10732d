// The analyzer's public entry (`local-first-telemetry/analyzer`, built to dist/analyzer/index.js):
// streaming anomaly detection for any series. docs/ALERTING.md ("Detectors") documents it.
export { createDetector, type Detector, type DetectorOptions } from './detect/detector.js';
export { createWatcher, type Finding, type FindingKind, type Watcher, type WatcherOptions } from './detect/watcher.js';
