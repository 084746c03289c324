// What a refusal means in the page's language: the numbered check's name (docs/checks.md)
// translated when the catalog has it, else the server's own detail, else the HTTP status.
import { ApiError } from './api';
import type { I18n } from './i18n';
import { checkMessages } from './messages';

export function problemMessage(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    const name = error.problem?.name;
    const translated = name ? checkMessages[i18n.lang][name] : undefined;
    if (translated) return translated;
    if (error.problem?.detail) return error.problem.detail;
    if (error.status === 429) return i18n.t('problem.tooMany');
    return i18n.t('common.error', { detail: `HTTP ${error.status}` });
  }
  return i18n.t('common.error', { detail: String(error) });
}
