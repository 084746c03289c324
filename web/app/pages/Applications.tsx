// Account applications (docs/api.md, "Administration"): any signed-in user applies for an account
// and follows its applications (on the accounts page); the registry administrator decides the
// pending ones of its registry (on the administration page) — approving opens the account and
// makes the applicant its authorised representative with the right chosen, rejecting needs a
// reason. A refusal (checks 460–463) shows its message.
import { useState } from 'preact/hooks';
import { useAction } from '../action';
import { api, type Schemas } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Link } from '../router';
import { Table } from '../table';

type Application = Schemas['AccountApplication'];
const RIGHTS = ['initiate_and_approve', 'initiate', 'approve', 'read_only'] as const;

function holder(a: Application) {
  return a.holder_name_ja ? `${a.holder_name} / ${a.holder_name_ja}` : a.holder_name;
}

export function ApplyForm(props: { onChange: () => void }) {
  const { t } = useI18n();
  const { run, view } = useAction();
  const [fields, setFields] = useState({ registry: '', holder_name: '', holder_name_ja: '', contact: '' });
  const set = (name: keyof typeof fields) => (e: Event) =>
    setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    const body = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, k === 'registry' ? v.trim().toUpperCase() : v.trim()]).filter(([, v]) => v),
    );
    if (await run('POST', '/api/v1/account-applications', body, t('applications.submitted'))) {
      setFields({ registry: '', holder_name: '', holder_name_ja: '', contact: '' });
      props.onChange();
    }
  };
  return (
    <section aria-labelledby="apply">
      <h2 id="apply">{t('applications.apply')}</h2>
      <form class="stacked" onSubmit={submit}>
        <label for="apply-registry">{t('applications.registry')}</label>
        <input id="apply-registry" required value={fields.registry} onInput={set('registry')} />
        <label for="apply-holder">{t('admin.holderName')}</label>
        <input id="apply-holder" required value={fields.holder_name} onInput={set('holder_name')} />
        <label for="apply-holder-ja">{t('admin.holderNameJa')}</label>
        <input id="apply-holder-ja" lang="ja" value={fields.holder_name_ja} onInput={set('holder_name_ja')} />
        <label for="apply-contact">{t('applications.contact')}</label>
        <input id="apply-contact" value={fields.contact} onInput={set('contact')} />
        <button type="submit">{t('applications.submit')}</button>
        {view}
      </form>
    </section>
  );
}

// The signed-in user's own applications and what became of them.
export function MyApplications(props: { version: number }) {
  const { t } = useI18n();
  const page = useLoad(() => api.applications({}), [props.version]);
  return (
    <section aria-labelledby="my-applications">
      <h2 id="my-applications">{t('applications.mine')}</h2>
      <Show loaded={page}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['applications.id', 'applications.registry', 'accounts.holder', 'applications.state',
              'applications.outcome']}>
              {data.items.map((a) => (
                <tr key={a.id} data-testid="my-application">
                  <th scope="row">{a.id}</th>
                  <td>{a.registry}</td>
                  <td>{holder(a)}</td>
                  <td>{t(`applications.state.${a.state}`)}</td>
                  <td>
                    {a.account ? <Link href={`/accounts/${a.account}`}>{a.account}</Link> : a.reason}
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Show>
    </section>
  );
}

// The registry's pending applications, each approved with a right or rejected with a reason.
export function ApplicationQueue(props: { registry: string; version: number; onChange: () => void }) {
  const { t, date } = useI18n();
  const { run, view } = useAction();
  const [rights, setRights] = useState<Record<number, string>>({});
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const page = useLoad(
    () => api.applications({ registry: props.registry || undefined, state: 'pending' }),
    [props.registry, props.version],
  );
  const decide = async (a: Application, verb: 'approve' | 'reject') => {
    const body = verb === 'approve' ? { right: rights[a.id] ?? RIGHTS[0] } : { reason: (reasons[a.id] ?? '').trim() };
    const done = t(verb === 'approve' ? 'applications.approved' : 'applications.rejected', { id: a.id });
    if (await run('POST', `/api/v1/account-applications/${a.id}/${verb}`, body, done)) props.onChange();
  };
  return (
    <section aria-labelledby="application-queue">
      <h2 id="application-queue">{t('applications.queue')}</h2>
      {view}
      <Show loaded={page}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['applications.id', 'accounts.holder', 'applications.applicant', 'applications.submittedOn',
              'proposals.actions']}>
              {data.items.map((a) => (
                <tr key={a.id} data-testid={`application-${a.id}`}>
                  <th scope="row">{a.id}</th>
                  <td>
                    {holder(a)}
                    {a.contact && <> ({a.contact})</>}
                  </td>
                  <td>{a.applicant}</td>
                  <td>{date(a.submitted.slice(0, 10))}</td>
                  <td>
                    <label for={`right-${a.id}`}>{t('applications.right')}</label>{' '}
                    <select id={`right-${a.id}`} value={rights[a.id] ?? RIGHTS[0]}
                      onChange={(e) => setRights({ ...rights, [a.id]: e.currentTarget.value })}>
                      {RIGHTS.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>{' '}
                    <button type="button" onClick={() => decide(a, 'approve')}>
                      {t('applications.approve', { id: a.id })}
                    </button>{' '}
                    <label for={`reason-${a.id}`}>{t('applications.reason')}</label>{' '}
                    <input id={`reason-${a.id}`} value={reasons[a.id] ?? ''}
                      onInput={(e) => setReasons({ ...reasons, [a.id]: e.currentTarget.value })} />{' '}
                    <button type="button" onClick={() => decide(a, 'reject')}>
                      {t('applications.reject', { id: a.id })}
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </Show>
    </section>
  );
}
