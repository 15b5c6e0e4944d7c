import type { PixelBox } from '../face-engine/index.js';
import type { Rgb } from './challenge.js';

/**
 * A frame shrunk to the mean colour of CELL x CELL pixel blocks. Every frame is kept this way
 * (about 1/64 of its size), so the face region's colour can be read for any frame once the
 * face engine, which sees only some frames, has said where the face is.
 */
export interface ColourGrid {
  readonly columns: number;
  readonly rows: number;
  readonly cell: number;
  /** columns * rows * 3 channel means, rounded: a 640x480 frame keeps 14 KB. */
  readonly means: Uint8ClampedArray;
}

const GRID_CELL = 8;

export function colourGrid(rgb: Uint8Array, width: number, height: number): ColourGrid {
  const columns = Math.floor(width / GRID_CELL);
  const rows = Math.floor(height / GRID_CELL);
  const sums = new Float32Array(columns * rows * 3);
  for (let y = 0; y < rows * GRID_CELL; y++) {
    const rowBase = Math.floor(y / GRID_CELL) * columns;
    let offset = y * width * 3;
    for (let x = 0; x < columns * GRID_CELL; x++, offset += 3) {
      const cell = (rowBase + Math.floor(x / GRID_CELL)) * 3;
      sums[cell] = (sums[cell] as number) + (rgb[offset] as number);
      sums[cell + 1] = (sums[cell + 1] as number) + (rgb[offset + 1] as number);
      sums[cell + 2] = (sums[cell + 2] as number) + (rgb[offset + 2] as number);
    }
  }
  const means = new Uint8ClampedArray(sums.length);
  const area = GRID_CELL * GRID_CELL;
  for (let i = 0; i < sums.length; i++) means[i] = (sums[i] as number) / area;
  return { columns, rows, cell: GRID_CELL, means };
}

/**
 * Mean colour of the cheeks-and-forehead part of a face box: the middle 60% of its width
 * and 20-80% of its height, where skin dominates and hair and background do not.
 */
export function skinColour(grid: ColourGrid, face: PixelBox): Rgb | undefined {
  const left = Math.round((face.left + face.width * 0.2) / grid.cell);
  const right = Math.round((face.left + face.width * 0.8) / grid.cell);
  const top = Math.round((face.top + face.height * 0.2) / grid.cell);
  const bottom = Math.round((face.top + face.height * 0.8) / grid.cell);
  const sum = [0, 0, 0];
  let count = 0;
  for (let row = Math.max(0, top); row < Math.min(grid.rows, bottom); row++) {
    for (let column = Math.max(0, left); column < Math.min(grid.columns, right); column++) {
      const cell = (row * grid.columns + column) * 3;
      for (let channel = 0; channel < 3; channel++) {
        sum[channel] = (sum[channel] as number) + (grid.means[cell + channel] as number);
      }
      count++;
    }
  }
  if (count === 0) return undefined;
  return [(sum[0] as number) / count, (sum[1] as number) / count, (sum[2] as number) / count];
}
