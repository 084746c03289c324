// The language of the pages: English or Japanese, chosen with the switch in the header and kept
// across pages and visits (localStorage), defaulting to the browser's preference. Numbers and
// dates are formatted by Intl for the chosen language.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, ja, termsEn, termsJa, type Catalog, type MessageKey } from './messages';

export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];
const CATALOGS: Record<Lang, Catalog> = { en, ja };
const TERMS: Record<Lang, Record<string, string>> = { en: termsEn, ja: termsJa };
const STORAGE_KEY = 'jcm.lang';

export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ja') return stored;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function rememberLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export interface I18n {
  lang: Lang;
  // The message `key` with each {name} replaced by params[name].
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  // An API code ("registered", "issuance") in words, or the code itself when unknown.
  term: (code: string) => string;
  num: (value: number) => string;
  // An ISO date (YYYY-MM-DD) in the language's style; '' for null.
  date: (iso: string | null | undefined) => string;
}

export function makeI18n(lang: Lang): I18n {
  const catalog = CATALOGS[lang];
  const numbers = new Intl.NumberFormat(lang);
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    lang,
    t: (key, params) =>
      catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? '')),
    term: (code) => TERMS[lang][code] ?? code,
    num: (value) => numbers.format(value),
    date: (iso) => {
      if (!iso) return '';
      const parsed = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(parsed.getTime()) ? iso : dates.format(parsed);
    },
  };
}

export const I18nContext = createContext<I18n>(makeI18n('en'));
export const useI18n = (): I18n => useContext(I18nContext);
