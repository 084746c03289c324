// The project-cycle steps of POST /api/v1/cycle/steps/{step} (docs/api.md, "Project cycle") as
// forms: each step's fields with their kinds, in the order of the docs' table. The server decodes
// every body strictly (src/server/step_json.cc), so a field this table got wrong is a 400 with
// the field's name, never a silent change.
//
// A field is "name:kind", with "?" after the name when it may be left out. Kinds:
//   text, int, date (YYYY-MM-DD), period (START..END), yes (a boolean, true by default),
//   no (a boolean, false by default), doc (a file uploaded first, POST /api/v1/documents),
//   list (texts separated by commas), json (a JSON value: shares, sides, the holders' accounts).
export type FieldKind = 'text' | 'int' | 'date' | 'period' | 'yes' | 'no' | 'doc' | 'list' | 'json';
export type Taker = 'secretariat' | 'tpe' | 'registry';

export interface StepField {
  name: string;
  kind: FieldKind;
  optional: boolean;
}

export interface Step {
  name: string;
  taker: Taker;
  fields: StepField[];
}

const TABLE: [string, Taker, string][] = [
  ['party-register', 'secretariat', 'partner:text name:text bilateral_date?:date'],
  ['org-register', 'secretariat', 'org_id:text name:text country:text'],
  ['tpe-designate', 'secretariat', 'partner:text org_id:text sectoral_scope:int function:text date:date'],
  ['jc-establish', 'secretariat', 'partner:text member?:list secretariat:text date:date'],
  ['jc-decision', 'secretariat', 'partner:text type:text subject:text electronic?:no annex?:list date:date'],
  ['jc-form', 'secretariat', 'partner:text form:text version:text effective?:date'],
  ['methodology-propose', 'secretariat',
    'proposal_code:text partner:text title:text proponent:text sectoral_scope:int document:doc date:date'],
  ['methodology-check', 'secretariat', 'proposal_code:text complete?:yes date:date'],
  ['methodology-extend', 'secretariat', 'proposal_code:text date:date'],
  ['methodology-decide', 'secretariat', 'proposal_code:text approve?:yes approved_code?:text version?:text date:date'],
  ['methodology-revise', 'secretariat', 'approved_code:text version:text document:doc date:date'],
  ['pin-submit', 'secretariat',
    'pin_id:text partner:text title:text host_participant?:list japanese_participant?:list focal_point:text ' +
    'methodology:text methodology_version:text sectoral_scope:int funding?:text document:doc date:date by:text'],
  ['pin-decide', 'secretariat', 'project:text no_objection?:yes date:date'],
  ['pdd-submit', 'secretariat', 'project:text document:doc public_copy?:doc date:date by:text'],
  ['validation-submit', 'tpe', 'project:text positive?:yes report:doc date:date by:text'],
  ['registration-request', 'secretariat', 'project:text share?:json document:doc date:date by:text'],
  ['registration-decide', 'secretariat', 'project:text approve?:yes reference?:text date:date'],
  ['registration-withdraw', 'secretariat', 'project:text date:date by:text'],
  ['project-change', 'secretariat', 'project:text description:text document:doc date:date'],
  ['project-renew', 'secretariat', 'project:text until:date date:date'],
  ['project-withdraw', 'secretariat', 'project:text date:date'],
  ['monitoring-period', 'secretariat', 'project:text period:period date:date by:text'],
  ['monitoring-report', 'secretariat',
    'project:text period:period reported_tco2e:int document:doc mrv_calculation_sha256?:text ' +
    'mrv_input_sha256?:list date:date by:text'],
  ['verification-submit', 'tpe', 'project:text period:period verified_tco2e:int report:doc date:date by:text'],
  ['issuance-request', 'secretariat', 'project:text period:period requested_tco2e:int document:doc date:date by:text'],
  ['issuance-withdraw', 'secretariat', 'project:text period:period date:date by:text'],
  ['issuance-decide', 'secretariat', 'project:text period:period total_tco2e:int side?:json electronic?:no date:date'],
  ['issuance-execute', 'registry', 'project:text period:period registry:text date:date authorization?:text to?:json'],
];

export const STEPS: Step[] = TABLE.map(([name, taker, spec]) => ({
  name,
  taker,
  fields: spec.split(' ').map((part) => {
    const [label, kind] = part.split(':');
    return { name: label.replace('?', ''), kind: kind as FieldKind, optional: label.endsWith('?') };
  }),
}));

export function findStep(name: string): Step | undefined {
  return STEPS.find((s) => s.name === name);
}

// The Joint Committee a step's documents belong to (the upload names it): the partner the body
// names, else the two letters that begin the project, proposal or methodology code (MN_PIN010,
// MN010, MN_PM010, MN_AM003).
export function committeeOf(values: Record<string, string>): string {
  if (values.partner) return values.partner.trim().toUpperCase();
  const code = values.project || values.proposal_code || values.approved_code || '';
  return code.slice(0, 2).toUpperCase();
}

// The JSON body of a step from the form's texts; throws an Error naming a field that cannot be
// read (an int that is not a number, a json field that is not JSON). Documents are added by the
// caller once uploaded.
export function stepBody(step: Step, values: Record<string, string>, flags: Record<string, boolean>) {
  const body: Record<string, unknown> = {};
  for (const f of step.fields) {
    const raw = (values[f.name] ?? '').trim();
    if (f.kind === 'yes' || f.kind === 'no') {
      body[f.name] = flags[f.name] ?? f.kind === 'yes';
    } else if (f.kind === 'doc' || raw === '') {
      continue;
    } else if (f.kind === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new Error(f.name);
      body[f.name] = Number(raw);
    } else if (f.kind === 'list') {
      body[f.name] = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    } else if (f.kind === 'json') {
      try {
        body[f.name] = JSON.parse(raw);
      } catch {
        throw new Error(f.name);
      }
    } else {
      body[f.name] = raw;
    }
  }
  return body;
}
