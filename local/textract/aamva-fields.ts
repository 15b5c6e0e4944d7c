import type { IdentityDocumentField } from '@aws-sdk/client-textract';
import { parse } from 'aamva-parser';
import type { IsoDate } from './dates.js';
import { type FieldType, renderFields, type Value } from './identity-fields.js';

/** Digital data read whole from the barcode: no OCR doubt, as Textract scores clean text. */
const BARCODE_CONFIDENCE = 99;

/** Textract's ID_TYPE for a page that is no licence front or passport (a licence back). */
export const BACK_ID_TYPE = 'UNKNOWN';

function isoOf(date: Date | null | undefined): IsoDate | null {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null;
  const year = date.getFullYear();
  // AAMVA version 01 payloads write CCYYMMDD, which the parser takes for MMDDCCYY.
  if (year < 1900 || year > 2100) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function text(value: string | null | undefined): Value | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : { text: trimmed, confidence: BARCODE_CONFIDENCE };
}

function date(value: Date | null | undefined): Value | null {
  const iso = isoOf(value);
  if (!iso) return null;
  const [year, month, day] = iso.split('-');
  // Printed as US licences print it, MM/DD/YYYY, as Textract returns it.
  return { text: `${month}/${day}/${year}`, confidence: BARCODE_CONFIDENCE, date: iso };
}

/** Whether a barcode's text is an AAMVA card payload (`@`, separators, `ANSI ` or `AAMVA`). */
export function isAamva(payload: string): boolean {
  // The header's separators (LF, RS, CR) are often lost in transcription: only @ is kept.
  return (
    payload.startsWith('@') && /^(ANSI |AAMVA)/.test(payload.slice(1, 12).replace(/[^A-Z ]/g, ''))
  );
}

/**
 * AnalyzeID's fields from an AAMVA PDF417 payload (the back of a US or Canadian licence),
 * parsed by `aamva-parser`: names by element (DCS family, DAC first, DAD middle), dates,
 * the licence number (DAQ) and the address.
 */
export function aamvaFields(payload: string): IdentityDocumentField[] {
  const licence = parse(payload);
  const zip = licence.postalCode?.replace(/\s+/g, '').slice(0, 5);
  const values: Partial<Record<FieldType, Value | null>> = {
    FIRST_NAME: text(licence.firstName),
    MIDDLE_NAME: text(licence.middleName),
    LAST_NAME: text(licence.lastName),
    DOCUMENT_NUMBER: text(licence.driversLicenseId),
    DATE_OF_BIRTH: date(licence.dateOfBirth),
    EXPIRATION_DATE: date(licence.expirationDate),
    DATE_OF_ISSUE: date(licence.issueDate),
    ADDRESS: text(licence.streetAddress),
    CITY_IN_ADDRESS: text(licence.city),
    STATE_IN_ADDRESS: text(licence.state),
    ZIP_CODE_IN_ADDRESS: text(zip),
    ID_TYPE: { text: BACK_ID_TYPE, confidence: BARCODE_CONFIDENCE },
  };
  return renderFields(values);
}
