/**
 * Minimal ICAO 9303 machine-readable-zone writer for synthetic TD1 (ID card), TD2 (larger
 * ID card) and TD3 (passport) documents. Reading is left to the `mrz` package; writing is small enough
 * to own, and owning it keeps the test data independent of the parser under test.
 */
import { expandIcaoLetters } from '../icao-names.js';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface MrzData {
  format: MrzFormat;
  /** Issuing state, ICAO 3-letter code ('D' for Germany). */
  issuingState: string;
  nationality: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  /** ISO dates (YYYY-MM-DD). */
  dateOfBirth: string;
  expiryDate: string;
  sex: 'M' | 'F' | 'X';
}

const WEIGHTS = [7, 3, 1] as const;

/** ICAO 9303 part 3 check digit: weights 7-3-1, digits as-is, A-Z = 10-35, '<' = 0. */
export function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    let value: number;
    if (c >= 48 && c <= 57) value = c - 48;
    else if (c >= 65 && c <= 90) value = c - 55;
    else if (field[i] === '<') value = 0;
    else throw new RangeError(`Character ${field[i]} is not allowed in an MRZ`);
    sum += value * (WEIGHTS[i % 3] as number);
  }
  return String(sum % 10);
}

/**
 * Upper-case A-Z only: letters ICAO expands (Ö -> OE) are expanded, other diacritics
 * stripped, apostrophes dropped, and every other separator (space, hyphen) becomes a
 * filler.
 */
export function transliterate(text: string): string {
  return expandIcaoLetters(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’]/g, '')
    .replace(/[^A-Z0-9]+/g, '<')
    .replace(/^<+|<+$/g, '');
}

function pad(text: string, length: number): string {
  if (text.length > length) throw new RangeError(`MRZ field "${text}" exceeds ${length}`);
  return text.padEnd(length, '<');
}

/** Names are truncated rather than rejected, as ICAO allows for long names. */
function nameField(surname: string, givenNames: string, length: number): string {
  return `${transliterate(surname)}<<${transliterate(givenNames)}`
    .slice(0, length)
    .padEnd(length, '<');
}

/** YYYY-MM-DD -> YYMMDD */
export function mrzDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`Expected YYYY-MM-DD, got ${isoDate}`);
  return `${match[1]?.slice(2)}${match[2]}${match[3]}`;
}

/** The MRZ writes an unspecified sex as a filler; only the printed zone shows X. */
function sexCode(sex: MrzData['sex']): string {
  return sex === 'X' ? '<' : sex;
}

function withCheck(field: string): string {
  return field + checkDigit(field);
}

function td1(data: MrzData): string[] {
  const state = pad(data.issuingState, 3);
  const docNumber = withCheck(pad(data.documentNumber, 9));
  const line1 = `ID${state}${docNumber}${pad('', 15)}`;
  const dob = withCheck(mrzDate(data.dateOfBirth));
  const expiry = withCheck(mrzDate(data.expiryDate));
  const line2Body = `${dob}${sexCode(data.sex)}${expiry}${pad(data.nationality, 3)}${pad('', 11)}`;
  // Composite: line 1 from the document number on, then DOB, expiry and optional data.
  const composite = checkDigit(
    line1.slice(5) + line2Body.slice(0, 7) + line2Body.slice(8, 15) + line2Body.slice(18),
  );
  return [line1, line2Body + composite, nameField(data.surname, data.givenNames, 30)];
}

function td3(data: MrzData): string[] {
  const line1 = `P<${pad(data.issuingState, 3)}${nameField(data.surname, data.givenNames, 39)}`;
  const docNumber = withCheck(pad(data.documentNumber, 9));
  const dob = withCheck(mrzDate(data.dateOfBirth));
  const expiry = withCheck(mrzDate(data.expiryDate));
  const personalNumber = withCheck(pad('', 14));
  const body = `${docNumber}${pad(data.nationality, 3)}${dob}${sexCode(data.sex)}${expiry}${personalNumber}`;
  const composite = checkDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21));
  return [line1, body + composite];
}

function td2(data: MrzData): string[] {
  const line1 = `I<${pad(data.issuingState, 3)}${nameField(data.surname, data.givenNames, 31)}`;
  const docNumber = withCheck(pad(data.documentNumber, 9));
  const dob = withCheck(mrzDate(data.dateOfBirth));
  const expiry = withCheck(mrzDate(data.expiryDate));
  const body = `${docNumber}${pad(data.nationality, 3)}${dob}${sexCode(data.sex)}${expiry}${pad('', 7)}`;
  const composite = checkDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21));
  return [line1, body + composite];
}

export function buildMrz(data: MrzData): string[] {
  if (!/^[A-Z0-9<]{1,9}$/.test(data.documentNumber)) {
    throw new RangeError('Document number must be 1-9 characters A-Z, 0-9');
  }
  return data.format === 'TD1' ? td1(data) : data.format === 'TD2' ? td2(data) : td3(data);
}
