import type { Pose } from '@aws-sdk/client-rekognition';
import { confidenceFromMargin } from './face-geometry.js';

/** Human's 468-point mesh: [x, y, z] in pixels of the analysed frame (z relative). */
type Mesh = ReadonlyArray<readonly [number, number, number?]>;
type Point = readonly [number, number];

const DEGREES = 180 / Math.PI;

/**
 * face-api's landmark net was built around SSD's tight face boxes, and its landmarks (hence
 * the aligned face and the descriptor) shift with the crop. These factors turn the mesh's
 * extent into the box SSD draws around the same face: medians over the 22 faces of the
 * sample photos (CALIBRATION.md, "Detection"). Centre offsets and sizes are in mesh extents.
 */
export const MESH_TO_FACE_BOX = {
  offsetX: -0.005,
  offsetY: -0.073,
  width: 0.914,
  height: 1.138,
} as const;

/**
 * Human's pitch of a level face: the median over the sample faces, taken as level the way
 * `LEVEL_NOSE_RATIO` is for the 68-point estimate (CALIBRATION.md).
 */
export const LEVEL_MESH_PITCH = 9.2;

/**
 * Human's blink rule (its gesture module): an eye whose lid gap is under this share of the
 * height of the eye region (points 443-450, 223-230) counts as closed.
 */
const CLOSED_EYE_RATIO = 0.2;

const at = (mesh: Mesh, index: number): Point => [mesh[index]?.[0] ?? 0, mesh[index]?.[1] ?? 0];
const gap = (mesh: Mesh, a: number, b: number) => {
  const [ax, ay] = at(mesh, a);
  const [bx, by] = at(mesh, b);
  return Math.hypot(ax - bx, ay - by);
};

export function faceBoxFromMesh(mesh: Mesh): {
  left: number;
  top: number;
  width: number;
  height: number;
} {
  const xs = mesh.map((point) => point[0] ?? 0);
  const ys = mesh.map((point) => point[1] ?? 0);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  const extentX = maxX - minX;
  const extentY = maxY - minY;
  const width = MESH_TO_FACE_BOX.width * extentX;
  const height = MESH_TO_FACE_BOX.height * extentY;
  const centreX = (minX + maxX) / 2 + MESH_TO_FACE_BOX.offsetX * extentX;
  const centreY = (minY + maxY) / 2 + MESH_TO_FACE_BOX.offsetY * extentY;
  return { left: centreX - width / 2, top: centreY - height / 2, width, height };
}

/**
 * Human's head angles (radians, from the 3D mesh) in Rekognition's degrees and the engine's
 * signs: Roll > 0 when the image-right eye is lower, Yaw > 0 when the nose points to the
 * image's right, Pitch > 0 when the face looks up. Human's yaw and pitch run the other way.
 */
export function poseFromMeshAngles(angle: { roll: number; yaw: number; pitch: number }): Pose {
  return {
    Roll: angle.roll * DEGREES,
    Yaw: -angle.yaw * DEGREES,
    Pitch: -(angle.pitch * DEGREES - LEVEL_MESH_PITCH),
  };
}

/**
 * Eyes open by Human's blink rule on the mean of both eyes (as the 68-point estimate does),
 * measured as distances rather than heights so that head roll does not matter.
 */
export function eyesOpenFromMesh(mesh: Mesh): { Value: boolean; Confidence: number } {
  const imageLeftEye = gap(mesh, 145, 159) / (gap(mesh, 223, 230) || 1);
  const imageRightEye = gap(mesh, 374, 386) / (gap(mesh, 443, 450) || 1);
  const ratio = (imageLeftEye + imageRightEye) / 2;
  return {
    Value: ratio > CLOSED_EYE_RATIO,
    Confidence: confidenceFromMargin(ratio, CLOSED_EYE_RATIO),
  };
}
