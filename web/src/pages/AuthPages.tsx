import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { FormField } from '../components/FormField';
import { SIGNED_OUT_MESSAGE, useSession } from '../session';
import { usePageTitle } from '../hooks/usePageTitle';

type Fields = 'username' | 'password' | 'displayName';
type Errors = Partial<Record<Fields | 'form', string>>;

/** The API names the offending field in `error.field`; anything else is shown for the whole form. */
function errorsFrom(e: unknown): Errors {
  if (e instanceof ApiError) {
    if (e.field === 'username' || e.field === 'password' || e.field === 'displayName') {
      return { [e.field]: e.code === 'username_taken' ? 'That username is taken.' : e.message };
    }
    // API.md does not promise `field` on username_taken; it can only be about the username.
    if (e.code === 'username_taken') return { username: 'That username is taken.' };
    if (e.status === 401) return { form: 'Wrong username or password.' };
    return { form: e.message };
  }
  return { form: e instanceof Error ? e.message : 'Something went wrong.' };
}

function checkLocally(username: string, password: string, displayName?: string): Errors {
  const errors: Errors = {};
  if (!/^[A-Za-z0-9_]{1,15}$/.test(username)) errors.username = 'Use 1–15 letters, digits or underscores.';
  if (password.length < 8 || password.length > 128) errors.password = 'Use 8 to 128 characters.';
  if (displayName !== undefined && Array.from(displayName).length > 50) errors.displayName = 'At most 50 characters.';
  return errors;
}

function useAfterAuth() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  return () => navigate(from, { replace: true });
}

export function SignupPage() {
  usePageTitle('Sign up');
  const { register } = useSession();
  const done = useAfterAuth();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = checkLocally(username, password, displayName);
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await register({ username, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) });
      done();
    } catch (err) {
      setErrors(errorsFrom(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="auth-card" aria-labelledby="signup-heading">
      <h1 id="signup-heading">Create your account</h1>
      <form onSubmit={submit} noValidate>
        {errors.form && (
          <p role="alert" className="field-error">
            {errors.form}
          </p>
        )}
        <FormField label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username} hint="1–15 letters, digits or underscores." required />
        <FormField label="Display name (optional)" name="displayName" autoComplete="nickname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.displayName} />
        <FormField label="Password" name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} hint="At least 8 characters." required />
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? 'Creating account…' : 'Sign up'}
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}

export function LoginPage() {
  usePageTitle('Log in');
  const { login, signedOut } = useSession();
  const done = useAfterAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local: Errors = {};
    if (!username) local.username = 'Enter your username.';
    if (!password) local.password = 'Enter your password.';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await login({ username, password });
      done();
    } catch (err) {
      setErrors(errorsFrom(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="auth-card" aria-labelledby="login-heading">
      <h1 id="login-heading">Log in to Starling</h1>
      {signedOut && (
        <p role="status" className="notice">
          {SIGNED_OUT_MESSAGE[signedOut]}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {errors.form && (
          <p role="alert" className="field-error">
            {errors.form}
          </p>
        )}
        <FormField label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username} required />
        <FormField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} required />
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
