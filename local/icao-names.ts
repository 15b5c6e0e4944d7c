/** ICAO 9303 part 3 transliterations that are not just a dropped accent (SCHRÖDER -> SCHROEDER). */
const EXPANSIONS: Readonly<Record<string, string>> = {
  Ä: 'AE',
  Æ: 'AE',
  Å: 'AA',
  Ö: 'OE',
  Ø: 'OE',
  Œ: 'OE',
  Ü: 'UE',
  ß: 'SS',
  Þ: 'TH',
  Ð: 'D',
};

/** Upper case, with the letters ICAO writes as two in the MRZ expanded; other accents kept. */
export function expandIcaoLetters(text: string): string {
  return text.toUpperCase().replace(/[ÄÆÅÖØŒÜÞÐ]|ß/g, (letter) => EXPANSIONS[letter] ?? letter);
}
