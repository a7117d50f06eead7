import { useEffect, useState } from 'react';
import { ApiError, basicToken, createApi, UNREACHABLE } from '../../api';
import { ErrorBox, NO_ADMIN } from '../../components/feedback';
import { SubmitForm, TextField } from '../../components/fields';
import { useSubmit } from '../../components/hooks';
import type { Credentials } from '../../session';

export const WRONG_CREDENTIALS = 'Wrong username or password';

/** What to tell a person whose sign-in failed (a string is the console's own message). */
function signInMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof ApiError && error.status === 401) return WRONG_CREDENTIALS;
  if (error instanceof ApiError && error.status === 403) return NO_ADMIN;
  if (error instanceof ApiError && error.unreachable) return UNREACHABLE;
  return error instanceof Error ? error.message : 'Sign-in failed';
}

export function SignIn({
  notice,
  onSignedIn,
}: {
  notice: string | null;
  onSignedIn: (credentials: Credentials) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit, setError } = useSubmit(async () => {
    const token = basicToken(username, password);
    // Any admin read proves the credential and the admin permission.
    await createApi(token).getConfig();
    setPassword('');
    onSignedIn({ username, token });
  });

  useEffect(() => {
    document.title = 'Sign in · Points console';
  }, []);

  const signIn = () => {
    if (!username || !password) {
      setError('Enter a username and a password');
      return;
    }
    void submit();
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
      <SubmitForm onSubmit={signIn}>
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
        {error ? <ErrorBox title={signInMessage(error)} /> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </SubmitForm>
    </div>
  );
}
