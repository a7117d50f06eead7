import { createContext, useContext } from 'react';
import type { Api } from './api';

/** The signed-in admin: kept in React state and sessionStorage only (never localStorage). */
export interface Credentials {
  username: string;
  /** base64(username:password), the admin API's Basic credential. */
  token: string;
}

const KEY = 'points-console.session';

export function loadCredentials(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Credentials>;
    if (typeof parsed.username === 'string' && typeof parsed.token === 'string') {
      return { username: parsed.username, token: parsed.token };
    }
  } catch {
    // Storage unavailable or damaged: sign in again.
  }
  return null;
}

export function saveCredentials(credentials: Credentials): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(credentials));
  } catch {
    // Storage unavailable: the session lasts as long as the page.
  }
}

export function clearCredentials(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

export interface SessionValue {
  api: Api;
  username: string;
  signOut: () => void;
  /**
   * After the API accepted a new password for this admin: sign in with it in place of the old
   * one (which no longer works), without leaving the screen.
   */
  adoptPassword: (password: string) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export function useApi(): Api {
  return useSession().api;
}
