import type { ReactNode } from 'react';
import { ApiError, UNREACHABLE } from '../api';
import type { LoadState } from './hooks';

export const NO_ADMIN = 'This account cannot use the console (no admin permission)';

/** What to tell a person about a failed call. */
export function describeError(error: unknown): { title: string; detail?: string } {
  if (error instanceof ApiError) {
    if (error.status === 0) {
      return { title: UNREACHABLE, detail: 'No answer. Check that the service is running.' };
    }
    if (error.unreachable) {
      return { title: UNREACHABLE, detail: `The service answered HTTP ${error.status}.` };
    }
    if (error.status === 403) return { title: NO_ADMIN };
    return { title: error.message };
  }
  if (error instanceof Error) return { title: error.message };
  return { title: 'Something went wrong' };
}

/** An alert: what went wrong in bold, then more about it. */
export function ErrorBox({
  title,
  detail,
  children,
}: {
  title: string;
  detail?: string;
  children?: ReactNode;
}) {
  return (
    <div className="message error" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      {detail && <p>{detail}</p>}
      {children}
    </div>
  );
}

/** A failed load: what went wrong, and a way to try again. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <ErrorBox {...describeError(error)}>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </ErrorBox>
  );
}

/**
 * A failed form submission: the API's message and the field errors that are not already shown
 * next to their field (`inline` names those).
 */
export function FormError({ error, inline = [] }: { error: unknown; inline?: string[] }) {
  if (!error) return null;
  const others =
    error instanceof ApiError ? error.fieldErrors.filter((e) => !inline.includes(e.field)) : [];
  return (
    <ErrorBox {...describeError(error)}>
      {others.length > 0 && (
        <ul>
          {others.map((e, i) => (
            <li key={i}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </ErrorBox>
  );
}

/** The message for one field from a failed submission, if any. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="message success" role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p className="loading" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

/** The loading and error states of a load, and its data once there. */
export function Async<T>({
  state,
  retry,
  what,
  children,
}: {
  state: LoadState<T>;
  retry?: () => void;
  what?: string;
  children: (data: T) => ReactNode;
}) {
  switch (state.status) {
    case 'loading':
      return <Loading what={what} />;
    case 'error':
      return <ErrorMessage error={state.error} onRetry={retry} />;
    case 'ok':
      return <>{children(state.data)}</>;
  }
}

export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}
