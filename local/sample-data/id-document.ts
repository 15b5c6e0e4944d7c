import sharp from 'sharp';
import { type FaceId, loadPortrait } from './faces.js';
import { buildMrz, type MrzFormat } from './mrz.js';

export interface IdDocumentSpec {
  /**
   * TD1: ID card (1012x638 px); TD2: ID card 105x74 mm (1240x874 px); TD3: passport data
   * page (1476x1039 px); all 300 dpi.
   */
  format: MrzFormat;
  /** Issuing state, ICAO code (`D`, `FRA`, `NLD`, ...). `mrz` rejects the specimen `UTO`. */
  country: string;
  nationality: string;
  surname: string;
  givenNames: string;
  sex: 'M' | 'F' | 'X';
  /** ISO dates, YYYY-MM-DD. */
  dateOfBirth: string;
  expiryDate: string;
  dateOfIssue: string;
  /** Up to 9 characters A-Z, 0-9. */
  documentNumber: string;
  /** `null` renders a document without a portrait. */
  face: FaceId | null;
  output: 'jpeg' | 'png';
}

export type IdDocumentOptions = Partial<IdDocumentSpec>;

export interface GeneratedIdDocument {
  image: Buffer;
  mrz: string[];
  spec: IdDocumentSpec;
}

const COUNTRY_NAMES: Record<string, string> = {
  BEL: 'KINGDOM OF BELGIUM',
  D: 'FEDERAL REPUBLIC OF GERMANY',
  ESP: 'KINGDOM OF SPAIN',
  FRA: 'FRENCH REPUBLIC',
  GBR: 'UNITED KINGDOM',
  ITA: 'ITALIAN REPUBLIC',
  NLD: 'KINGDOM OF THE NETHERLANDS',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const SANS = 'DejaVu Sans';
const MONO = 'DejaVu Sans Mono';
/** ICAO 9303 prints the MRZ at 10 characters per inch: 30 px at 300 dpi. */
const MRZ_PITCH = 30;

/** The issue date follows from the expiry as a ten-year validity, unless given. */
function tenYearsBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() - 10);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export function resolveSpec(options: IdDocumentOptions = {}): IdDocumentSpec {
  const country = options.country ?? 'FRA';
  const expiryDate = options.expiryDate ?? '2034-06-30';
  return {
    format: options.format ?? 'TD1',
    country,
    nationality: options.nationality ?? country,
    surname: options.surname ?? 'MARTIN',
    givenNames: options.givenNames ?? 'CLAIRE',
    sex: options.sex ?? 'F',
    dateOfBirth: options.dateOfBirth ?? '1990-04-12',
    expiryDate,
    dateOfIssue: options.dateOfIssue ?? tenYearsBefore(expiryDate),
    documentNumber: options.documentNumber ?? 'T22000129',
    face: options.face === undefined ? 'sample3-middle' : options.face,
    output: options.output ?? 'jpeg',
  };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function numericDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
}

function textualDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day} ${MONTHS[Number(month) - 1]} ${year}`;
}

interface Field {
  label: string;
  value: string;
  x: number;
  y: number;
}

function fieldSvg({ label, value, x, y }: Field, labelSize: number, valueSize: number): string {
  return (
    `<text x="${x}" y="${y}" font-family="${SANS}" font-size="${labelSize}" fill="#2b3a4a">${escapeXml(label)}</text>` +
    `<text x="${x}" y="${y + valueSize + 6}" font-family="${SANS}" font-weight="bold" font-size="${valueSize}" fill="#000">${escapeXml(value.toUpperCase())}</text>`
  );
}

/** One `<text>` per character: the SVG renderer ignores per-glyph x lists. */
function mrzSvg(lines: string[], left: number, firstBaseline: number, lineGap: number): string {
  return lines
    .flatMap((line, row) =>
      [...line].map(
        (char, col) =>
          `<text x="${left + col * MRZ_PITCH + MRZ_PITCH / 2}" y="${firstBaseline + row * lineGap}" text-anchor="middle" font-family="${MONO}" font-size="40" fill="#000">${escapeXml(char)}</text>`,
      ),
    )
    .join('');
}

/** Faint guilloche-like waves: enough to look like a document, too light to binarize. */
function backgroundSvg(width: number, height: number): string {
  const waves = Array.from({ length: 12 }, (_, i) => {
    const y = (height * (i + 1)) / 14;
    return `<path d="M0 ${y} Q ${width / 4} ${y - 40} ${width / 2} ${y} T ${width} ${y}" stroke="#c8d8e6" stroke-width="1.5" fill="none"/>`;
  }).join('');
  return (
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#eaf2f8"/><stop offset="1" stop-color="#f7f0e4"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" rx="32" fill="url(#bg)"/>${waves}`
  );
}

interface Layout {
  width: number;
  height: number;
  portrait: { left: number; top: number; width: number; height: number };
  svg: string;
}

function td1Layout(spec: IdDocumentSpec, mrz: string[]): Layout {
  const width = 1012;
  const height = 638;
  const x = 320;
  const fields: Field[] = [
    { label: 'Surname', value: spec.surname, x, y: 112 },
    { label: 'Given names', value: spec.givenNames, x, y: 182 },
    { label: 'Sex', value: spec.sex, x, y: 252 },
    { label: 'Nationality', value: spec.nationality, x: x + 110, y: 252 },
    { label: 'Date of birth', value: numericDate(spec.dateOfBirth), x: x + 340, y: 252 },
    { label: 'Document No.', value: spec.documentNumber, x, y: 322 },
    { label: 'Date of expiry', value: numericDate(spec.expiryDate), x: x + 340, y: 322 },
  ];
  const country = COUNTRY_NAMES[spec.country] ?? spec.country;
  const svg =
    backgroundSvg(width, height) +
    `<text x="40" y="52" font-family="${SANS}" font-weight="bold" font-size="30" fill="#12355b">IDENTITY CARD</text>` +
    `<text x="${width - 40}" y="52" text-anchor="end" font-family="${SANS}" font-size="22" fill="#12355b">${escapeXml(country)}</text>` +
    fields.map((field) => fieldSvg(field, 17, 30)).join('') +
    `<rect x="0" y="440" width="${width}" height="${height - 440}" fill="#fff"/>` +
    mrzSvg(mrz, (width - 30 * MRZ_PITCH) / 2, 500, 52);
  return { width, height, portrait: { left: 40, top: 90, width: 250, height: 321 }, svg };
}

function td3Layout(spec: IdDocumentSpec, mrz: string[]): Layout {
  const width = 1476;
  const height = 1039;
  const x = 460;
  const fields: Field[] = [
    { label: 'Type', value: 'P', x, y: 150 },
    { label: 'Code', value: spec.country, x: x + 140, y: 150 },
    { label: 'Passport No.', value: spec.documentNumber, x: x + 420, y: 150 },
    { label: 'Surname', value: spec.surname, x, y: 240 },
    { label: 'Given names', value: spec.givenNames, x, y: 330 },
    { label: 'Nationality', value: spec.nationality, x, y: 420 },
    { label: 'Date of birth', value: textualDate(spec.dateOfBirth), x, y: 510 },
    { label: 'Sex', value: spec.sex, x: x + 420, y: 510 },
    { label: 'Date of issue', value: textualDate(spec.dateOfIssue), x, y: 600 },
    { label: 'Date of expiry', value: textualDate(spec.expiryDate), x: x + 420, y: 600 },
  ];
  const country = COUNTRY_NAMES[spec.country] ?? spec.country;
  const svg =
    backgroundSvg(width, height) +
    `<text x="60" y="80" font-family="${SANS}" font-weight="bold" font-size="40" fill="#4a1426">PASSPORT</text>` +
    `<text x="${width - 60}" y="80" text-anchor="end" font-family="${SANS}" font-size="28" fill="#4a1426">${escapeXml(country)}</text>` +
    fields.map((field) => fieldSvg(field, 20, 34)).join('') +
    `<rect x="0" y="800" width="${width}" height="${height - 800}" fill="#fff"/>` +
    mrzSvg(mrz, (width - 44 * MRZ_PITCH) / 2, 890, 70);
  return { width, height, portrait: { left: 60, top: 150, width: 340, height: 437 }, svg };
}

function td2Layout(spec: IdDocumentSpec, mrz: string[]): Layout {
  const width = 1240;
  const height = 874;
  const x = 380;
  const fields: Field[] = [
    { label: 'Surname', value: spec.surname, x, y: 140 },
    { label: 'Given names', value: spec.givenNames, x, y: 230 },
    { label: 'Document No.', value: spec.documentNumber, x, y: 320 },
    { label: 'Nationality', value: spec.nationality, x: x + 420, y: 320 },
    { label: 'Date of birth', value: numericDate(spec.dateOfBirth), x, y: 410 },
    { label: 'Sex', value: spec.sex, x: x + 420, y: 410 },
    { label: 'Date of expiry', value: numericDate(spec.expiryDate), x, y: 500 },
  ];
  const country = COUNTRY_NAMES[spec.country] ?? spec.country;
  const svg =
    backgroundSvg(width, height) +
    `<text x="40" y="60" font-family="${SANS}" font-weight="bold" font-size="32" fill="#12355b">IDENTITY CARD</text>` +
    `<text x="${width - 40}" y="60" text-anchor="end" font-family="${SANS}" font-size="24" fill="#12355b">${escapeXml(country)}</text>` +
    fields.map((field) => fieldSvg(field, 18, 32)).join('') +
    `<rect x="0" y="640" width="${width}" height="${height - 640}" fill="#fff"/>` +
    mrzSvg(mrz, (width - 36 * MRZ_PITCH) / 2, 720, 64);
  return { width, height, portrait: { left: 40, top: 110, width: 300, height: 386 }, svg };
}

const LAYOUTS = { TD1: td1Layout, TD2: td2Layout, TD3: td3Layout } as const;

/** Renders a synthetic TD1 or TD2 ID card or TD3 passport data page with a valid MRZ. */
export async function generateIdDocument(
  options: IdDocumentOptions = {},
): Promise<GeneratedIdDocument> {
  const spec = resolveSpec(options);
  const mrz = buildMrz({
    format: spec.format,
    issuingState: spec.country,
    nationality: spec.nationality,
    surname: spec.surname,
    givenNames: spec.givenNames,
    documentNumber: spec.documentNumber,
    dateOfBirth: spec.dateOfBirth,
    expiryDate: spec.expiryDate,
    sex: spec.sex,
  });
  const layout = LAYOUTS[spec.format](spec, mrz);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${layout.svg}</svg>`;
  const overlays = spec.face
    ? [
        {
          input: await loadPortrait(spec.face, layout.portrait.width, layout.portrait.height),
          left: layout.portrait.left,
          top: layout.portrait.top,
        },
      ]
    : [];
  // Flattened onto white: the rounded corners would otherwise be transparent in PNG and
  // black in JPEG.
  const card = sharp(Buffer.from(svg)).composite(overlays).flatten({ background: '#ffffff' });
  const image =
    spec.output === 'png'
      ? await card.png().toBuffer()
      : await card.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
  return { image, mrz, spec };
}
