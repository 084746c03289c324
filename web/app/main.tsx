// The web application: the layout (skip link, header with navigation and the language switch),
// and the page chosen by the path (router.tsx): the public pages, and once signed in the
// authorised representative's (docs/web.md).
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { I18nContext, LANGS, initialLang, makeI18n, rememberLang, useI18n, type Lang } from './i18n';
import { AccountPage, Accounts } from './pages/Accounts';
import { AdminPage } from './pages/Admin';
import { Committee, Committees } from './pages/Committees';
import { CycleBoard, CycleStepPage } from './pages/Cycle';
import { ExecuteQueue } from './pages/Execute';
import { ProgrammePage } from './pages/Programme';
import { TpeWorkPage } from './pages/TpeWork';
import { MrvPage } from './pages/Mrv';
import { Credit } from './pages/Credit';
import { Decisions } from './pages/Decisions';
import { Home } from './pages/Home';
import { Account, SignIn } from './pages/SignIn';
import { MethodologyPage, Methodologies } from './pages/Methodologies';
import { Project } from './pages/Project';
import { Projects } from './pages/Projects';
import { Retirements } from './pages/Retirements';
import { Link, NavigateContext, currentLocation, type Location } from './router';
import { restoreSession, SessionContext, type Session } from './session';
import './style.css';

function Page(props: { location: Location }) {
  const { path, query } = props.location;
  if (path === '/') return <Home />;
  if (path === '/projects') return <Projects />;
  if (path.startsWith('/projects/')) {
    return <Project key={path} id={decodeURIComponent(path.slice('/projects/'.length))} />;
  }
  if (path === '/credits') return <Credit key={query.get('serial') ?? ''} serial={query.get('serial') ?? ''} />;
  if (path === '/decisions') return <Decisions />;
  if (path === '/retirements') return <Retirements />;
  if (path === '/sign-in') return <SignIn />;
  if (path === '/account') return <Account />;
  if (path === '/accounts') return <Accounts />;
  if (path === '/mrv') return <MrvPage />;
  if (path === '/execute') return <ExecuteQueue />;
  if (path === '/tpe') return <TpeWorkPage />;
  if (path === '/programme') return <ProgrammePage />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/cycle') return <CycleBoard partner={query.get('partner') ?? ''} />;
  if (path.startsWith('/cycle/')) {
    return <CycleStepPage key={path} name={decodeURIComponent(path.slice('/cycle/'.length))} prefill={query} />;
  }
  if (path.startsWith('/accounts/')) {
    return <AccountPage key={path} id={decodeURIComponent(path.slice('/accounts/'.length))} />;
  }
  if (path === '/committees') return <Committees />;
  if (path.startsWith('/committees/')) {
    return <Committee key={path} partner={decodeURIComponent(path.slice('/committees/'.length))} />;
  }
  if (path === '/methodologies') return <Methodologies />;
  if (path.startsWith('/methodologies/')) {
    return <MethodologyPage key={path} reference={decodeURIComponent(path.slice('/methodologies/'.length))} />;
  }
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return <h1 tabIndex={-1}>{t('notFound.heading')}</h1>;
}

const NAV = [
  ['/', 'nav.home'],
  ['/projects', 'nav.projects'],
  ['/credits', 'nav.credits'],
  ['/decisions', 'nav.decisions'],
  ['/retirements', 'nav.retirements'],
  ['/committees', 'nav.committees'],
  ['/methodologies', 'nav.methodologies'],
  ['/programme', 'nav.programme'],
] as const;

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [location, setLocation] = useState<Location>(currentLocation);
  const [session, setSession] = useState<Session | null>(null);
  useEffect(() => {
    restoreSession().then(setSession);
  }, []);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  useEffect(() => {
    rememberLang(lang);
    document.title = i18n.t('app.title');
  }, [lang]);
  useEffect(() => {
    const onPop = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (href: string) => {
    window.history.pushState(null, '', href);
    setLocation(currentLocation());
    window.scrollTo(0, 0);
    // Focus the new page's heading (or, while it loads, the main region), so a screen reader
    // announces the page and Tab continues from there rather than from the link clicked.
    requestAnimationFrame(() =>
      (document.querySelector<HTMLElement>('main h1') ?? document.querySelector<HTMLElement>('main'))?.focus(),
    );
  };
  const section = '/' + (location.path.split('/')[1] ?? '');
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={{ session, setSession }}>
        <NavigateContext.Provider value={navigate}>
          <a class="skip" href="#main">
            {i18n.t('app.skip')}
          </a>
          <header>
            <span class="brand">{i18n.t('app.title')}</span>
            <nav aria-label={i18n.t('nav.label')}>
              <ul>
                {NAV.map(([href, key]) => (
                  <li key={href}>
                    <Link href={href} current={section === href}>
                      {i18n.t(key)}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <span class="who">
              {session && (
                <>
                  <Link href="/accounts" current={section === '/accounts'}>
                    {i18n.t('nav.accounts')}
                  </Link>{' '}
                  <Link href="/cycle" current={section === '/cycle'}>
                    {i18n.t('nav.cycle')}
                  </Link>{' '}
                  <Link href="/mrv" current={section === '/mrv'}>
                    {i18n.t('nav.mrv')}
                  </Link>{' '}
                  {session.roles.some((r) => r.startsWith('tpe:')) && (
                    <>
                      <Link href="/tpe" current={section === '/tpe'}>
                        {i18n.t('nav.tpe')}
                      </Link>{' '}
                    </>
                  )}
                  {session.roles.some((r) => r.startsWith('registry_administrator:')) && (
                    <>
                      <Link href="/execute" current={section === '/execute'}>
                        {i18n.t('nav.execute')}
                      </Link>{' '}
                      <Link href="/admin" current={section === '/admin'}>
                        {i18n.t('nav.admin')}
                      </Link>{' '}
                    </>
                  )}
                </>
              )}
              {session ? (
                <Link href="/account" current={section === '/account'}>
                  {i18n.t('nav.account', { user: session.user })}
                </Link>
              ) : (
                <Link href="/sign-in" current={section === '/sign-in'}>
                  {i18n.t('nav.signIn')}
                </Link>
              )}
            </span>
            <label class="lang">
              {i18n.t('lang.label')}{' '}
              <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
                {LANGS.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {l === 'en' ? 'English' : '日本語'}
                  </option>
                ))}
              </select>
            </label>
          </header>
          <main id="main" tabIndex={-1}>
            <Page location={location} />
          </main>
        </NavigateContext.Provider>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
