// What a refusal means in the page's language: the numbered check's name (docs/checks.md)
// translated when the catalog has it, else the server's own detail, else the HTTP status.
import { ApiError } from './api';
import type { I18n } from './i18n';
import { checkMessages } from './messages';

export function problemMessage(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    const named = checkMessage(error.problem?.name, error.problem?.detail, i18n);
    if (named) return named;
    if (error.status === 429) return i18n.t('problem.tooMany');
    return i18n.t('common.error', { detail: `HTTP ${error.status}` });
  }
  return i18n.t('common.error', { detail: String(error) });
}

// A numbered check by name in the page's language, else `detail` ('' when neither is known).
export function checkMessage(name: string | undefined, detail: string | undefined, i18n: I18n): string {
  return (name ? checkMessages[i18n.lang][name] : undefined) ?? detail ?? '';
}
