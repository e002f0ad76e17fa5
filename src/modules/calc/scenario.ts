/**
 * 政策测算: one calculation by one engine, described as a JSON "scenario" — which engine, which month, which
 * parameters (written inline, or the version in force in the database), and the engine's input. The same scenario
 * runs from the CLI (`jiuzhu calc --file`) and the API (POST /api/v1/calc); nothing is written. docs/calc.md
 * documents the format; `scenarioJsonSchema()` is its JSON Schema.
 */
import type { Kysely, Transaction } from 'kysely';
import { type ZodType, z } from 'zod';
import type { Database } from '../../db/schema.ts';
import {
  assessDibaoHousehold,
  DibaoRuleError,
  dibaoHouseholdInputSchema,
} from '../../domain/benefit/dibao.ts';
import type { ExplanationLine } from '../../domain/benefit/explanation.ts';
import { medicalAidClaim, medicalClaimInputSchema } from '../../domain/benefit/medical-aid.ts';
import { priceSubsidyInputSchema, priceSubsidyMonthly } from '../../domain/benefit/price-subsidy.ts';
import { tekunInputSchema, tekunMonthly } from '../../domain/benefit/tekun.ts';
import { temporaryAidAmount, temporaryAidInputSchema } from '../../domain/benefit/temporary-aid.ts';
import { fenSchema } from '../../domain/policy/common.ts';
import { kindOfProgram, POLICY_KINDS, type PolicyBody, type PolicyKind } from '../../domain/policy/kinds.ts';
import { AppError, ErrorCode, type FieldIssue } from '../errors/app-error.ts';
import { resolveDibaoStandard, resolvePolicy } from '../policy/policy.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Engines and the parameter kind each one reads. */
export const ENGINES = {
  dibao: { kind: 'dibao', label: '低保（家庭收入、财产核定与月保障金）' },
  tekun: { kind: 'tekun', label: '特困供养（基本生活 + 照料护理）' },
  temporary_aid: { kind: 'temporary_aid', label: '临时救助（一次性救助金额与审批层级）' },
  medical_aid: { kind: 'medical_aid', label: '医疗救助（一次就医的分层支付）' },
  price_subsidy: { kind: 'price_subsidy', label: '价格临时补贴（每人每月）' },
} as const satisfies Record<string, { kind: PolicyKind; label: string }>;
export type Engine = keyof typeof ENGINES;
const ENGINE_CODES = Object.keys(ENGINES) as [Engine, ...Engine[]];

const DIBAO_PROGRAMS = ['urban_dibao', 'rural_dibao'] as const;
type DibaoProgram = (typeof DIBAO_PROGRAMS)[number];

const monthSchema = z
  .string({ error: '月份应为 YYYY-MM 格式，如 2015-09' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份应为 YYYY-MM 格式，如 2015-09' });
const countySchema = z
  .string({ error: '县级区划代码应为 6 位数字' })
  .regex(/^\d{6}$/, '县级区划代码应为 6 位数字');
const townSchema = z
  .string({ error: '乡镇区划代码应为 9 位数字' })
  .regex(/^\d{9}$/, '乡镇区划代码应为 9 位数字');
const dibaoProgramSchema = z.enum(DIBAO_PROGRAMS, {
  error: '低保标准应为 urban_dibao（城市低保）或 rural_dibao（农村低保）',
});

const fromDatabaseSchema = z
  .object(
    {
      fromDatabase: z
        .object(
          {
            countyCode: countySchema.optional(),
            townCode: townSchema.optional(),
            programCode: z
              .string({ error: '请填写救助项目代码 programCode，如 rural_dibao' })
              .describe(
                '救助项目代码：urban_dibao、rural_dibao、urban_tekun、rural_tekun、temporary_aid、medical_aid、price_subsidy',
              ),
          },
          { error: 'fromDatabase 应为对象：{ countyCode?, townCode?, programCode }' },
        )
        .strict()
        .describe(
          '使用数据库中该月适用的版本（乡镇版本优先于县级版本）；县、乡镇缺省时取 --county 或登录用户的辖区',
        ),
    },
    { error: 'policy 应为参数对象，或 { "fromDatabase": { … } }' },
  )
  .strict();

/** Engine inputs as a scenario writes them: the dibao standard may be left out (then it comes from the database). */
const INPUT_SCHEMAS = {
  dibao: dibaoHouseholdInputSchema,
  tekun: tekunInputSchema,
  temporary_aid: temporaryAidInputSchema.extend({ dibaoStandardFen: fenSchema.optional() }),
  medical_aid: medicalClaimInputSchema,
  price_subsidy: priceSubsidyInputSchema.extend({ dibaoStandardFen: fenSchema.optional() }),
} satisfies Record<Engine, ZodType>;

const baseFields = {
  note: z
    .string({ error: 'note 应为文字' })
    .max(500, { error: 'note 不超过 500 字' })
    .optional()
    .describe('说明（不参与计算）'),
  month: monthSchema.describe('测算月份 YYYY-MM：从数据库取参数和低保标准时按此月'),
  area: z
    .object(
      { countyCode: countySchema.optional(), townCode: townSchema.optional() },
      { error: 'area 应为对象' },
    )
    .strict()
    .optional()
    .describe('从数据库读取低保标准时所用的县、乡镇（参数写在情景中时使用）'),
  dibaoStandardFen: fenSchema
    .optional()
    .describe(
      '特困、临时救助、价格补贴所依据的月低保标准（分）；input 中未给出时从此处取，再没有则从数据库取',
    ),
  dibaoProgram: dibaoProgramSchema
    .optional()
    .describe('参数无法确定用城市还是农村低保标准时（临时救助按家庭所在地、价格补贴的其他对象类别）指定'),
  urbanStandardFen: fenSchema
    .optional()
    .describe('仅低保：金融资产按城市低保标准计算上限而参数未写明城市标准时使用（分）'),
};

/** The whole scenario format, one branch per engine: for the docs and the API (GET /api/v1/calc/schema). */
export const scenarioSchema = z.discriminatedUnion(
  'engine',
  ENGINE_CODES.map((engine) =>
    z
      .object({
        engine: z.literal(engine),
        ...baseFields,
        policy: z
          .union([POLICY_KINDS[ENGINES[engine].kind].schema, fromDatabaseSchema])
          .describe(
            `${POLICY_KINDS[ENGINES[engine].kind].label}：参数写在情景中，或 { "fromDatabase": { … } }`,
          ),
        input: INPUT_SCHEMAS[engine].describe(`${ENGINES[engine].label}的输入`),
      })
      .strict(),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://jiuzhu.example/schemas/calc-scenario.json',
    title: 'jiuzhu 政策测算情景（jiuzhu calc / POST /api/v1/calc）',
    ...(z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
  };
}

// What the first parse step checks: the envelope. Policy and input are checked against the engine's schemas next.
const envelopeSchema = z
  .object(
    {
      engine: z.enum(ENGINE_CODES, {
        error: `engine 应为以下之一：${ENGINE_CODES.join('、')}`,
      }),
      ...baseFields,
      policy: z.record(z.string(), z.unknown(), {
        error: 'policy 应为参数对象，或 { "fromDatabase": { … } }',
      }),
      input: z.record(z.string(), z.unknown(), { error: 'input 应为对象' }),
    },
    { error: '测算情景应为 JSON 对象' },
  )
  .strict();

export interface ParsedScenario {
  engine: Engine;
  note: string | undefined;
  month: string;
  area: { countyCode?: string; townCode?: string } | undefined;
  dibaoStandardFen: number | undefined;
  dibaoProgram: DibaoProgram | undefined;
  urbanStandardFen: number | undefined;
  policy:
    | { source: 'inline'; body: unknown }
    | { source: 'database'; countyCode?: string; townCode?: string; programCode: string };
  input: Record<string, unknown>;
}

const zhCN = z.locales.zhCN();

/** ['input', 'members', 1, 'incomes', 0, 'amountFen'] → 'input.members[1].incomes[0].amountFen'. */
export function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out || 'scenario';
}

function issuesOf(error: z.ZodError, prefix: PropertyKey[]): FieldIssue[] {
  return error.issues.map((i) => ({ field: fieldOf([...prefix, ...i.path]), message: i.message }));
}

function invalid(issues: FieldIssue[]): AppError {
  const first = issues[0] ?? { field: 'scenario', message: '测算情景不正确' };
  return new AppError(ErrorCode.VALIDATION, `${first.field}: ${first.message}`, {
    field: first.field,
    issues,
  });
}

/** Checks a scenario; a malformed one throws a VALIDATION AppError whose field is the path of the first problem. */
export function parseScenario(raw: unknown): ParsedScenario {
  const env = envelopeSchema.safeParse(raw, { error: zhCN.localeError });
  if (!env.success) throw invalid(issuesOf(env.error, []));
  const s = env.data;
  const kind = ENGINES[s.engine].kind;
  let policy: ParsedScenario['policy'];
  if ('fromDatabase' in s.policy) {
    const fromDb = fromDatabaseSchema.safeParse(s.policy, { error: zhCN.localeError });
    if (!fromDb.success) throw invalid(issuesOf(fromDb.error, ['policy']));
    const { programCode, countyCode, townCode } = fromDb.data.fromDatabase;
    if (kindOfProgram(programCode) !== kind) {
      const programs = POLICY_KINDS[kind].programs.join('、');
      throw invalid([
        {
          field: 'policy.fromDatabase.programCode',
          message: `${s.engine} 测算应使用以下项目的参数：${programs}`,
        },
      ]);
    }
    policy = {
      source: 'database',
      programCode,
      ...(countyCode ? { countyCode } : {}),
      ...(townCode ? { townCode } : {}),
    };
  } else {
    const body = (POLICY_KINDS[kind].schema as ZodType).safeParse(s.policy, { error: zhCN.localeError });
    if (!body.success) throw invalid(issuesOf(body.error, ['policy']));
    policy = { source: 'inline', body: body.data };
  }
  const input = (INPUT_SCHEMAS[s.engine] as ZodType).safeParse(s.input, { error: zhCN.localeError });
  if (!input.success) throw invalid(issuesOf(input.error, ['input']));
  return {
    engine: s.engine,
    note: s.note,
    month: s.month,
    area: s.area,
    dibaoStandardFen: s.dibaoStandardFen,
    dibaoProgram: s.dibaoProgram,
    urbanStandardFen: s.urbanStandardFen,
    policy,
    input: input.data as Record<string, unknown>,
  };
}

/**
 * Whether running the scenario reads the database: parameters from the database, or a dibao standard the scenario
 * does not give. The CLI opens the database only then.
 */
export function scenarioNeedsDatabase(s: ParsedScenario): boolean {
  if (s.policy.source === 'database') return true;
  return standardNeed(s, s.policy.body as PolicyBody<PolicyKind>) !== null;
}

/** Which dibao standard the scenario still has to look up (null: none needed, or given). */
function standardNeed(s: ParsedScenario, body: PolicyBody<PolicyKind>): DibaoProgram | 'unknown' | null {
  const given = (s.input.dibaoStandardFen as number | undefined) ?? s.dibaoStandardFen;
  switch (s.engine) {
    case 'tekun': {
      const basic = (body as PolicyBody<'tekun'>).basic;
      if (basic.method !== 'multiple_of_dibao' || given !== undefined) return null;
      return basic.dibaoProgram;
    }
    case 'temporary_aid': {
      if (given !== undefined) return null;
      const basis = (body as PolicyBody<'temporary_aid'>).standardBasis;
      return basis === 'household' ? (s.dibaoProgram ?? 'unknown') : basis;
    }
    case 'price_subsidy': {
      if (given !== undefined) return null;
      const group = s.input.group as string;
      if (group === 'urban_dibao' || group === 'urban_tekun') return 'urban_dibao';
      if (group === 'rural_dibao' || group === 'rural_tekun') return 'rural_dibao';
      return s.dibaoProgram ?? 'unknown';
    }
    case 'dibao': {
      const rule = (body as PolicyBody<'dibao'>).assets.find((a) => a.category === 'financial_assets');
      const needsUrban =
        rule?.category === 'financial_assets' &&
        rule.standardBasis === 'urban' &&
        rule.urbanStandardFen === undefined &&
        s.urbanStandardFen === undefined;
      return needsUrban ? 'urban_dibao' : null;
    }
    case 'medical_aid':
      return null;
  }
}

export interface ScenarioContext {
  /** Null when the caller has no database (the CLI without one): a scenario that needs it is refused. */
  db: Db | null;
  /** The county when the scenario does not name one (the CLI's --county, the API user's county). */
  countyCode: string;
  /** The API user's town, when a town user runs it: their town's versions apply. */
  townCode?: string | null;
}

export interface ScenarioResult {
  engine: Engine;
  note?: string;
  month: string;
  policy: {
    source: 'inline' | 'database';
    versionId?: number;
    docNo?: string;
    programCode?: string;
    effectiveFrom?: string;
    townCode?: string | null;
  };
  dibaoStandard?: {
    program: DibaoProgram;
    standardFen: number;
    source: 'input' | 'database';
    versionId?: number;
    docNo?: string;
  };
  result: Record<string, unknown>;
  explanation: ExplanationLine[];
}

function noDatabase(what: string): AppError {
  return new AppError(ErrorCode.VALIDATION, `${what}需要从数据库读取，但当前没有可用的数据库`, {
    field: 'policy',
  });
}

/** Runs a checked scenario. Reads the database only for what the scenario does not give; writes nothing. */
export async function runParsedScenario(s: ParsedScenario, ctx: ScenarioContext): Promise<ScenarioResult> {
  const fromDb = s.policy.source === 'database' ? s.policy : null;
  const countyCode = fromDb?.countyCode ?? s.area?.countyCode ?? ctx.countyCode;
  const townCode = fromDb?.townCode ?? s.area?.townCode ?? ctx.townCode ?? null;

  let body: PolicyBody<PolicyKind>;
  let policyInfo: ScenarioResult['policy'];
  if (s.policy.source === 'database') {
    if (!ctx.db) throw noDatabase('政策参数');
    const found = await resolvePolicy(ctx.db, {
      countyCode,
      townCode,
      programCode: s.policy.programCode,
      month: s.month,
    });
    if (!found) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `${countyCode}${townCode ? `（乡镇 ${townCode}）` : ''} ${s.month} 没有适用的 ${s.policy.programCode} 政策参数`,
        { field: 'policy.fromDatabase' },
      );
    }
    body = found.body;
    policyInfo = {
      source: 'database',
      versionId: found.id,
      docNo: found.docNo,
      programCode: found.programCode,
      effectiveFrom: found.effectiveFrom,
      townCode: found.townCode,
    };
  } else {
    body = s.policy.body as PolicyBody<PolicyKind>;
    policyInfo = { source: 'inline' };
  }

  // The dibao standard the engine builds on: from the input, else the database for the area and month.
  let dibaoStandard: ScenarioResult['dibaoStandard'];
  const need = standardNeed(s, body);
  if (need === 'unknown') {
    throw new AppError(
      ErrorCode.VALIDATION,
      'dibaoProgram: 无法确定使用城市还是农村低保标准，请填写 dibaoProgram 或 dibaoStandardFen',
      { field: 'dibaoProgram' },
    );
  }
  if (need !== null) {
    if (!ctx.db) throw noDatabase('低保标准');
    const std = await resolveDibaoStandard(ctx.db, { countyCode, townCode, program: need, month: s.month });
    if (!std) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `${countyCode} ${s.month} 没有适用的${need === 'urban_dibao' ? '城市' : '农村'}低保标准，请在情景中填写 dibaoStandardFen`,
        { field: 'dibaoStandardFen' },
      );
    }
    dibaoStandard = {
      program: need,
      standardFen: std.standardFen,
      source: 'database',
      versionId: std.policyId,
      docNo: std.docNo,
    };
  }
  // For 低保 the looked-up standard is the urban one of a financial-asset rule; for the others, the engine's base.
  const givenStandard =
    s.engine === 'dibao'
      ? s.urbanStandardFen
      : ((s.input.dibaoStandardFen as number | undefined) ?? s.dibaoStandardFen);
  const standardFen = dibaoStandard?.standardFen ?? givenStandard;

  let ran: { result: Record<string, unknown>; explanation: ExplanationLine[] };
  try {
    ran = runEngine(s, body, standardFen);
  } catch (e) {
    // The engine's own refusals of an input it cannot compute (a band the parameters lack…) are input errors.
    if (e instanceof DibaoRuleError)
      throw new AppError(ErrorCode.VALIDATION, `input: ${e.message}`, { field: 'input' });
    throw e;
  }
  const { result, explanation } = ran;
  return {
    engine: s.engine,
    ...(s.note !== undefined ? { note: s.note } : {}),
    month: s.month,
    policy: policyInfo,
    ...(dibaoStandard ? { dibaoStandard } : {}),
    result,
    explanation,
  };
}

function split<T extends { explanation: ExplanationLine[] }>(
  r: T,
): { result: Record<string, unknown>; explanation: ExplanationLine[] } {
  const { explanation, ...rest } = r;
  return { result: rest, explanation };
}

function runEngine(
  s: ParsedScenario,
  body: PolicyBody<PolicyKind>,
  standardFen: number | undefined,
): { result: Record<string, unknown>; explanation: ExplanationLine[] } {
  const input = s.input;
  switch (s.engine) {
    case 'dibao': {
      const params = body as PolicyBody<'dibao'>;
      const r = assessDibaoHousehold(
        params,
        input as never,
        standardFen !== undefined ? { urbanStandardFen: standardFen } : {},
      );
      return split(r);
    }
    case 'tekun':
      return split(
        tekunMonthly(body as PolicyBody<'tekun'>, {
          ...(input as never as Parameters<typeof tekunMonthly>[1]),
          ...(standardFen !== undefined ? { dibaoStandardFen: standardFen } : {}),
        }),
      );
    case 'temporary_aid':
      return split(
        temporaryAidAmount(body as PolicyBody<'temporary_aid'>, {
          ...(input as never as Parameters<typeof temporaryAidAmount>[1]),
          dibaoStandardFen: standardFen as number,
        }),
      );
    case 'medical_aid':
      return split(medicalAidClaim(body as PolicyBody<'medical_aid'>, input as never));
    case 'price_subsidy':
      return split(
        priceSubsidyMonthly(body as PolicyBody<'price_subsidy'>, {
          ...(input as never as Parameters<typeof priceSubsidyMonthly>[1]),
          dibaoStandardFen: standardFen as number,
        }),
      );
  }
}

/** Parse and run. */
export async function runScenario(raw: unknown, ctx: ScenarioContext): Promise<ScenarioResult> {
  return runParsedScenario(parseScenario(raw), ctx);
}
