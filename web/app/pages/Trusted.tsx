// An account's trusted-account list (docs/api.md, "Transactions"): its entries with the time each
// takes effect (a new entry waits the registry's delay, 7 days by default), adding one and
// removing one. Transfers to an account in effect on the list run as soon as they are approved,
// or, where the registry administrator waived the second approval (the account's transaction
// rules, shown here; set through the API or `jcm trusted rules`), as soon as they are proposed.
import { useState } from 'preact/hooks';
import { api, sendJson, type TrustedEntry } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { problemMessage } from '../problems';
import { useSession } from '../session';
import { Table } from '../table';

export function TrustedList(props: { account: string; version: number; onChange: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const list = useLoad(() => api.trusted(props.account), [props.account, props.version]);
  const rules = useLoad(() => api.transactionRules(props.account), [props.account, props.version]);
  const [trusted, setTrusted] = useState('');
  const [error, setError] = useState('');
  const change = async (method: 'POST' | 'DELETE', path: string, body: unknown) => {
    setError('');
    try {
      await sendJson<TrustedEntry>(method, path, body, session);
      setTrusted('');
      props.onChange();
    } catch (e) {
      setError(problemMessage(e, i18n));
    }
  };
  const base = `/api/v1/accounts/${encodeURIComponent(props.account)}/trusted`;
  return (
    <section aria-labelledby="trusted">
      <h2 id="trusted">{t('trusted.heading')}</h2>
      <p class="note">{t('trusted.intro')}</p>
      <Show loaded={rules}>
        {(r) => (
          <p data-testid="transaction-rules">
            {r.waived
              ? t('trusted.rules.waived')
              : r.second_approval_to_trusted === 'not_required' && r.effective_at
                ? t('trusted.rules.pending', { time: new Date(r.effective_at * 1000).toISOString() })
                : t('trusted.rules.required')}
          </p>
        )}
      </Show>
      <Show loaded={list}>
        {(data) => {
          const entries = data.items.filter((e) => !e.removed);
          return entries.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['trusted.account', 'trusted.effective', 'proposals.actions']}>
              {entries.map((e) => (
                <tr key={e.id} data-testid={`trusted-${e.trusted}`}>
                  <th scope="row">{e.trusted}</th>
                  <td>{e.effective ? t('trusted.now') : new Date(e.effective_at * 1000).toISOString()}</td>
                  <td>
                    <button type="button" onClick={() => change('DELETE', `${base}/${e.id}`, null)}>
                      {t('trusted.remove', { account: e.trusted })}
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          );
        }}
      </Show>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          change('POST', base, { trusted: trusted.trim() });
        }}
      >
        <label for="trusted-account">{t('trusted.account')}</label>
        <input id="trusted-account" required value={trusted} onInput={(e) => setTrusted(e.currentTarget.value)} />
        <button type="submit">{t('trusted.add')}</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
