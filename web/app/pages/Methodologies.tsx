// The methodologies the Joint Committees know, and an installed definition with its parameters,
// eligibility criteria and equations (the data the MRV engine calculates with).
import { api, type Methodology } from '../api';
import { useI18n } from '../i18n';
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
          <table>
            <thead>
              <tr>
                <th scope="col">{t('meth.code')}</th>
                <th scope="col">{t('meth.title')}</th>
                <th scope="col">{t('meth.partner')}</th>
                <th scope="col">{t('meth.status')}</th>
                <th scope="col">{t('meth.versions')}</th>
                <th scope="col">{t('meth.definition')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
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
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('meth.name')}</th>
                  <th scope="col">{t('meth.unit')}</th>
                  <th scope="col">{t('meth.kind')}</th>
                  <th scope="col">{t('meth.description')}</th>
                </tr>
              </thead>
              <tbody>
                {m.parameters.map((p) => (
                  <tr key={p.name}>
                    <th scope="row">{p.name}</th>
                    <td>{p.unit}</td>
                    <td>{p.kind}</td>
                    <td>{p.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="meth-equations">
            <h2 id="meth-equations">{t('meth.equations')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('meth.name')}</th>
                  <th scope="col">{t('meth.expression')}</th>
                  <th scope="col">{t('meth.unit')}</th>
                </tr>
              </thead>
              <tbody>
                {m.equations.map((e) => (
                  <tr key={e.name}>
                    <th scope="row">{e.name}</th>
                    <td>
                      <code>{e.expr}</code>
                    </td>
                    <td>{e.unit}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
