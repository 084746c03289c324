// The methodologies the Joint Committees know, and an installed definition with its parameters,
// eligibility criteria and equations (the data the MRV engine calculates with).
import { api, type Methodology } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Link } from '../router';

export function Methodologies() {
  const { t, term } = useI18n();
  const list = useLoad(() => api.methodologies(), []);
  return (
    <>
      <h1 tabIndex={-1}>{t('meth.heading')}</h1>
      <p>{t('meth.intro')}</p>
      <Show loaded={list}>
        {(data) => (
          <Table
            headers={[
              'meth.code',
              'meth.title',
              'meth.partner',
              'meth.status',
              'meth.versions',
              'meth.definition',
            ]}
          >
            {data.items.map((m: Methodology) => (
              <tr key={m.proposal_code}>
                <th scope="row">{m.approved_code || m.proposal_code}</th>
                <td>{m.title}</td>
                <td>{m.partner}</td>
                <td>{term(m.status)}</td>
                <td>{m.versions.join(', ')}</td>
                <td>
                  {m.definitions.map((ref) => (
                    <Link key={ref} href={`/methodologies/${encodeURIComponent(ref)}`}>
                      {ref}
                    </Link>
                  ))}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Show>
    </>
  );
}

export function MethodologyPage(props: { reference: string }) {
  const { t } = useI18n();
  const definition = useLoad(() => api.methodology(props.reference), [props.reference]);
  return (
    <Show loaded={definition} notFound={t('notFound.heading')}>
      {(m) => (
        <>
          <h1 tabIndex={-1}>{`${m.id} ${m.version}: ${m.title}`}</h1>
          {m.source && (
            <p>
              {t('meth.source')}: {m.source}
            </p>
          )}
          <section aria-labelledby="meth-parameters">
            <h2 id="meth-parameters">{t('meth.parameters')}</h2>
            <Table headers={['meth.name', 'meth.unit', 'meth.kind', 'meth.description']}>
              {m.parameters.map((p) => (
                <tr key={p.name}>
                  <th scope="row">{p.name}</th>
                  <td>{p.unit}</td>
                  <td>{p.kind}</td>
                  <td>{p.description}</td>
                </tr>
              ))}
            </Table>
          </section>
          <section aria-labelledby="meth-equations">
            <h2 id="meth-equations">{t('meth.equations')}</h2>
            <Table headers={['meth.name', 'meth.expression', 'meth.unit']}>
              {m.equations.map((e) => (
                <tr key={e.name}>
                  <th scope="row">{e.name}</th>
                  <td>
                    <code>{e.expr}</code>
                  </td>
                  <td>{e.unit}</td>
                </tr>
              ))}
            </Table>
          </section>
          {m.eligibility && m.eligibility.length > 0 && (
            <section aria-labelledby="meth-eligibility">
              <h2 id="meth-eligibility">{t('meth.eligibility')}</h2>
              <ul>
                {m.eligibility.map((c) => (
                  <li key={c.id}>
                    <strong>{c.id}</strong> {c.text}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Show>
  );
}
