// A third-party entity's work (GET /api/v1/cycle/tpe-work, docs/cycle.md "Third-party entities'
// work"): the validations and verifications open to it, each linking the step's form prefilled
// with the project (and period), where the report is uploaded; then those it has submitted.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Link } from '../router';
import { useSession } from '../session';
import { Table } from '../table';

// The organisation of the session's first tpe:ORG role, else ''.
export function tpeOrganisation(roles: string[]): string {
  const role = roles.find((r) => r.startsWith('tpe:'));
  return role ? role.slice('tpe:'.length) : '';
}

export function TpeWorkPage() {
  const { t, num } = useI18n();
  const { session } = useSession();
  const [org, setOrg] = useState(() => tpeOrganisation(session?.roles ?? []));
  const work = useLoad(() => api.tpeWork(org || undefined), [org, session?.user]);
  return (
    <>
      <h1 tabIndex={-1}>{t('tpe.heading')}</h1>
      <p>{t('tpe.intro')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="tpe-org">{t('tpe.org')}</label>
        <input id="tpe-org" value={org} onChange={(e) => setOrg(e.currentTarget.value.trim())} />
      </form>
      <Show loaded={work}>
        {(list) =>
          list.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['tpe.function', 'tpe.project', 'tpe.period', 'tpe.tco2e', 'tpe.state']}>
              {list.items.map((item) => {
                const step = item.function === 'validation' ? 'validation-submit' : 'verification-submit';
                const prefill = new URLSearchParams({ project: item.project, by: list.org });
                if (item.period) prefill.set('period', item.period);
                return (
                  <tr key={`${item.function} ${item.project} ${item.period ?? ''}`} data-testid="tpe-item">
                    <td>{t(`tpe.fn.${item.function}`)}</td>
                    <th scope="row">
                      <Link href={`/projects/${encodeURIComponent(item.project)}`}>{item.project}</Link> {item.title}
                    </th>
                    <td>{item.period ?? ''}</td>
                    <td>{item.function === 'verification' ? num(item.tco2e) : ''}</td>
                    <td>
                      {item.done ? (
                        t('tpe.done')
                      ) : (
                        <Link href={`/cycle/${step}?${prefill}`}>{t('tpe.submit', { project: item.project })}</Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </Table>
          )
        }
      </Show>
    </>
  );
}
