// Keyset paging (docs/api.md, "Pagination"): the API gives the cursor of the next page; the
// cursors of the pages before are kept here so "previous" needs no offset.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from './i18n';

export interface CursorStack {
  cursor: string | undefined;
  previous: (() => void) | null;
  advance: (next: string) => void;
}

// The stack restarts at the first page whenever one of `resetOn` changes (a new filter).
export function useCursorStack(resetOn: unknown[]): CursorStack {
  const [stack, setStack] = useState<string[]>([]);
  useEffect(() => setStack([]), resetOn);
  return {
    cursor: stack[stack.length - 1],
    previous: stack.length > 0 ? () => setStack(stack.slice(0, -1)) : null,
    advance: (next) => setStack([...stack, next]),
  };
}

export function Pager(props: { stack: CursorStack; next: string | null }) {
  const { t } = useI18n();
  const { previous, advance } = props.stack;
  const next = props.next;
  if (!previous && !next) return null;
  return (
    <nav class="pager" aria-label={t('common.pager')}>
      <button type="button" disabled={!previous} onClick={() => previous?.()}>
        {t('common.previous')}
      </button>
      <button type="button" disabled={!next} onClick={() => next && advance(next)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
