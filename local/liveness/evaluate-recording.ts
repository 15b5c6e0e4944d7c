import type { BoundingBox } from '@aws-sdk/client-rekognition';
import type { FaceAnalysis, PixelBox } from '../face-engine/index.js';
import { CHALLENGE_TYPE, CHALLENGE_VERSION, type LightChallenge } from './challenge.js';
import { skinColour } from './colour-grid.js';
import { decide } from './confidence.js';
import { checkFaces, countedFaces } from './face-checks.js';
import { type ColourShown, checkLightResponse, type SkinSample } from './light-check.js';
import type { AnalysedFrame, Evidence } from './recording-analysis.js';
import type { LivenessResult } from './sessions.js';

/** What the client told the server during the stream, as far as the checks use it. */
export interface ClientReport {
  readonly videoStartMs: number | undefined;
  readonly shown: readonly ColourShown[];
}

const largest = (faces: readonly FaceAnalysis[]) =>
  [...faces].sort((a, b) => b.box.width - a.box.width)[0];

function lerpBox(a: PixelBox, b: PixelBox, t: number): PixelBox {
  const mix = (x: number, y: number) => x + (y - x) * t;
  return {
    left: mix(a.left, b.left),
    top: mix(a.top, b.top),
    width: mix(a.width, b.width),
    height: mix(a.height, b.height),
  };
}

/** The face box at any time, interpolated between the analysed frames around it. */
function faceBoxAt(tracked: readonly { timeMs: number; box: PixelBox }[], timeMs: number) {
  const after = tracked.findIndex((entry) => entry.timeMs >= timeMs);
  if (after === -1) return tracked.at(-1)?.box;
  const next = tracked[after] as { timeMs: number; box: PixelBox };
  const previous = tracked[after - 1];
  if (!previous) return next.box;
  return lerpBox(
    previous.box,
    next.box,
    (timeMs - previous.timeMs) / (next.timeMs - previous.timeMs),
  );
}

function skinSamples(evidence: Evidence): SkinSample[] {
  const tracked = evidence.analysed.flatMap((entry) => {
    const face = largest(entry.faces);
    return face ? [{ timeMs: entry.timeMs, box: face.box }] : [];
  });
  if (tracked.length === 0) return [];
  return evidence.grids.flatMap(({ timeMs, grid }) => {
    const box = faceBoxAt(tracked, timeMs);
    const rgb = box && skinColour(grid, box);
    return rgb ? [{ timeMs, rgb }] : [];
  });
}

type FrameSize = { readonly width: number; readonly height: number };

/** Sharp, frontal, eyes open and large: what CompareFaces against an ID portrait wants. */
function referenceQuality(face: FaceAnalysis, frame: FrameSize): number {
  const yaw = Math.abs(face.pose.Yaw ?? 0);
  const pitch = Math.abs(face.pose.Pitch ?? 0);
  const frontal = Math.max(0, 1 - (yaw + pitch) / 60);
  const eyes = face.eyesOpen.Value ? 1 : 0.3;
  const size = Math.min(1, face.box.width / (frame.width * 0.35));
  return (face.sharpness / 100) * frontal * eyes * size;
}

function ratioBox(box: PixelBox, frame: FrameSize): BoundingBox {
  return {
    Left: box.left / frame.width,
    Top: box.top / frame.height,
    Width: box.width / frame.width,
    Height: box.height / frame.height,
  };
}

/** Up to `limit` frames spread over the recording, other than the reference. */
function auditFrames(
  candidates: readonly AnalysedFrame[],
  reference: AnalysedFrame,
  limit: number,
) {
  const others = candidates.filter((entry) => entry !== reference);
  if (limit <= 0 || others.length === 0) return [];
  const count = Math.min(limit, others.length);
  return Array.from(
    { length: count },
    (_, index) => others[Math.floor(((index + 0.5) * others.length) / count)] as AnalysedFrame,
  );
}

/** No verdict: the recording was too thin to judge; the reasons stay server-side. */
export interface TooThinToJudge {
  readonly tooThin: readonly string[];
}

/**
 * Runs every check on what was recorded and builds the session's result, or finds the
 * recording too thin to judge: every face check passed and the light check lacked only frames
 * (a busy device's encoder dropped them). Such a session ends FAILED, as a check that could not
 * be completed, so the applicant is asked to repeat it rather than told it failed.
 */
export function evaluateRecording(input: {
  readonly evidence: Evidence;
  readonly challenge: LightChallenge;
  readonly client: ClientReport;
  readonly auditImagesLimit: number;
}): LivenessResult | TooThinToJudge {
  const { evidence, challenge, client } = input;
  const faces = checkFaces(evidence.analysed, challenge.OvalParameters);
  const light = checkLightResponse({
    sequence: challenge.ColorSequences,
    shown: client.shown,
    videoStartMs: client.videoStartMs,
    samples: skinSamples(evidence),
  });
  if (light.tooThin && faces.reasons.length === 0) return { tooThin: light.reasons };
  const decision = decide(light, faces);

  const single = evidence.analysed.filter((entry) => countedFaces(entry) === 1);
  const scored = single.map((entry) => {
    const face = largest(entry.faces) as FaceAnalysis;
    return { entry, face, quality: referenceQuality(face, entry) };
  });
  const best = scored.sort((a, b) => b.quality - a.quality)[0];
  const reference = best?.entry ?? (evidence.analysed.at(-1) as AnalysedFrame);
  const audits = auditFrames(best ? single : evidence.analysed, reference, input.auditImagesLimit);
  return {
    confidence: decision.confidence,
    referenceImage: reference.jpeg,
    auditImages: audits.map((entry) => entry.jpeg),
    ...(best ? { boundingBox: ratioBox(best.face.box, reference) } : {}),
    challenge: { type: CHALLENGE_TYPE, version: CHALLENGE_VERSION },
    reasons: decision.reasons,
  };
}
