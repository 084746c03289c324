// A write from a page: runs the request and keeps its outcome as a message to show — the done
// text, or the refusal in the page's language (problems.ts) — in a status or alert paragraph.
import { useState } from 'preact/hooks';
import { sendJson } from './api';
import { useI18n } from './i18n';
import { problemMessage } from './problems';
import { useSession } from './session';

export function useAction() {
  const i18n = useI18n();
  const { session } = useSession();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const run = async (method: string, path: string, body: unknown, done: string) => {
    setMessage(null);
    try {
      await sendJson(method, path, body, session);
      setMessage({ error: false, text: done });
      return true;
    } catch (e) {
      setMessage({ error: true, text: problemMessage(e, i18n) });
      return false;
    }
  };
  const view = message && (
    <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : undefined}>
      {message.text}
    </p>
  );
  return { run, view };
}
