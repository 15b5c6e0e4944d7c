import type { IdImageType } from './applicant-api.ts';

/** The API's limits for the ID photo; checked here too so a bad file never leaves the device. */
export const maxIdImageBytes = 5 * 1024 * 1024;
const acceptedTypes: readonly IdImageType[] = ['image/jpeg', 'image/png'];

export type IdImageCheck =
  | { readonly ok: true; readonly type: IdImageType }
  | { readonly ok: false; readonly message: string };

export function checkIdImage(file: Blob): IdImageCheck {
  if (!(acceptedTypes as readonly string[]).includes(file.type)) {
    return {
      ok: false,
      message: 'This file is not a JPEG or PNG image. Choose a photo of your ID.',
    };
  }
  if (file.size === 0) return { ok: false, message: 'This file is empty. Choose another photo.' };
  if (file.size > maxIdImageBytes) {
    const megabytes = (file.size / (1024 * 1024)).toFixed(1);
    return {
      ok: false,
      message: `This photo is ${megabytes} MB; the limit is 5 MB. Choose a smaller photo.`,
    };
  }
  return { ok: true, type: file.type as IdImageType };
}
