// Sign-in with user name, password and the authenticator's 6-digit code (TOTP), and the signed-in
// user's own page: who, which roles, sign out. A refusal shows the numbered check's message in
// the page's language (problemMessage).
import { useState } from 'preact/hooks';
import { problemMessage } from '../problems';
import { useI18n } from '../i18n';
import { useNavigate } from '../router';
import { signIn, signOut, useSession } from '../session';

export function SignIn() {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const { setSession } = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <>
      <h1 tabIndex={-1}>{t('signin.heading')}</h1>
      <p>{t('signin.intro')}</p>
      <form
        class="stacked"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError('');
          try {
            setSession(await signIn(user.trim(), password, totp.trim()));
            navigate('/account');
          } catch (e) {
            setError(problemMessage(e, i18n));
            setPassword('');
            setTotp('');
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="user">{t('signin.user')}</label>
        <input id="user" name="user" autocomplete="username" required value={user}
          onInput={(e) => setUser(e.currentTarget.value)} />
        <label for="password">{t('signin.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label for="totp">{t('signin.totp')}</label>
        <input id="totp" name="totp" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}"
          value={totp} onInput={(e) => setTotp(e.currentTarget.value)} aria-describedby="totp-help" />
        <p id="totp-help" class="note">{t('signin.totpHelp')}</p>
        <button type="submit" disabled={busy}>{t('signin.submit')}</button>
        {error && <p role="alert" class="error">{error}</p>}
      </form>
    </>
  );
}

export function Account() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { session, setSession } = useSession();
  if (!session) {
    return (
      <>
        <h1 tabIndex={-1}>{t('account.heading')}</h1>
        <p>{t('account.signedOut')}</p>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>{t('account.heading')}</h1>
      <dl>
        <dt>{t('signin.user')}</dt>
        <dd data-testid="signed-in-user">{session.user}</dd>
        <dt>{t('account.roles')}</dt>
        <dd>
          {session.roles.length === 0 ? (
            t('common.none')
          ) : (
            <ul>
              {session.roles.map((role) => (
                <li key={role}>{role}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <button
        type="button"
        onClick={async () => {
          await signOut(session);
          setSession(null);
          navigate('/');
        }}
      >
        {t('account.signOut')}
      </button>
    </>
  );
}
