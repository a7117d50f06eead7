import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, basicToken, createApi, UNREACHABLE } from '../../api';
import { NO_ADMIN } from '../../components/feedback';
import { TextField } from '../../components/fields';
import type { Credentials } from '../../session';

export const WRONG_CREDENTIALS = 'Wrong username or password';

export function SignIn({
  notice,
  onSignedIn,
}: {
  notice: string | null;
  onSignedIn: (credentials: Credentials) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Sign in · Points console';
  }, []);

  async function signIn() {
    setBusy(true);
    setError(null);
    const token = basicToken(username, password);
    try {
      // Any admin read proves the credential and the admin permission.
      await createApi(token).getConfig();
      setPassword('');
      onSignedIn({ username, token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(WRONG_CREDENTIALS);
      else if (err instanceof ApiError && err.status === 403) setError(NO_ADMIN);
      else if (err instanceof ApiError && err.unreachable) setError(UNREACHABLE);
      else setError(err instanceof Error ? err.message : 'Sign-in failed');
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!username || !password) {
      setError('Enter a username and a password');
      return;
    }
    void signIn();
  };

  return (
    <div className="signin">
      <p className="brand">Points console</p>
      <h1>Sign in</h1>
      <p className="muted">Use an admin account of the points service.</p>
      {notice && (
        <div className="message info" role="status">
          {notice}
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        {error && (
          <div className="message error" role="alert">
            <p>
              <strong>{error}</strong>
            </p>
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
