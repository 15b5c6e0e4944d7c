import { type FormEvent, useState } from 'react';
import { useRuntimeConfig } from '../../lib/config-context.tsx';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { SignInError, signInOperator } from './operator-auth.ts';

export function SignInForm({
  notice,
  onSignedIn,
}: {
  notice?: string;
  onSignedIn: (idToken: string) => void;
}) {
  const config = useRuntimeConfig();
  const heading = useHeadingFocus();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await signInOperator(config, username, password));
    } catch (error) {
      setProblem(error instanceof SignInError ? error.message : errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <section className="page" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading" ref={heading} tabIndex={-1}>
        Operations sign-in
      </h1>
      <p>
        {config.auth.kind === 'local'
          ? 'Local stack: use the operator printed by npm start.'
          : 'Sign in with your operator account.'}
      </p>
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="operator-username">Username</label>
          <input
            id="operator-username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="operator-password">Password</label>
          <input
            id="operator-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <ErrorAlert problem={problem} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
