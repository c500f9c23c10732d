// The SDK's experiment API: deterministic assignment from the anonymous id, and exposure events.
export { assignVariant, assignmentPoint, type VariantSpec } from './assignment.js';
export { EXPOSURE_EVENT, exposureContext, isValidExposure, trackExposure, type AppTracker } from './exposure.js';
