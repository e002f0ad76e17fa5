/**
 * The figures and the narrative of a 核查 campaign, per town × program and for the county, in the words the
 * county's report uses (seed report, July 2014: "共复核城乡低保对象2652户、6594人，其中，退出对象58户、219人；
 * 五保对象465人，其中，退出10人。"). Pure: the service passes the population and the findings.
 */
import { formatYuan } from '../money/money.ts';
import { CATEGORIES, CATEGORY_CODES, type Category } from './rules.ts';

export interface PopulationCell {
  townCode: string;
  programCode: string;
  households: number;
  persons: number;
}

export interface FindingFact {
  townCode: string;
  programCode: string | null;
  category: string;
  householdId: number;
  enrolmentId: number | null;
  /** Counted persons of the enrolment the finding is about. */
  persons: number;
  outcome: 'keep' | 'exit' | 'recover' | null;
  recoveryFen: number | null;
}

export interface SummaryRow {
  townCode: string;
  townName: string;
  programCode: string;
  programLabel: string;
  households: number;
  persons: number;
  findings: number;
  byCategory: Record<Category, number>;
  /** Households with at least one finding. */
  flaggedHouseholds: number;
  reviewed: number;
  kept: number;
  exitedHouseholds: number;
  exitedPersons: number;
  recoveryFen: number;
}

export interface CampaignSummary {
  rows: SummaryRow[];
  total: Omit<SummaryRow, 'townCode' | 'townName' | 'programCode' | 'programLabel'>;
  /** One line for the county, then one per town. */
  lines: string[];
}

const DIBAO = new Set(['urban_dibao', 'rural_dibao']);
const TEKUN = new Set(['urban_tekun', 'rural_tekun']);

/** 国发〔2016〕14号 merged 农村五保 and urban 三无 into 特困人员 (DOMAIN §5.3): the report uses the word of its time. */
export function tekunWord(asOf: string): string {
  return asOf < '2016-02-10' ? '五保对象' : '特困人员';
}

function emptyCounts(): Record<Category, number> {
  return Object.fromEntries(CATEGORY_CODES.map((c) => [c, 0])) as Record<Category, number>;
}

type Figures = CampaignSummary['total'];

function emptyFigures(): Figures {
  return {
    households: 0,
    persons: 0,
    findings: 0,
    byCategory: emptyCounts(),
    flaggedHouseholds: 0,
    reviewed: 0,
    kept: 0,
    exitedHouseholds: 0,
    exitedPersons: 0,
    recoveryFen: 0,
  };
}

function addFindings(f: Figures, findings: readonly FindingFact[]): void {
  f.findings += findings.length;
  for (const x of findings) {
    if (Object.hasOwn(f.byCategory, x.category)) f.byCategory[x.category as Category] += 1;
    if (x.outcome !== null) f.reviewed += 1;
    if (x.outcome === 'keep') f.kept += 1;
    f.recoveryFen += x.recoveryFen ?? 0;
  }
  f.flaggedHouseholds += new Set(findings.map((x) => x.householdId)).size;
  // An exit (or a recovery, which stops the benefit too) counts each enrolment once, with its persons.
  const exited = new Map<string, { householdId: number; persons: number }>();
  for (const x of findings) {
    if (x.outcome !== 'exit' && x.outcome !== 'recover') continue;
    const key = x.enrolmentId === null ? `h${x.householdId}` : `e${x.enrolmentId}`;
    const prev = exited.get(key);
    exited.set(key, { householdId: x.householdId, persons: Math.max(prev?.persons ?? 0, x.persons) });
  }
  f.exitedHouseholds += new Set([...exited.values()].map((e) => e.householdId)).size;
  f.exitedPersons += [...exited.values()].reduce((s, e) => s + e.persons, 0);
}

function sumFigures(rows: readonly Figures[]): Figures {
  const t = emptyFigures();
  for (const r of rows) {
    t.households += r.households;
    t.persons += r.persons;
    t.findings += r.findings;
    for (const c of CATEGORY_CODES) t.byCategory[c] += r.byCategory[c];
    t.flaggedHouseholds += r.flaggedHouseholds;
    t.reviewed += r.reviewed;
    t.kept += r.kept;
    t.exitedHouseholds += r.exitedHouseholds;
    t.exitedPersons += r.exitedPersons;
    t.recoveryFen += r.recoveryFen;
  }
  return t;
}

/** "共复核城乡低保对象N户、M人，其中，退出对象X户、Y人；五保对象P人，其中，退出Q人。" for the rows given. */
export function narrativeLine(rows: readonly SummaryRow[], asOf: string, prefix = ''): string | null {
  const dibao = sumFigures(rows.filter((r) => DIBAO.has(r.programCode)));
  const tekun = sumFigures(rows.filter((r) => TEKUN.has(r.programCode)));
  const hasDibao = rows.some((r) => DIBAO.has(r.programCode));
  const hasTekun = rows.some((r) => TEKUN.has(r.programCode));
  const parts: string[] = [];
  if (hasDibao) {
    parts.push(
      `城乡低保对象${dibao.households}户、${dibao.persons}人，其中，退出对象${dibao.exitedHouseholds}户、${dibao.exitedPersons}人`,
    );
  }
  if (hasTekun) parts.push(`${tekunWord(asOf)}${tekun.persons}人，其中，退出${tekun.exitedPersons}人`);
  if (parts.length === 0) return null;
  return `${prefix}共复核${parts.join('；')}。`;
}

/** "发现问题N条（漏保a条、错保b条…），已复核r条，维持k条，退出x户，追回资金y元。" */
export function findingsLine(f: Figures, prefix = ''): string {
  const cats = CATEGORY_CODES.filter((c) => f.byCategory[c] > 0)
    .map((c) => `${CATEGORIES[c]}${f.byCategory[c]}条`)
    .join('、');
  const recovered = f.recoveryFen > 0 ? `，追回资金${formatYuan(f.recoveryFen)}元` : '';
  return `${prefix}发现疑似问题${f.findings}条${cats ? `（${cats}）` : ''}，涉及${f.flaggedHouseholds}户；已复核${f.reviewed}条，维持${f.kept}条，退出${f.exitedHouseholds}户${recovered}。`;
}

export function summarise(input: {
  asOf: string;
  population: readonly PopulationCell[];
  findings: readonly FindingFact[];
  townNames: Readonly<Record<string, string>>;
  programLabels: Readonly<Record<string, string>>;
}): CampaignSummary {
  const key = (town: string, program: string) => `${town}|${program}`;
  const cells = new Map<string, SummaryRow>();
  const cell = (townCode: string, programCode: string): SummaryRow => {
    const k = key(townCode, programCode);
    let row = cells.get(k);
    if (!row) {
      row = {
        townCode,
        townName: input.townNames[townCode] ?? townCode,
        programCode,
        programLabel: input.programLabels[programCode] ?? programCode,
        ...emptyFigures(),
      };
      cells.set(k, row);
    }
    return row;
  };
  for (const p of input.population) {
    const row = cell(p.townCode, p.programCode);
    row.households += p.households;
    row.persons += p.persons;
  }
  const grouped = new Map<string, FindingFact[]>();
  for (const f of input.findings) {
    const k = key(f.townCode, f.programCode ?? '');
    const list = grouped.get(k) ?? [];
    list.push(f);
    grouped.set(k, list);
  }
  for (const [k, list] of grouped) {
    const [town = '', program = ''] = k.split('|');
    addFindings(cell(town, program), list);
  }
  const rows = [...cells.values()].sort(
    (a, b) => a.townCode.localeCompare(b.townCode) || a.programCode.localeCompare(b.programCode),
  );
  const total = sumFigures(rows);
  const lines: string[] = [];
  const county = narrativeLine(rows, input.asOf, '全县');
  if (county) lines.push(county);
  lines.push(findingsLine(total, '全县'));
  for (const town of [...new Set(rows.map((r) => r.townCode))]) {
    const townRows = rows.filter((r) => r.townCode === town);
    const name = townRows[0]?.townName ?? town;
    const line = narrativeLine(townRows, input.asOf, name);
    lines.push(`${line ?? `${name}：`}${findingsLine(sumFigures(townRows))}`);
  }
  return { rows, total, lines };
}
