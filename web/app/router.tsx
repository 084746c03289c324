// A history-API router for the single-page application: the server answers every page path
// with index.html (src/server/static_files.h), and the pages are chosen here from the path.
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export const NavigateContext = createContext<(href: string) => void>(() => {});
export const useNavigate = () => useContext(NavigateContext);

// An <a> that navigates in the page (keeping the language and the state) on a plain click;
// modified clicks (new tab, …) keep the browser's behaviour.
export function Link(props: { href: string; children: ComponentChildren; current?: boolean }) {
  const navigate = useNavigate();
  return (
    <a
      href={props.href}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
