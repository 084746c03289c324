// useLoad: the state of one API request for a page (loading, the data, or the error), and the
// view of the loading and error states every page shares.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { useI18n } from './i18n';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: ApiError | Error };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    load().then(
      (data) => live && setLoaded({ state: 'ok', data }),
      (error: Error) => live && setLoaded({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return loaded;
}

export function Show<T>(props: {
  loaded: Loaded<T>;
  children: (data: T) => ComponentChildren;
  notFound?: string;
}) {
  const { t } = useI18n();
  const { loaded } = props;
  if (loaded.state === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (loaded.state === 'error') {
    const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <p role="alert" class="error">
        {notFound && props.notFound ? props.notFound : t('common.error', { detail: loaded.error.message })}
      </p>
    );
  }
  return <>{props.children(loaded.data)}</>;
}
