export type { LightChallenge } from './challenge.js';
export { createLightChallenge } from './challenge.js';
export { CONFIDENCE_WEIGHTS } from './confidence.js';
export { decodeClientFrame, encodeClientFrame, encodeEvent } from './event-stream.js';
export type { AnalysisLimits, FrameAnalyzer } from './recording-analysis.js';
export { DEFAULT_ANALYSIS_LIMITS } from './recording-analysis.js';
export type {
  LivenessResult,
  LivenessSession,
  LivenessSessionStatus,
  LivenessSessions,
} from './sessions.js';
export {
  InMemoryLivenessSessions,
  SESSION_LIFETIME_MS,
  SessionUnavailableError,
} from './sessions.js';
export type { StreamLimits, StreamLogger } from './stream-connection.js';
export { DEFAULT_STREAM_LIMITS } from './stream-connection.js';
export type { LivenessStream, LivenessStreamOptions } from './websocket-route.js';
export { attachLivenessStream, createLivenessStream, ROUTE_SUFFIX } from './websocket-route.js';
