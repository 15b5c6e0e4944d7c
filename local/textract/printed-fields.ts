import type { OcrLine, OcrWord } from './ocr-types.js';

export type PrintedFieldName =
  | 'surname'
  | 'givenNames'
  | 'dateOfBirth'
  | 'expiryDate'
  | 'dateOfIssue'
  | 'documentNumber';

export interface PrintedField {
  text: string;
  /** Mean OCR confidence of the value's words, 0-100. */
  confidence: number;
}

export type PrintedFields = Partial<Record<PrintedFieldName, PrintedField>>;

/**
 * Captions by field, lower case without punctuation. Longer captions come first so that
 * "date of issue" is not mistaken for a shorter caption it contains.
 */
const CAPTIONS: Record<PrintedFieldName, string[]> = {
  surname: ['surname', 'last name', 'family name', 'nom'],
  givenNames: ['given names', 'given name', 'first name', 'forenames', 'prenoms', 'vornamen'],
  dateOfBirth: ['date of birth', 'birth date', 'dob'],
  expiryDate: ['date of expiry', 'expiry date', 'expiration date', 'valid until', 'expires', 'exp'],
  dateOfIssue: ['date of issue', 'issue date', 'issued'],
  documentNumber: [
    'document number',
    'document no',
    'passport number',
    'passport no',
    'card number',
    'card no',
    'id number',
  ],
};

interface Caption {
  field: PrintedFieldName | null;
  words: OcrWord[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Other captions printed on documents: they bound a value's extent without being read. */
const OTHER_CAPTIONS = ['nationality', 'sex', 'type', 'code', 'place of birth', 'authority'];

function normalizeWord(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function findCaptions(lines: OcrLine[]): Caption[] {
  const phrases = [
    ...Object.entries(CAPTIONS).flatMap(([field, list]) =>
      list.map((phrase) => ({ field: field as PrintedFieldName, phrase: phrase.split(' ') })),
    ),
    ...OTHER_CAPTIONS.map((phrase) => ({ field: null, phrase: phrase.split(' ') })),
  ].sort((a, b) => b.phrase.length - a.phrase.length);
  const captions: Caption[] = [];
  for (const line of lines) {
    const words = line.words.map((word) => normalizeWord(word.text));
    const used = new Set<number>();
    for (const { field, phrase } of phrases) {
      for (let i = 0; i + phrase.length <= words.length; i++) {
        const span = phrase.map((_, k) => i + k);
        if (span.some((index, k) => used.has(index) || words[index] !== phrase[k])) continue;
        for (const k of span) used.add(k);
        const matched = span.map((k) => line.words[k] as OcrWord);
        captions.push({
          field,
          words: matched,
          x0: Math.min(...matched.map((w) => w.bbox.x0)),
          y0: Math.min(...matched.map((w) => w.bbox.y0)),
          x1: Math.max(...matched.map((w) => w.bbox.x1)),
          y1: Math.max(...matched.map((w) => w.bbox.y1)),
        });
      }
    }
  }
  return captions;
}

function trimPunctuation(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, '');
}

/**
 * Reads the value printed under each caption: the words just below it, starting at the
 * caption's left edge and ending before the next caption on the same row. ID documents
 * put captions above values; the portrait and background noise sit outside that box.
 */
export function extractPrintedFields(lines: OcrLine[]): PrintedFields {
  const captions = findCaptions(lines);
  const captionWords = new Set(captions.flatMap((caption) => caption.words));
  const words = lines.flatMap((line) => line.words).filter((word) => !captionWords.has(word));
  const fields: PrintedFields = {};
  for (const caption of captions) {
    if (caption.field === null || fields[caption.field]) continue;
    const height = caption.y1 - caption.y0;
    const rightBound = Math.min(
      ...captions
        // Two caption heights of slack: on a tilted photo a row's captions drift apart.
        .filter((other) => other.x0 > caption.x1 && Math.abs(other.y0 - caption.y0) < 2 * height)
        .map((other) => other.x0 - height / 2),
    );
    const value = words
      .filter((word) => {
        const centerY = (word.bbox.y0 + word.bbox.y1) / 2;
        return (
          centerY > caption.y1 &&
          centerY < caption.y1 + 3 * height &&
          word.bbox.x0 >= caption.x0 - height &&
          word.bbox.x0 < rightBound
        );
      })
      .sort((a, b) => a.bbox.x0 - b.bbox.x0);
    const text = trimPunctuation(value.map((word) => word.text).join(' '));
    if (text === '') continue;
    fields[caption.field] = {
      text,
      confidence: value.reduce((sum, word) => sum + word.confidence, 0) / value.length,
    };
  }
  return fields;
}
