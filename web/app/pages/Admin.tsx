// The registry administrator's page (docs/api.md, "Administration"): the account applications
// to decide (Applications.tsx), open an account in the administered registry, suspend, reopen or
// close one, and the users holding roles in the registry with granting and revoking roles. What a role may grant is decided by the server
// (a registry administrator: representatives of its registry's accounts and its own role;
// a system administrator: every role); a refusal shows its message.
import { useState } from 'preact/hooks';
import { useAction } from '../action';
import { api } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Link } from '../router';
import { useSession } from '../session';
import { Table } from '../table';
import { ApplicationQueue } from './Applications';


export function AdminPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const registry = (session?.roles ?? []).find((r) => r.startsWith('registry_administrator:'))?.split(':')[1] ?? '';
  if (!session) return <h1 tabIndex={-1}>{t('accounts.signIn')}</h1>;
  return (
    <>
      <h1 tabIndex={-1}>{t('admin.heading', { registry })}</h1>
      {registry && <RegistryTotals registry={registry} version={version} />}
      <ApplicationQueue registry={registry} version={version} onChange={() => setVersion(version + 1)} />
      <OpenAccountForm registry={registry} onChange={() => setVersion(version + 1)} />
      <RegistryAccounts registry={registry} version={version} onChange={() => setVersion(version + 1)} />
      <Users version={version} onChange={() => setVersion(version + 1)} />
    </>
  );
}

// The registry's totals (what `jcm registry summary` shows), reloaded after each change here.
function RegistryTotals(props: { registry: string; version: number }) {
  const { t, num } = useI18n();
  const summary = useLoad(() => api.registry(props.registry), [props.registry, props.version]);
  return (
    <section aria-labelledby="registry-totals">
      <h2 id="registry-totals">{t('admin.totals')}</h2>
      <Show loaded={summary}>
        {(s) => (
          <dl class="totals" data-testid="registry-totals">
            {([
              ['reg.issued', s.issued_tco2e],
              ['reg.held', s.held_tco2e],
              ['reg.retired', s.retired_tco2e],
              ['reg.cancelled', s.cancelled_tco2e],
              ['admin.pending', s.pending_issuance_tco2e],
              ['admin.accountCount', s.accounts],
            ] as const).map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{num(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Show>
    </section>
  );
}

function OpenAccountForm(props: { registry: string; onChange: () => void }) {
  const { t } = useI18n();
  const { run, view } = useAction();
  const [name, setName] = useState('');
  const [nameJa, setNameJa] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Record<string, string> = { registry: props.registry, holder_name: name.trim() };
    if (nameJa.trim()) body.holder_name_ja = nameJa.trim();
    if (await run('POST', '/api/v1/accounts', body, t('admin.opened', { holder: name.trim() }))) {
      setName('');
      setNameJa('');
      props.onChange();
    }
  };
  return (
    <section aria-labelledby="open-account">
      <h2 id="open-account">{t('admin.open')}</h2>
      <form class="stacked" onSubmit={submit}>
        <label for="holder-name">{t('admin.holderName')}</label>
        <input id="holder-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="holder-name-ja">{t('admin.holderNameJa')}</label>
        <input id="holder-name-ja" lang="ja" value={nameJa} onInput={(e) => setNameJa(e.currentTarget.value)} />
        <button type="submit">{t('admin.openSubmit')}</button>
        {view}
      </form>
    </section>
  );
}

function RegistryAccounts(props: { registry: string; version: number; onChange: () => void }) {
  const { t, num } = useI18n();
  const { run, view } = useAction();
  const page = useLoad(() => api.accounts({ registry: props.registry || undefined, limit: '1000' }), [props.registry, props.version]);
  const change = async (id: string, state: string) => {
    if (await run('POST', `/api/v1/accounts/${id}/state`, { state }, t('admin.stateChanged', { id, state }))) {
      props.onChange();
    }
  };
  return (
    <section aria-labelledby="registry-accounts">
      <h2 id="registry-accounts">{t('admin.accounts')}</h2>
      {view}
      <Show loaded={page}>
        {(data) => (
          <Table headers={['accounts.id', 'accounts.type', 'accounts.holder', 'accounts.state', 'accounts.total',
            'proposals.actions']}>
            {data.items.map((a) => (
              <tr key={a.id} data-testid={`admin-account-${a.id}`}>
                <th scope="row"><Link href={`/accounts/${a.id}`}>{a.id}</Link></th>
                <td>{a.type}</td>
                <td>{a.holder_name_ja ? `${a.holder_name} / ${a.holder_name_ja}` : a.holder_name}</td>
                <td data-testid="account-state">{a.state}</td>
                <td>{num(a.total)}</td>
                <td>
                  {a.state === 'open' && (
                    <button type="button" onClick={() => change(a.id, 'suspended')}>
                      {t('admin.suspend', { id: a.id })}
                    </button>
                  )}
                  {a.state === 'suspended' && (
                    <button type="button" onClick={() => change(a.id, 'open')}>
                      {t('admin.reopen', { id: a.id })}
                    </button>
                  )}{' '}
                  {a.state !== 'closed' && a.total === 0 && (
                    <button type="button" onClick={() => change(a.id, 'closed')}>
                      {t('admin.close', { id: a.id })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Show>
    </section>
  );
}

function Users(props: { version: number; onChange: () => void }) {
  const { t } = useI18n();
  const { run, view } = useAction();
  const page = useLoad(() => api.users(), [props.version]);
  const [user, setUser] = useState('');
  const [role, setRole] = useState('');
  const grant = async (event: Event) => {
    event.preventDefault();
    const path = `/api/v1/users/${encodeURIComponent(user.trim())}/roles`;
    if (await run('POST', path, { role: role.trim() }, t('admin.granted', { role: role.trim(), user: user.trim() }))) {
      setRole('');
      props.onChange();
    }
  };
  const revoke = async (name: string, r: string) => {
    const path = `/api/v1/users/${encodeURIComponent(name)}/roles/${encodeURIComponent(r)}`;
    if (await run('DELETE', path, null, t('admin.revoked', { role: r, user: name }))) props.onChange();
  };
  return (
    <section aria-labelledby="users">
      <h2 id="users">{t('admin.users')}</h2>
      {view}
      <Show loaded={page}>
        {(data) => (
          <Table headers={['signin.user', 'account.roles']}>
            {data.items.map((u) => (
              <tr key={u.name} data-testid={`user-${u.name}`}>
                <th scope="row">{u.name}</th>
                <td>
                  <ul>
                    {u.roles.map((r) => (
                      <li key={r}>
                        {r}{' '}
                        <button type="button" onClick={() => revoke(u.name, r)}>
                          {t('admin.revoke', { role: r })}
                        </button>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Show>
      <form class="filters" onSubmit={grant}>
        <label for="grant-user">{t('signin.user')}</label>
        <input id="grant-user" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        <label for="grant-role">{t('admin.role')}</label>
        <input id="grant-role" required value={role} onInput={(e) => setRole(e.currentTarget.value)} />
        <button type="submit">{t('admin.grant')}</button>
      </form>
    </section>
  );
}
