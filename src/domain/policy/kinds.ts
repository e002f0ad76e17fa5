/**
 * The registry of policy-parameter kinds (DOMAIN §15: parameters, not code). Each kind has a zod schema that
 * validates a version's JSON body when it is saved; the programs it serves; and a label for the admin screens.
 */
import { z } from 'zod';
import { dibaoParamsSchema } from './dibao.params.ts';
import { medicalAidParamsSchema } from './medical-aid.params.ts';
import { priceSubsidyParamsSchema } from './price-subsidy.params.ts';
import { tekunParamsSchema } from './tekun.params.ts';
import { temporaryAidParamsSchema } from './temporary-aid.params.ts';

export const POLICY_KINDS = {
  dibao: { label: '低保标准与计算规则', programs: ['urban_dibao', 'rural_dibao'], schema: dibaoParamsSchema },
  tekun: { label: '特困供养标准', programs: ['urban_tekun', 'rural_tekun'], schema: tekunParamsSchema },
  temporary_aid: { label: '临时救助标准', programs: ['temporary_aid'], schema: temporaryAidParamsSchema },
  medical_aid: { label: '医疗救助规则', programs: ['medical_aid'], schema: medicalAidParamsSchema },
  price_subsidy: {
    label: '价格临时补贴联动机制',
    programs: ['price_subsidy'],
    schema: priceSubsidyParamsSchema,
  },
} as const;

export type PolicyKind = keyof typeof POLICY_KINDS;
export const POLICY_KIND_CODES = Object.keys(POLICY_KINDS) as PolicyKind[];
/** The validated (defaults filled in) body of a kind. */
export type PolicyBody<K extends PolicyKind> = z.output<(typeof POLICY_KINDS)[K]['schema']>;

export function isPolicyKind(v: string): v is PolicyKind {
  return Object.hasOwn(POLICY_KINDS, v);
}

/** The kind whose parameters govern a program ('urban_dibao' → 'dibao'); null for a program without parameters. */
export function kindOfProgram(programCode: string): PolicyKind | null {
  for (const kind of POLICY_KIND_CODES) {
    if ((POLICY_KINDS[kind].programs as readonly string[]).includes(programCode)) return kind;
  }
  return null;
}

export interface PolicyIssue {
  /** Dotted path into the body, e.g. 'addOns.items.0.rate'; '' for the body itself. */
  path: string;
  /** Chinese, for the admin who entered the version. */
  message: string;
}

export type PolicyParseResult<T> = { ok: true; value: T } | { ok: false; issues: PolicyIssue[] };

// Messages the schemas do not set themselves (too long a label, an unknown key…) come in Chinese too,
// per parse, without changing zod's global configuration for the rest of the server.
const zhCN = z.locales.zhCN();

/** Validates a version's body for its kind. Expected failures are a result, not an exception. */
export function parsePolicyBody<K extends PolicyKind>(
  kind: K,
  body: unknown,
): PolicyParseResult<PolicyBody<K>> {
  if (!isPolicyKind(kind))
    return { ok: false, issues: [{ path: '', message: `未知的参数类型：${String(kind)}` }] };
  const schema: z.ZodType = POLICY_KINDS[kind].schema;
  const r = schema.safeParse(body, { error: zhCN.localeError });
  // The schema is the kind's own, so its output is that kind's body.
  if (r.success) return { ok: true, value: r.data as PolicyBody<K> };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

/** The JSON Schema of a kind's body (what an admin may write; defaults shown), for the API docs and the editor. */
export function policyBodyJsonSchema(kind: PolicyKind): Record<string, unknown> {
  return z.toJSONSchema(POLICY_KINDS[kind].schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
