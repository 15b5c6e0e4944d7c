import { createRequire } from 'node:module';
import sharp from 'sharp';

/**
 * Portraits cut from the demo photos shipped in `@vladmandic/face-api` (MIT), so no
 * third-party photo is committed here. The demo images are group photos: each box was
 * chosen by eye to hold one roughly frontal head and shoulders at the 7:9 portrait ratio
 * used on ID documents. Distinct ids are distinct people, which match/no-match tests need.
 */
const FACE_BOXES = {
  'sample1-left': { file: 'sample1.jpg', left: 380, top: 290, width: 300 },
  'sample3-left': { file: 'sample3.jpg', left: 510, top: 330, width: 320 },
  'sample3-middle': { file: 'sample3.jpg', left: 990, top: 170, width: 380 },
  'sample3-right': { file: 'sample3.jpg', left: 1420, top: 230, width: 320 },
  'sample5-top': { file: 'sample5.jpg', left: 710, top: 70, width: 300 },
  'sample6-second': { file: 'sample6.jpg', left: 590, top: 300, width: 340 },
  'sample6-third': { file: 'sample6.jpg', left: 1110, top: 260, width: 320 },
  'sample6-fourth': { file: 'sample6.jpg', left: 1425, top: 230, width: 330 },
} as const;

export type FaceId = keyof typeof FACE_BOXES;

export const FACE_IDS = Object.keys(FACE_BOXES) as FaceId[];

const PORTRAIT_ASPECT = 9 / 7;

const require = createRequire(import.meta.url);

export function facePhotoPath(face: FaceId): string {
  return require.resolve(`@vladmandic/face-api/demo/${FACE_BOXES[face].file}`);
}

/** The cropped portrait resized to the given box, as PNG. */
export async function loadPortrait(face: FaceId, width: number, height: number): Promise<Buffer> {
  const { left, top, width: cropWidth } = FACE_BOXES[face];
  return sharp(facePhotoPath(face))
    .extract({ left, top, width: cropWidth, height: Math.round(cropWidth * PORTRAIT_ASPECT) })
    .resize(width, height, { fit: 'cover' })
    .png()
    .toBuffer();
}

/**
 * A selfie-like JPEG of the same person: a wider, differently framed crop around the
 * portrait box, as a liveness reference image would show them. For tests and demos that
 * stand in for a completed liveness check.
 */
export async function loadSelfie(face: FaceId, width = 480, height = 640): Promise<Buffer> {
  const { left, top, width: cropWidth } = FACE_BOXES[face];
  const image = sharp(facePhotoPath(face));
  const { width: imageWidth = 0, height: imageHeight = 0 } = await image.metadata();
  const cropHeight = Math.round(cropWidth * PORTRAIT_ASPECT);
  const regionWidth = Math.min(imageWidth, Math.round(cropWidth * 1.25));
  const regionHeight = Math.min(imageHeight, Math.round((regionWidth * height) / width));
  const centreX = left + cropWidth / 2;
  const centreY = top + cropHeight / 2;
  const clamp = (value: number, max: number) => Math.max(0, Math.min(Math.round(value), max));
  return image
    .extract({
      left: clamp(centreX - regionWidth / 2, imageWidth - regionWidth),
      top: clamp(centreY - regionHeight / 2, imageHeight - regionHeight),
      width: regionWidth,
      height: regionHeight,
    })
    .resize(width, height, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toBuffer();
}
