// Retirements with their beneficiaries, oldest first, filtered by registry and paged by the
// API's keyset cursor; each links its certificate (PDF, served by the API) and the public
// look-up of its first serial.
import { useState } from 'preact/hooks';
import { api, type Retirement } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { Pager, useCursorStack } from '../pager';
import { Link } from '../router';

const PAGE_SIZE = '50';

function RetirementRow(props: { r: Retirement }) {
  const { t, num, date } = useI18n();
  const r = props.r;
  const first = r.blocks[0];
  return (
    <tr>
      <th scope="row">{r.seq}</th>
      <td>{date(r.time)}</td>
      <td>{r.registry}</td>
      <td>{r.beneficiary || '—'}</td>
      <td>{num(r.quantity)}</td>
      <td>
        {r.blocks.map((b) => (
          <div key={b.serial_first}>
            {b.serial_first}–{b.serial_last} ({b.project}, {b.vintage}, {b.authorization})
          </div>
        ))}
      </td>
      <td>
        {first && (
          <Link href={`/credits?serial=${r.registry}-${first.serial_first}`}>{t('retirements.lookUp')}</Link>
        )}{' '}
        <a href={`/api/v1/retirements/${r.seq}/certificate`} download={`jcm-retirement-${r.seq}.pdf`}>
          {t('retirements.certificate', { seq: r.seq })}
        </a>
      </td>
    </tr>
  );
}

export function Retirements() {
  const { t } = useI18n();
  const [registry, setRegistry] = useState('');
  const [applied, setApplied] = useState('');
  const cursors = useCursorStack([applied]);
  const page = useLoad(
    () => api.retirements({ registry: applied || undefined, limit: PAGE_SIZE, cursor: cursors.cursor }),
    [applied, cursors.cursor],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('retirements.heading')}</h1>
      <p>{t('retirements.intro')}</p>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(registry.trim().toUpperCase());
        }}
      >
        <label for="registry">{t('retirements.registry')}</label>
        <input id="registry" name="registry" value={registry} onInput={(e) => setRegistry(e.currentTarget.value)} />
        <button type="submit">{t('projects.apply')}</button>
      </form>
      <Show loaded={page}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <>
              <Table
                headers={[
                  'retirements.transaction',
                  'retirements.date',
                  'retirements.registry',
                  'retirements.beneficiary',
                  'retirements.quantity',
                  'retirements.serials',
                  'retirements.links',
                ]}
              >
                {data.items.map((r) => (
                  <RetirementRow key={r.seq} r={r} />
                ))}
              </Table>
              <Pager stack={cursors} next={data.next} />
            </>
          )
        }
      </Show>
    </>
  );
}
