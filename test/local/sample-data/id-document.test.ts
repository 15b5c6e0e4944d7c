import { parse } from 'mrz';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FACE_IDS, loadPortrait } from '../../../local/sample-data/faces.js';
import { generateIdDocument, resolveSpec } from '../../../local/sample-data/id-document.js';

describe('generateIdDocument', () => {
  it('renders a TD1 card at 300 dpi (85.6 x 54 mm) with a valid MRZ', async () => {
    const { image, mrz, spec } = await generateIdDocument({
      country: 'D',
      surname: 'Schröder',
      givenNames: 'Anna Lena',
      dateOfBirth: '1985-09-17',
      documentNumber: 'L01X00T47',
    });
    const metadata = await sharp(image).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 1012, 638]);
    expect(spec).toMatchObject({ format: 'TD1', country: 'D', nationality: 'D' });
    const result = parse(mrz);
    expect(result.valid).toBe(true);
    expect(result.format).toBe('TD1');
    expect(result.fields).toMatchObject({
      issuingState: 'D',
      documentNumber: 'L01X00T47',
      birthDate: '850917',
      lastName: 'SCHROEDER',
      firstName: 'ANNA LENA',
    });
  });

  it('renders a TD3 passport data page as PNG with a valid MRZ', async () => {
    const { image, mrz } = await generateIdDocument({
      format: 'TD3',
      country: 'GBR',
      surname: "O'Neill",
      givenNames: 'Siobhan',
      expiryDate: '2031-01-31',
      output: 'png',
    });
    const metadata = await sharp(image).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 1476, 1039]);
    const result = parse(mrz);
    expect(result.valid).toBe(true);
    expect(result.format).toBe('TD3');
    expect(result.fields).toMatchObject({ lastName: 'ONEILL', expirationDate: '310131' });
  });

  it('leaves the portrait area empty when no face is asked for', async () => {
    const portraitArea = { left: 40, top: 90, width: 250, height: 321 };
    const stats = async (face: 'sample3-middle' | null) => {
      const { image } = await generateIdDocument({ face, output: 'png' });
      return sharp(await sharp(image).extract(portraitArea).toBuffer()).stats();
    };
    const [withFace, withoutFace] = await Promise.all([stats('sample3-middle'), stats(null)]);
    // A photo varies; the card's pale background behind the missing portrait barely does.
    expect(withFace.channels[0]?.stdev).toBeGreaterThan(30);
    expect(withoutFace.channels[0]?.stdev).toBeLessThan(15);
  });

  it('defaults every option and derives the issue date from a ten-year validity', () => {
    expect(resolveSpec({ expiryDate: '2030-05-20' })).toMatchObject({
      format: 'TD1',
      dateOfIssue: '2020-05-21',
      output: 'jpeg',
    });
  });
});

describe('portraits', () => {
  it.each(FACE_IDS)('%s crops inside its source photo', async (face) => {
    const portrait = await loadPortrait(face, 70, 90);
    const metadata = await sharp(portrait).metadata();
    expect([metadata.width, metadata.height]).toEqual([70, 90]);
  });
});
