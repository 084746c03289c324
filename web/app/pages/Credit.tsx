// Credit look-up by serial ("MN-42"): the unit's status and holder, and the lineage of its
// block from the block holding it now back to the block its issuance created. The serial is in
// the address (/credits?serial=MN-42), so a look-up can be linked to.
import { useState } from 'preact/hooks';
import { api, type Unit } from '../api';
import { useI18n } from '../i18n';
import { Table } from '../table';
import { Show, useLoad } from '../load';
import { useNavigate } from '../router';

const SERIAL = /^[A-Z]{2,3}-[0-9]+$/;

function Holder(props: { unit: Unit }) {
  const { holder } = props.unit;
  // Both forms of the holder's name where the Japanese one is given.
  const names = [holder.holder_name, holder.holder_name_ja].filter((n) => n !== '');
  return (
    <>
      {names.join(' / ')} ({holder.id})
    </>
  );
}

function Result(props: { serial: string }) {
  const { t, num } = useI18n();
  const unit = useLoad(() => api.unit(props.serial), [props.serial]);
  return (
    <Show loaded={unit} notFound={t('credit.notFound', { serial: props.serial })}>
      {(u) => (
        <section aria-labelledby="result">
          <h2 id="result">
            {u.registry}-{u.serial}
          </h2>
          <dl class="details">
            <div>
              <dt>{t('credit.status')}</dt>
              <dd data-testid="unit-status">{t(`credit.st.${u.status}`)}</dd>
            </div>
            <div>
              <dt>{t('credit.holder')}</dt>
              <dd>
                <Holder unit={u} />
              </dd>
            </div>
            <div>
              <dt>{t('credit.block')}</dt>
              <dd>{u.block.identifier}</dd>
            </div>
          </dl>
          <h3>{t('credit.lineage')}</h3>
          <Table class="numbers"
            headers={[
              'credit.block',
              'credit.serials',
              'credit.quantity',
              'credit.account',
              'credit.vintage',
              'credit.authorization',
              'credit.createdEntry',
              'credit.endedEntry',
            ]}
          >
            {u.lineage.map((b) => (
              <tr key={b.block_id}>
                <th scope="row">{b.block_id}</th>
                <td>
                  {b.serial_first}–{b.serial_last}
                </td>
                <td>{num(b.quantity)}</td>
                <td>{b.account}</td>
                <td>{b.vintage}</td>
                <td>{b.authorization}</td>
                <td>{b.created_entry}</td>
                <td>{b.ended_entry ?? '—'}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}
    </Show>
  );
}

export function Credit(props: { serial: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [input, setInput] = useState(props.serial);
  const [invalid, setInvalid] = useState(false);
  return (
    <>
      <h1 tabIndex={-1}>{t('credit.heading')}</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const serial = input.trim().toUpperCase();
          setInvalid(!SERIAL.test(serial));
          if (SERIAL.test(serial)) navigate(`/credits?serial=${encodeURIComponent(serial)}`);
        }}
      >
        <label for="serial">{t('credit.serial')}</label>
        <input
          id="serial"
          name="serial"
          value={input}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'serial-error' : undefined}
          onInput={(e) => setInput(e.currentTarget.value)}
        />
        <button type="submit">{t('credit.submit')}</button>
      </form>
      {invalid && (
        <p id="serial-error" role="alert" class="error">
          {t('credit.badSerial')}
        </p>
      )}
      {props.serial && !invalid && <Result serial={props.serial} />}
    </>
  );
}
