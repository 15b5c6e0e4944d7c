import { type ReactNode, useEffect, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import type { Page } from './operations-api.ts';

/**
 * Cursor paging over one of the console's list routes. The cursors of the pages seen so far
 * are kept, so "Previous page" goes back without a reverse cursor. `load` must change only
 * when what it lists changes (wrap it in useCallback); `restart` goes back to the first page.
 */
export function useCasePages<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  onUnauthorized: (error: unknown) => boolean,
) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [items, setItems] = useState<readonly T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setProblem(null);
    load(cursor).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setNextCursor(page.cursor);
      },
      (error: unknown) => {
        if (current && !onUnauthorized(error)) setProblem(errorMessage(error));
      },
    );
    return () => {
      current = false;
    };
  }, [load, cursor, onUnauthorized]);

  const pager = (
    <div className="actions">
      <button
        type="button"
        disabled={cursors.length < 2}
        onClick={() => setCursors((seen) => seen.slice(0, -1))}
      >
        Previous page
      </button>
      <button
        type="button"
        disabled={!nextCursor}
        onClick={() => setCursors((seen) => [...seen, nextCursor])}
      >
        Next page
      </button>
    </div>
  );
  const problemAlert = <ErrorAlert problem={problem} />;
  return { items, pager, problemAlert, restart: () => setCursors([undefined]) };
}

export interface CaseColumn<T> {
  readonly header: string;
  readonly cell: (item: T) => ReactNode;
}

/** Cases as a table whose first column opens a case. */
export function CaseTable<T extends { readonly caseId: string }>({
  label,
  items,
  columns,
  openLabel,
  onOpen,
}: {
  label: string;
  items: readonly T[] | null;
  columns: readonly CaseColumn<T>[];
  /** Accessible name of the button that opens a case, e.g. `Open case <id>`. */
  openLabel: (caseId: string) => string;
  onOpen: (caseId: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={label} aria-busy={items === null}>
        <thead>
          <tr>
            <th scope="col">Case</th>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items?.map((item) => (
            <tr key={item.caseId}>
              <td>
                <button
                  type="button"
                  className="mono"
                  onClick={() => onOpen(item.caseId)}
                  aria-label={openLabel(item.caseId)}
                >
                  {item.caseId}
                </button>
              </td>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(item)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
