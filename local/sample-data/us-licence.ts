/**
 * Synthetic US driver licence: an AAMVA (2020, version 10) PDF417 payload, the back that
 * carries it as a barcode (encoded with zxing-wasm's writer, its WASM read from the
 * package), and a front printed with the AAMVA field numbers (1 family name, 2 given
 * names, 3 date of birth, 4b expiry, 4d licence number). The payload writer is our own:
 * test data must not share code with the parser under test.
 */
import sharp from 'sharp';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { packageWasm } from '../package-wasm.js';
import { type FaceId, loadPortrait } from './faces.js';

export interface UsLicenceSpec {
  /** Two-letter state code; the issuer id (IIN) follows from it. */
  state: 'VA' | 'CA' | 'NY' | 'TX';
  familyName: string;
  firstName: string;
  middleName: string;
  /** ISO dates, YYYY-MM-DD. */
  dateOfBirth: string;
  expiryDate: string;
  issueDate: string;
  licenceNumber: string;
  street: string;
  city: string;
  postalCode: string;
  face: FaceId | null;
}

export interface GeneratedUsLicence {
  front: Buffer;
  back: Buffer;
  payload: string;
  spec: UsLicenceSpec;
}

/** AAMVA issuer identification numbers of the states used here. */
const IIN: Record<UsLicenceSpec['state'], string> = {
  VA: '636000',
  CA: '636014',
  NY: '636001',
  TX: '636015',
};

export function resolveLicenceSpec(options: Partial<UsLicenceSpec> = {}): UsLicenceSpec {
  return {
    state: 'VA',
    familyName: 'SAMPLE',
    firstName: 'JORDAN',
    middleName: 'LEE',
    dateOfBirth: '1988-07-04',
    expiryDate: '2031-07-04',
    issueDate: '2023-07-01',
    licenceNumber: 'T64235789',
    street: '123 MAIN STREET',
    city: 'RICHMOND',
    postalCode: '232190000',
    face: 'sample3-middle',
    ...options,
  };
}

/** AAMVA US dates: MMDDCCYY. */
function aamvaDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${month}${day}${year}`;
}

/** US licences print dates MM/DD/YYYY. */
function printedDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${month}/${day}/${year}`;
}

/**
 * The payload as the AAMVA DL/ID card design standard lays it out: compliance `@`, the
 * separators LF, RS, CR, `ANSI `, issuer, versions, one subfile designator (type, offset,
 * length), then the DL subfile, one element per line, ended by CR.
 */
export function aamvaPayload(spec: UsLicenceSpec): string {
  const elements = [
    ['DCA', 'D'],
    ['DCB', 'NONE'],
    ['DCD', 'NONE'],
    ['DBA', aamvaDate(spec.expiryDate)],
    ['DCS', spec.familyName],
    ['DAC', spec.firstName],
    ['DAD', spec.middleName],
    ['DBD', aamvaDate(spec.issueDate)],
    ['DBB', aamvaDate(spec.dateOfBirth)],
    ['DBC', '1'],
    ['DAY', 'BRO'],
    ['DAU', '070 IN'],
    ['DAG', spec.street],
    ['DAI', spec.city],
    ['DAJ', spec.state],
    ['DAK', spec.postalCode.padEnd(11, ' ')],
    ['DAQ', spec.licenceNumber],
    ['DCF', `${spec.licenceNumber}0101`],
    ['DCG', 'USA'],
    ['DDE', 'N'],
    ['DDF', 'N'],
    ['DDG', 'N'],
  ];
  const subfile = `DL${elements.map(([id, value]) => `${id}${value}`).join('\n')}\r`;
  const header = `@\n\x1e\rANSI ${IIN[spec.state]}100001`;
  const offset = header.length + 10;
  const designator = `DL${String(offset).padStart(4, '0')}${String(subfile.length).padStart(4, '0')}`;
  return header + designator + subfile;
}

let writer: Promise<unknown> | null = null;

/** The writer's WASM from the package: by default it would be fetched from a CDN. */
function zxingWriter(): Promise<unknown> {
  writer ??= packageWasm('zxing-wasm/writer/zxing_writer.wasm').then((wasmBinary) =>
    prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true }),
  );
  return writer;
}

const SANS = 'DejaVu Sans';
/** ID-1 card at 300 dpi. */
const WIDTH = 1012;
const HEIGHT = 638;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function backImage(payload: string): Promise<Buffer> {
  await zxingWriter();
  const { svg, error } = await writeBarcode(payload, { format: 'PDF417', scale: 3 });
  if (error || !svg) throw new Error(`PDF417 encoding failed: ${error}`);
  const barcode = await sharp(Buffer.from(svg))
    .resize({ width: WIDTH - 120 })
    .png()
    .toBuffer();
  return sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#f4f1ea' } })
    .composite([{ input: barcode, left: 60, top: 120 }])
    .png()
    .toBuffer();
}

async function frontImage(spec: UsLicenceSpec): Promise<Buffer> {
  const x = 340;
  const rows: [string, string, number][] = [
    ['4d DLN', spec.licenceNumber, 150],
    ['1', spec.familyName, 220],
    ['2', `${spec.firstName} ${spec.middleName}`, 280],
    ['8', `${spec.street}, ${spec.city}, ${spec.state} ${spec.postalCode.slice(0, 5)}`, 340],
    ['3 DOB', printedDate(spec.dateOfBirth), 410],
    ['4b EXP', printedDate(spec.expiryDate), 470],
    ['4a ISS', printedDate(spec.issueDate), 530],
  ];
  const text = rows
    .map(
      ([label, value, y]) =>
        `<text x="${x}" y="${y}" font-family="${SANS}" font-size="24" fill="#5a1010">${escapeXml(label)}</text>` +
        `<text x="${x + 130}" y="${y}" font-family="${SANS}" font-weight="bold" font-size="30" fill="#000">${escapeXml(value)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">` +
    `<rect width="${WIDTH}" height="${HEIGHT}" rx="32" fill="#e8f0f7"/>` +
    `<text x="40" y="70" font-family="${SANS}" font-weight="bold" font-size="36" fill="#12355b">${spec.state} DRIVER LICENSE</text>` +
    `${text}</svg>`;
  const overlays = spec.face
    ? [{ input: await loadPortrait(spec.face, 260, 334), left: 40, top: 120 }]
    : [];
  return sharp(Buffer.from(svg))
    .composite(overlays)
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 90, mozjpeg: true })
    .toBuffer();
}

/** Renders a synthetic US licence: front (JPEG) and back with a valid AAMVA PDF417 (PNG). */
export async function generateUsLicence(
  options: Partial<UsLicenceSpec> = {},
): Promise<GeneratedUsLicence> {
  const spec = resolveLicenceSpec(options);
  const payload = aamvaPayload(spec);
  const [front, back] = await Promise.all([frontImage(spec), backImage(payload)]);
  return { front, back, payload, spec };
}
