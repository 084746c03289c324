// The JC secretariat's and the TPE's pages: the project pipeline as a board (the projects of a
// Joint Committee by status, from PIN to registration), the list of cycle steps, and each step as
// a form (steps.ts) whose documents are uploaded first (POST /api/v1/documents) and cited by
// SHA-256. A query string prefills the form (/cycle/pin-decide?project=MN_PIN010), which the
// board's cards use. The registry administrator executes JC decisions with the same form
// (issuance-execute).
import { useState } from 'preact/hooks';
import { ApiError, api, sendJson, uploadDocument, type ProjectSummary } from '../api';
import { useI18n } from '../i18n';
import { Show, useLoad } from '../load';
import { problemMessage } from '../problems';
import { Link } from '../router';
import { Table } from '../table';
import { useSession } from '../session';
import { STEPS, committeeOf, findStep, stepBody, type Step, type StepField } from '../steps';

// The statuses of the board's columns, in the cycle's order; any other status gets a column
// after them.
const PIPELINE = [
  'pin_submitted', 'pin_no_objection', 'validation', 'validated', 'registration_requested', 'registered',
];

export function CycleBoard(props: { partner: string }) {
  const { t, term } = useI18n();
  const [partner, setPartner] = useState(props.partner);
  const projects = useLoad(
    () => api.projects({ country: partner || undefined, limit: '1000' }),
    [partner],
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('cycle.heading')}</h1>
      <p>{t('cycle.intro')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="board-partner">{t('cycle.partner')}</label>
        <input id="board-partner" value={partner} onChange={(e) => setPartner(e.currentTarget.value.trim().toUpperCase())} />
      </form>
      <Show loaded={projects}>
        {(page) => {
          const columns = boardColumns(page.items);
          return (
            <div class="board">
              {columns.map(([status, items]) => (
                <section key={status} aria-labelledby={`col-${status}`} data-testid={`board-${status}`}>
                  <h2 id={`col-${status}`}>
                    {term(status)} ({items.length})
                  </h2>
                  <ul>
                    {items.map((p) => (
                      <li key={p.id}>
                        <Link href={`/projects/${encodeURIComponent(p.id)}`}>{p.id}</Link> {p.title}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </div>
          );
        }}
      </Show>
      <Deadlines />
      <h2>{t('cycle.steps')}</h2>
      <ul class="steps">
        {STEPS.map((s) => (
          <li key={s.name}>
            <Link href={`/cycle/${s.name}`}>{s.name}</Link> ({t(`cycle.taker.${s.taker}`)})
          </li>
        ))}
      </ul>
    </>
  );
}

// What is due in the cycle (GET /api/v1/cycle/due), for any signed-in user; a later day shows
// what will be overdue then.
function Deadlines() {
  const { t, term, date } = useI18n();
  const { session } = useSession();
  const [today, setToday] = useState('');
  const due = useLoad(() => (session ? api.due(today || undefined) : Promise.resolve(null)), [session?.user, today]);
  if (!session) return null;
  return (
    <section aria-labelledby="deadlines">
      <h2 id="deadlines">{t('due.heading')}</h2>
      <p>{t('due.intro')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="due-today">{t('due.today')}</label>
        <input id="due-today" type="date" value={today} onChange={(e) => setToday(e.currentTarget.value)} />
      </form>
      <Show loaded={due}>
        {(list) =>
          !list || list.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <Table headers={['due.due', 'due.what', 'due.subject', 'due.who']}>
              {list.items.map((item) => (
                <tr key={`${item.subject} ${item.what}`} data-testid="due-item" class={item.overdue ? 'overdue' : undefined}>
                  <td>
                    {item.due ? date(item.due) : t('due.open')}
                    {item.overdue ? ` (${t('due.overdue')})` : ''}
                  </td>
                  <td>
                    {item.what.startsWith('issuance_execution_')
                      ? t('due.execution', { side: item.what.slice('issuance_execution_'.length) })
                      : term(item.what)}
                  </td>
                  <td>{item.subject}</td>
                  <td>{term(item.who)}</td>
                </tr>
              ))}
            </Table>
          )
        }
      </Show>
    </section>
  );
}

function boardColumns(items: ProjectSummary[]): [string, ProjectSummary[]][] {
  const byStatus = new Map<string, ProjectSummary[]>();
  for (const p of items) byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), p]);
  const order = [...PIPELINE, ...[...byStatus.keys()].filter((s) => !PIPELINE.includes(s)).sort()];
  return order.filter((s) => byStatus.has(s)).map((s) => [s, byStatus.get(s)!]);
}

export function CycleStepPage(props: { name: string; prefill: URLSearchParams }) {
  const { t } = useI18n();
  const step = findStep(props.name);
  if (!step) return <h1 tabIndex={-1}>{t('notFound.heading')}</h1>;
  return (
    <>
      <h1 tabIndex={-1}>{t('cycle.stepHeading', { step: step.name })}</h1>
      <p class="note">{t(`cycle.taker.${step.taker}`)}</p>
      <StepForm key={step.name} step={step} prefill={props.prefill} />
      <p>
        <Link href="/cycle">{t('cycle.back')}</Link>
      </p>
    </>
  );
}

function StepForm(props: { step: Step; prefill: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const { step } = props;
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.prefill));
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [result, setResult] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      let body: Record<string, unknown>;
      try {
        body = stepBody(step, values, flags);
      } catch (e) {
        throw new Error(t('cycle.fieldInvalid', { field: (e as Error).message }));
      }
      for (const f of step.fields.filter((f) => f.kind === 'doc')) {
        const file = files[f.name];
        if (!file) continue;
        const confidential = flags[`${f.name}.confidential`] ?? false;
        const sha256 = await uploadDocument(file, committeeOf(values), confidential, session);
        body[f.name] = { sha256, confidential };
      }
      const answer = await sendJson<{ event: { seq: number; hash: string } }>(
        'POST', `/api/v1/cycle/steps/${step.name}`, body, session);
      setResult({ error: false, text: t('cycle.done', { seq: answer.event.seq }) });
    } catch (e) {
      setResult({ error: true, text: e instanceof ApiError || !(e instanceof Error) ? problemMessage(e, i18n) : e.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stacked" onSubmit={submit}>
      {step.fields.map((f) => (
        <FieldInput key={f.name} field={f} value={values[f.name] ?? ''} flag={flags[f.name] ?? f.kind === 'yes'}
          confidential={flags[`${f.name}.confidential`] ?? false}
          onValue={(v) => setValues({ ...values, [f.name]: v })}
          onFlag={(name, v) => setFlags({ ...flags, [name]: v })}
          onFile={(file) => setFiles({ ...files, [f.name]: file })} />
      ))}
      <button type="submit" disabled={busy}>{t('cycle.submit')}</button>
      {result && (
        <p role={result.error ? 'alert' : 'status'} class={result.error ? 'error' : undefined}>
          {result.text}
        </p>
      )}
    </form>
  );
}

function FieldInput(props: {
  field: StepField;
  value: string;
  flag: boolean;
  confidential: boolean;
  onValue: (value: string) => void;
  onFlag: (name: string, value: boolean) => void;
  onFile: (file: File | undefined) => void;
}) {
  const { t } = useI18n();
  const f = props.field;
  const id = `field-${f.name}`;
  const label = f.optional ? t('cycle.optional', { field: f.name }) : f.name;
  if (f.kind === 'yes' || f.kind === 'no') {
    return (
      <label>
        <input type="checkbox" checked={props.flag} onChange={(e) => props.onFlag(f.name, e.currentTarget.checked)} />{' '}
        {f.name}
      </label>
    );
  }
  if (f.kind === 'doc') {
    return (
      <>
        <label for={id}>{label}</label>
        <input id={id} type="file" required={!f.optional} onChange={(e) => props.onFile(e.currentTarget.files?.[0])} />
        <label>
          <input type="checkbox" checked={props.confidential}
            onChange={(e) => props.onFlag(`${f.name}.confidential`, e.currentTarget.checked)} />{' '}
          {t('cycle.confidential', { field: f.name })}
        </label>
      </>
    );
  }
  const hint = t(`cycle.kind.${f.kind}`);
  return (
    <>
      <label for={id}>{label}</label>
      {f.kind === 'json' ? (
        <textarea id={id} rows={3} value={props.value} aria-describedby={`${id}-hint`}
          onInput={(e) => props.onValue(e.currentTarget.value)} />
      ) : (
        <input id={id} required={!f.optional} value={props.value} aria-describedby={`${id}-hint`}
          inputMode={f.kind === 'int' ? 'numeric' : undefined} onInput={(e) => props.onValue(e.currentTarget.value)} />
      )}
      <span id={`${id}-hint`} class="note">{hint}</span>
    </>
  );
}
