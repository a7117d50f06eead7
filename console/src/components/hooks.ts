import { useCallback, useEffect, useRef, useState } from 'react';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ok'; data: T; refreshing: boolean };

/**
 * Loads data when `deps` change (showing the loading state) or on `reload()` (keeping what is
 * shown until the new answer arrives). Answers to superseded loads are dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reloading = useRef(false);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    const keep = reloading.current;
    reloading.current = false;
    setState((s) =>
      keep && s.status === 'ok' ? { ...s, refreshing: true } : { status: 'loading' },
    );
    loadRef.current().then(
      (data) => {
        if (live) setState({ status: 'ok', data, refreshing: false });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', error });
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);

  const reload = useCallback(() => {
    reloading.current = true;
    setTick((t) => t + 1);
  }, []);
  const setData = useCallback((data: T) => setState({ status: 'ok', data, refreshing: false }), []);
  return { state, reload, setData };
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type PagedState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | {
      status: 'ok';
      items: T[];
      next: string | null;
      loadingMore: boolean;
      moreError: unknown;
    };

/**
 * A newest-first list read page by page ("Older" asks for the page before the last one).
 * `refresh()` reads the newest page again in place (no loading state), asking for at least as
 * many items as are shown (`atLeast`), so that a list that changes under the reader (statuses
 * moving on) stays put.
 */
export function usePaged<T>(
  loadPage: (before?: string, atLeast?: number) => Promise<Page<T>>,
  deps: unknown[],
) {
  const [state, setState] = useState<PagedState<T>>({ status: 'loading' });
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setState({ status: 'loading' });
    loadRef.current().then(
      (page) => {
        if (generation.current === mine) {
          setState({ status: 'ok', ...page, loadingMore: false, moreError: null });
        }
      },
      (error: unknown) => {
        if (generation.current === mine) setState({ status: 'error', error });
      },
    );
  }, deps);

  const loadMore = useCallback(() => {
    if (state.status !== 'ok' || !state.next || state.loadingMore) return;
    const mine = generation.current;
    const before = state.next;
    setState({ ...state, loadingMore: true, moreError: null });
    loadRef.current(before).then(
      (page) => {
        if (generation.current !== mine) return;
        setState((s) =>
          s.status === 'ok'
            ? {
                ...s,
                items: [...s.items, ...page.items],
                next: page.next,
                loadingMore: false,
              }
            : s,
        );
      },
      (error: unknown) => {
        if (generation.current !== mine) return;
        setState((s) => (s.status === 'ok' ? { ...s, loadingMore: false, moreError: error } : s));
      },
    );
  }, [state]);

  const current = useRef(state);
  current.current = state;
  const refresh = useCallback(() => {
    const now = current.current;
    if (now.status !== 'ok') return;
    // Supersedes an "Older" under way: its page would follow a list that is no longer shown.
    const mine = ++generation.current;
    loadRef.current(undefined, now.items.length).then(
      (page) => {
        if (generation.current !== mine) return;
        setState((s) =>
          s.status === 'ok'
            ? { ...s, items: page.items, next: page.next, loadingMore: false, moreError: null }
            : s,
        );
      },
      (error: unknown) => {
        if (generation.current !== mine) return;
        setState((s) => (s.status === 'ok' ? { ...s, loadingMore: false, moreError: error } : s));
      },
    );
  }, []);

  return { state, loadMore, refresh };
}

/**
 * A form's (or a button's) call: `submit(...args)` clears the last error and runs `action` while
 * `busy` is true; what `action` throws becomes `error`. Checks made before calling (messages of
 * the console's own) go first, then `submit` with what they worked out; `setError` shows or
 * clears an error by hand.
 */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit, setError };
}
