import { InvalidToken, sfnError } from './errors.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** One page of `items`, with the AWS paging rules: maxResults 0 or absent means the default. */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken: string | undefined } {
  const size = Math.min(maxResults || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const start = nextToken === undefined ? 0 : decode(nextToken);
  const end = start + size;
  return { page: items.slice(start, end), nextToken: end < items.length ? encode(end) : undefined };
}

const encode = (offset: number): string =>
  Buffer.from(JSON.stringify({ offset })).toString('base64url');

function decode(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      offset: unknown;
    };
    if (Number.isInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // Reported below like any other token that is not ours.
  }
  throw sfnError(InvalidToken, 'Invalid Token: the pagination token is not valid');
}
