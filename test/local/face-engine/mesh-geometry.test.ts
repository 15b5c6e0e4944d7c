import { describe, expect, it } from 'vitest';
import {
  eyesOpenFromMesh,
  faceBoxFromMesh,
  LEVEL_MESH_PITCH,
  MESH_TO_FACE_BOX,
  poseFromMeshAngles,
} from '../../../local/face-engine/mesh-geometry.js';

type MeshPoint = [number, number, number?];
const RADIANS = Math.PI / 180;

/**
 * A 468-point mesh spanning x 100-300 and y 50-350, with the eye points Human's blink rule
 * reads: lids (145/159, 374/386) `lidGap` apart, eye regions (223/230, 443/450) 40 apart.
 */
function syntheticMesh(lidGap: number): MeshPoint[] {
  const mesh: MeshPoint[] = Array.from({ length: 468 }, (_, index) => [
    100 + (index % 2) * 200,
    50 + (index % 3 === 0 ? 300 : 150),
    0,
  ]);
  mesh[0] = [200, 50, 0];
  const eye = (x: number, [upper, lower]: [number, number], [above, below]: [number, number]) => {
    mesh[upper] = [x, 200 - lidGap / 2, 0];
    mesh[lower] = [x, 200 + lidGap / 2, 0];
    mesh[above] = [x, 180, 0];
    mesh[below] = [x, 220, 0];
  };
  eye(160, [159, 145], [223, 230]);
  eye(240, [386, 374], [443, 450]);
  return mesh;
}

describe('poseFromMeshAngles', () => {
  it('converts radians to degrees, keeping roll and turning yaw and pitch around', () => {
    const pose = poseFromMeshAngles({ roll: 10 * RADIANS, yaw: 20 * RADIANS, pitch: 0 });
    expect(pose.Roll).toBeCloseTo(10, 10);
    expect(pose.Yaw).toBeCloseTo(-20, 10);
    expect(pose.Pitch).toBeCloseTo(LEVEL_MESH_PITCH, 10);
  });

  it('reads a face at the level pitch as Pitch 0', () => {
    const pose = poseFromMeshAngles({ roll: 0, yaw: 0, pitch: LEVEL_MESH_PITCH * RADIANS });
    expect(pose.Pitch).toBeCloseTo(0, 10);
  });

  it.each([-30, -5, 5, 30])('flips the sign of yaw %d for its mirror image', (degrees) => {
    const pose = poseFromMeshAngles({ roll: 0, yaw: degrees * RADIANS, pitch: 0 });
    const mirrored = poseFromMeshAngles({ roll: 0, yaw: -degrees * RADIANS, pitch: 0 });
    expect(mirrored.Yaw).toBeCloseTo(-(pose.Yaw ?? 0), 10);
  });
});

describe('faceBoxFromMesh', () => {
  it('scales and shifts the mesh extent into the tight face box', () => {
    const box = faceBoxFromMesh(syntheticMesh(8));
    // Extent: 200 wide, 300 tall, centred on (200, 200).
    expect(box.width).toBeCloseTo(200 * MESH_TO_FACE_BOX.width, 10);
    expect(box.height).toBeCloseTo(300 * MESH_TO_FACE_BOX.height, 10);
    expect(box.left + box.width / 2).toBeCloseTo(200 + 200 * MESH_TO_FACE_BOX.offsetX, 10);
    expect(box.top + box.height / 2).toBeCloseTo(200 + 300 * MESH_TO_FACE_BOX.offsetY, 10);
  });
});

describe('eyesOpenFromMesh', () => {
  it.each([
    [16, true],
    [2, false],
  ])('a lid gap of %d px in a 40 px eye region reads as open=%s', (lidGap, open) => {
    const estimate = eyesOpenFromMesh(syntheticMesh(lidGap));
    expect(estimate.Value).toBe(open);
    expect(estimate.Confidence).toBeGreaterThanOrEqual(50);
    expect(estimate.Confidence).toBeLessThanOrEqual(99);
  });
});
