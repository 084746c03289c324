// The registry administrator's queue of Joint Committee issuance decisions (GET /api/v1/decisions,
// docs/api.md): per decision what the committee notified, what the registry executed and what is
// still pending. A pending decision links the issuance-execute step's form, prefilled with its
// project, period and registry; executing it there issues the credits (Cycle.tsx).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';
import { Link } from '../router';
import { useSession } from '../session';
import { Table } from '../table';

// The registry of the session's first registry_administrator:CC role, else ''.
function administeredRegistry(roles: string[]): string {
  const role = roles.find((r) => r.startsWith('registry_administrator:'));
  return role ? role.slice('registry_administrator:'.length) : '';
}

export function ExecuteQueue() {
  const { t, num } = useI18n();
  const { session } = useSession();
  const [registry, setRegistry] = useState(() => administeredRegistry(session?.roles ?? []));
  const [onlyPending, setOnlyPending] = useState(true);
  const cursors = useCursorStack([registry]);
  const page = useLoad(
    () => api.decisions({ registry: registry || undefined, limit: '200', cursor: cursors.cursor }),
    [registry, cursors.cursor],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('execute.heading')}</h1>
      <p>{t('execute.intro')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="execute-registry">{t('retirements.registry')}</label>
        <input id="execute-registry" value={registry}
          onChange={(e) => setRegistry(e.currentTarget.value.trim().toUpperCase())} />
        <label>
          <input type="checkbox" checked={onlyPending} onChange={(e) => setOnlyPending(e.currentTarget.checked)} />{' '}
          {t('execute.onlyPending')}
        </label>
      </form>
      <Show loaded={page}>
        {(data) => {
          const items = data.items.filter((d) => !onlyPending || d.pending_tco2e > 0);
          return (
            <>
              {items.length === 0 ? (
                <p>{t('common.none')}</p>
              ) : (
                <Table headers={['execute.decision', 'execute.vintage', 'execute.notified', 'execute.executed',
                  'execute.pending', 'proposals.actions']}>
                  {items.map((d) => (
                    <tr key={d.id} data-testid={`decision-${d.project}`}>
                      <th scope="row">{d.id}</th>
                      <td>{d.vintage}</td>
                      <td>{num(d.notified_tco2e)}</td>
                      <td>{num(d.executed_tco2e)}</td>
                      <td>{num(d.pending_tco2e)}</td>
                      <td>
                        {d.pending_tco2e > 0 && (
                          <Link href={`/cycle/issuance-execute?${new URLSearchParams({
                            project: d.project, period: d.monitoring_period, registry: d.registry })}`}>
                            {t('execute.execute', { project: d.project })}
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </Table>
              )}
              <Pager stack={cursors} next={data.next} />
            </>
          );
        }}
      </Show>
    </>
  );
}
