import type { ReactNode } from 'react';
import { ErrorMessage, FormError, Loading } from './feedback';
import type { PagedState } from './hooks';

/** A paged newest-first list: its loading and error states, the items, and the "Older" button. */
export function PagedView<T>({
  state,
  loadMore,
  what,
  children,
}: {
  state: PagedState<T>;
  loadMore: () => void;
  what: string;
  children: (items: T[]) => ReactNode;
}) {
  switch (state.status) {
    case 'loading':
      return <Loading what={what} />;
    case 'error':
      return <ErrorMessage error={state.error} />;
    case 'ok':
      return (
        <>
          {children(state.items)}
          <div className="pager">
            {state.items.length > 0 && (
              <span className="muted">
                Showing {state.items.length} {what}
                {state.next ? '' : ' (no older ones)'}
              </span>
            )}
            {state.next && (
              <button type="button" onClick={loadMore} disabled={state.loadingMore}>
                Older
              </button>
            )}
            {state.loadingMore && <Loading what={`older ${what}`} />}
          </div>
          <FormError error={state.moreError} />
        </>
      );
  }
}
