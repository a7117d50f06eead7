import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { basicToken, createApi } from './api';
import { Notice } from './components/feedback';
import { Link, match, useLocation } from './router';
import {
  clearCredentials,
  loadCredentials,
  saveCredentials,
  SessionContext,
  useSession,
  type Credentials,
  type SessionValue,
} from './session';
import { SignIn } from './screens/SignIn/SignIn';
import { Dashboard } from './screens/Dashboard/Dashboard';
import { CustomersScreen } from './screens/Customers/CustomersScreen';
import { CustomerPage } from './screens/Customers/CustomerPage';
import { Settings } from './screens/Settings/Settings';
import { Programs } from './screens/Programs/Programs';
import { Tills } from './screens/Tills/Tills';
import { Groups } from './screens/Groups/Groups';
import { GroupPage } from './screens/Groups/GroupPage';
import { Outbox } from './screens/Outbox/Outbox';
import { Webhooks } from './screens/Webhooks/Webhooks';
import { AuditLog } from './screens/Audit/AuditLog';
import { NotFound } from './screens/NotFound/NotFound';
import { ChangeOwnPassword } from './screens/Account/ChangeOwnPassword';

const NAV = [
  { to: '/', label: 'Dashboard' },
  { to: '/customers', label: 'Customers' },
  { to: '/settings', label: 'Settings' },
  { to: '/programs', label: 'Programs' },
  { to: '/tills', label: 'Tills' },
  { to: '/groups', label: 'Groups' },
  { to: '/outbox', label: 'Outbox & missed calls' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/audit', label: 'Audit log' },
];

interface Route {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/', render: () => <Dashboard /> },
  { pattern: '/customers', render: () => <CustomersScreen /> },
  { pattern: '/customers/:id', render: ({ id }) => <CustomerPage key={id} idText={id} /> },
  { pattern: '/settings', render: () => <Settings /> },
  { pattern: '/programs', render: () => <Programs /> },
  { pattern: '/tills', render: () => <Tills /> },
  { pattern: '/groups', render: () => <Groups /> },
  { pattern: '/groups/:id', render: ({ id }) => <GroupPage key={id} idText={id} /> },
  { pattern: '/outbox', render: () => <Outbox /> },
  { pattern: '/webhooks', render: () => <Webhooks /> },
  { pattern: '/audit', render: () => <AuditLog /> },
];

function routeFor(path: string): ReactNode {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return route.render(params);
  }
  return <NotFound />;
}

function isCurrent(to: string, path: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

function Shell() {
  const { username, signOut } = useSession();
  const { path } = useLocation();
  const first = useRef(true);
  // Shown on the screen where it happened, gone from the next one (even a return to it).
  const [notice, setNotice] = useState<{ text: string; path: string } | null>(null);

  // After in-app navigation, move focus to the new screen's heading (as a page load would).
  useEffect(() => {
    setNotice(null);
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand">Points console</div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={isCurrent(item.to, path) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="muted">
            Signed in as <strong>{username}</strong>
          </span>
          <ChangeOwnPassword onChanged={(text) => setNotice({ text, path })} />
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        {notice?.path === path && <Notice>{notice.text}</Notice>}
        {routeFor(path)}
      </main>
    </>
  );
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(loadCredentials);
  const [notice, setNotice] = useState<string | null>(null);
  // The credential in use now, read when a call fails with 401 (see below).
  const current = useRef(credentials?.token ?? null);

  const keepCredentials = useCallback((c: Credentials | null) => {
    current.current = c?.token ?? null;
    if (c) saveCredentials(c);
    else clearCredentials();
    setCredentials(c);
  }, []);

  const signOut = useCallback(
    (message?: string) => {
      keepCredentials(null);
      setNotice(message ?? null);
    },
    [keepCredentials],
  );

  const session = useMemo((): SessionValue | null => {
    if (!credentials) return null;
    const { username, token } = credentials;
    const api = createApi(token, () => {
      // A call still under way with a password that has since been changed (or after signing
      // out) fails with 401; that says nothing of the credential in use now.
      if (current.current === token) {
        signOut('The service no longer accepts this sign-in. Sign in again.');
      }
    });
    return {
      api,
      username,
      signOut: () => signOut(),
      adoptPassword: (password) =>
        keepCredentials({ username, token: basicToken(username, password) }),
    };
  }, [credentials, signOut, keepCredentials]);

  if (!session) {
    return (
      <main id="main" className="signin-main">
        <SignIn
          notice={notice}
          onSignedIn={(c) => {
            setNotice(null);
            keepCredentials(c);
          }}
        />
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
