// The signed-in session of the browser (docs/web.md, "Signing in"). The session cookie is
// HttpOnly, so the page cannot see it: after a sign-in a flag in localStorage says a session
// may exist, and only then is /api/v1/me asked (who, which roles, the CSRF token) — a public
// visitor's pages never ask and never get a 401. The CSRF token lives in memory only.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { getJson, sendJson } from './api';

export interface Session {
  user: string;
  roles: string[];
  csrf: string;
}

interface MeBody {
  user: string;
  roles: string[];
  via: string;
  csrf_token?: string;
}

const FLAG = 'jcm.signedIn';

export async function restoreSession(): Promise<Session | null> {
  if (!localStorage.getItem(FLAG)) return null;
  try {
    const me = await getJson<MeBody>('/api/v1/me');
    return { user: me.user, roles: me.roles, csrf: me.csrf_token ?? '' };
  } catch {
    localStorage.removeItem(FLAG);
    return null;
  }
}

export async function signIn(user: string, password: string, totp: string): Promise<Session> {
  const body: Record<string, string> = { user, password };
  if (totp) body.totp = totp;
  const created = await sendJson<{ user: string; roles: string[]; csrf_token: string }>(
    'POST', '/api/v1/session', body, null);
  localStorage.setItem(FLAG, '1');
  return { user: created.user, roles: created.roles, csrf: created.csrf_token };
}

export async function signOut(session: Session): Promise<void> {
  localStorage.removeItem(FLAG);
  await sendJson('DELETE', '/api/v1/session', null, session).catch(() => undefined);
}

export interface SessionControl {
  session: Session | null;
  setSession: (session: Session | null) => void;
}

export const SessionContext = createContext<SessionControl>({ session: null, setSession: () => {} });
export const useSession = () => useContext(SessionContext);
