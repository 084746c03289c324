// The readings of monitoring files as the browser shows them before the engine runs: each
// series (point, parameter) summed per day, for a chart and its table. Only for display: the
// figures that count are the engine's exact ones (docs/mrv.md); here values are JavaScript numbers,
// energy readings are converted to MWh and others kept in their unit, and only the first
// READ_LIMIT_BYTES of a plain CSV file are read (compressed and XLSX files are the engine's alone).
// Layouts as in docs/formats/monitoring-csv.md: long (point,parameter,timestamp|period,value,unit)
// and wide (timestamp,POINT:PARAMETER[UNIT],…).

export const READ_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ReadingSeries {
  name: string; // "PV01:EG [MWh]"
  readings: number;
  total: number;
  byDay: Map<string, number>;
}

const TO_MWH: Record<string, number> = { Wh: 1e-6, kWh: 1e-3, MWh: 1, GWh: 1e3 };

// One CSV line's fields (RFC 4180 quoting).
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function add(series: Map<string, ReadingSeries>, point: string, parameter: string, unit: string,
  day: string, text: string) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !/^\d{4}-\d{2}-\d{2}/.test(day)) return;
  const factor = TO_MWH[unit];
  const name = `${point}:${parameter} [${factor === undefined ? unit : 'MWh'}]`;
  let s = series.get(name);
  if (!s) series.set(name, (s = { name, readings: 0, total: 0, byDay: new Map() }));
  const amount = factor === undefined ? value : value * factor;
  s.readings += 1;
  s.total += amount;
  const date = day.slice(0, 10);
  s.byDay.set(date, (s.byDay.get(date) ?? 0) + amount);
}

// Adds the readings of one file's text to `series`; a line cut by the read limit is dropped.
export function addReadings(series: Map<string, ReadingSeries>, text: string, truncated: boolean) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (truncated) lines.pop();
  const header = splitCsvLine(lines[0] ?? '');
  const column = (name: string) => header.indexOf(name);
  const [point, parameter, value, unit] = ['point', 'parameter', 'value', 'unit'].map(column);
  const when = column('timestamp') >= 0 ? column('timestamp') : column('period');
  if (point >= 0 && parameter >= 0 && value >= 0 && unit >= 0 && when >= 0) {
    for (const line of lines.slice(1)) {
      const f = splitCsvLine(line);
      if (f.length === header.length) add(series, f[point], f[parameter], f[unit], f[when], f[value]);
    }
    return;
  }
  const meters = header.slice(1).map((h) => /^(.*):(.*)\[(.*)\]$/.exec(h));
  if (header[0] !== 'timestamp' || meters.some((m) => m === null)) return;
  for (const line of lines.slice(1)) {
    const f = splitCsvLine(line);
    meters.forEach((m, i) => add(series, m![1], m![2], m![3], f[0], f[i + 1] ?? ''));
  }
}

// The readings of the plain CSV files among `files`, series sorted by name.
export async function readReadings(files: File[]): Promise<{ series: ReadingSeries[]; truncated: boolean }> {
  const series = new Map<string, ReadingSeries>();
  let truncated = false;
  for (const file of files.filter((f) => f.name.toLowerCase().endsWith('.csv'))) {
    const cut = file.size > READ_LIMIT_BYTES;
    truncated ||= cut;
    addReadings(series, await file.slice(0, READ_LIMIT_BYTES).text(), cut);
  }
  return { series: [...series.values()].sort((a, b) => a.name.localeCompare(b.name)), truncated };
}
