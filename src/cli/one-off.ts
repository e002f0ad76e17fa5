/**
 * 一次性发放 from the command line, acting as a named user (their role, area and the four-eyes rule apply):
 *   jiuzhu one-off holiday --title 2015年春节五保对象临时价格补贴 --programs rural_tekun --amount 160 --date 2015-02-10 --user xian_admin
 *   jiuzhu one-off approve-batch <id> --user xian_shenpi
 *   jiuzhu one-off approve <id> --user xian_shenpi
 *   jiuzhu medical-claim add --file claim.json --user rucheng_jingban
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { Actor } from '../domain/access/actor.ts';
import { FUND_SOURCES } from '../domain/benefit/components.ts';
import { formatYuan, yuanToFen } from '../domain/money/money.ts';
import { actorOf } from '../modules/auth/auth.service.ts';
import { AppError, ErrorCode } from '../modules/errors/app-error.ts';
import { HolidayBatchBody, MedicalClaimBody } from '../modules/payments/one-off.schemas.ts';
import {
  addMedicalClaim,
  approveBatch,
  approvePayment,
  createHolidayBatch,
} from '../modules/payments/one-off.service.ts';
import { withDatabase } from './context.ts';
import { printJson, println, runCommand } from './output.ts';

async function actorNamed(db: Kysely<Database>, username: string): Promise<Actor> {
  const user = await db
    .selectFrom('app_user')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new AppError(ErrorCode.VALIDATION, `用户 ${username} 不存在`, { field: 'user' });
  if (user.disabled) throw new AppError(ErrorCode.ACCOUNT_DISABLED, `用户 ${username} 已停用`);
  return { ...actorOf(user), ip: 'cli' };
}

/** zod issues → the same VALIDATION error the API gives (first field named, every issue listed). */
function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || 'body',
    message: i.message,
  }));
  const first = issues[0] ?? { field: 'body', message: '内容不正确' };
  throw new AppError(ErrorCode.VALIDATION, `${first.field}：${first.message}`, {
    field: first.field,
    issues,
  });
}

const fundLabel = (source: string) => FUND_SOURCES[source as keyof typeof FUND_SOURCES] ?? source;

/** Names the field of a refused input in the message, as the API's error body does. */
async function withField<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof AppError && e.field && !e.message.startsWith(e.field)) {
      throw new AppError(e.code, `${e.field}：${e.message}`, { field: e.field, issues: e.issues });
    }
    throw e;
  }
}

function amountFen(yuan: string): number {
  try {
    return yuanToFen(yuan);
  } catch {
    throw new AppError(ErrorCode.VALIDATION, `--amount 应为金额（元，最多两位小数），实际为 ${yuan}`, {
      field: 'amount',
    });
  }
}

function printBatch(b: {
  id: number;
  title: string;
  lineCount: number;
  totalFen: number;
  status: string;
  statusLabel: string;
  summary: {
    townName: string | null;
    townCode: string;
    programCode: string;
    fundSource: string;
    count: number;
    totalFen: number;
  }[];
}) {
  println(`批次 ${b.id}：${b.title}（${b.statusLabel}）`);
  println(`共 ${b.lineCount} 人，合计 ${formatYuan(b.totalFen)} 元`);
  for (const s of b.summary) {
    println(
      `  ${s.townName ?? s.townCode}  ${s.programCode}  ${fundLabel(s.fundSource)}  ${s.count} 人  ${formatYuan(s.totalFen)} 元`,
    );
  }
}

export function registerOneOff(program: Command): void {
  const oneOff = program.command('one-off').description('一次性发放：节日补贴批次、审批');
  oneOff
    .command('holiday')
    .description('创建节日补贴批次：参考日在保人员每人一笔（特困按人，低保按户内每人）')
    .requiredOption('--title <title>', '批次名称，如 2015年春节五保对象临时价格补贴')
    .requiredOption(
      '--programs <codes>',
      '救助项目，逗号分隔：urban_dibao、rural_dibao、urban_tekun、rural_tekun',
    )
    .requiredOption('--amount <yuan>', '每人金额（元）')
    .requiredOption('--date <date>', '参考日期 YYYY-MM-DD（当日在保者发放）')
    .requiredOption('--user <username>', '以该用户身份操作（县级）')
    .option('--fund-source <source>', '资金来源 central、provincial、county（默认按各项目政策参数）')
    .option('--json', '以 JSON 输出')
    .action(
      (opts: {
        title: string;
        programs: string;
        amount: string;
        date: string;
        user: string;
        fundSource?: string;
        json?: boolean;
      }) =>
        runCommand(async () => {
          await withDatabase(async (handle) => {
            const actor = await actorNamed(handle.db, opts.user);
            const body = parsed(HolidayBatchBody, {
              kind: 'holiday_subsidy',
              title: opts.title,
              programCodes: opts.programs
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              amountPerPersonFen: amountFen(opts.amount),
              referenceDate: opts.date,
              ...(opts.fundSource ? { fundSource: opts.fundSource } : {}),
            });
            const batch = await handle.db
              .transaction()
              .execute((trx) => createHolidayBatch(trx, actor, body));
            if (opts.json) printJson(batch);
            else {
              printBatch(batch);
              println(`待审批：jiuzhu one-off approve-batch ${batch.id} --user <审批人>`);
            }
          });
        }, opts.json),
    );
  oneOff
    .command('approve-batch <id>')
    .description('审批整个批次（审批人不能是创建人），记入发放台账')
    .requiredOption('--user <username>', '以该用户身份审批（县级审批人）')
    .option('--json', '以 JSON 输出')
    .action((id: string, opts: { user: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle) => {
          const actor = await actorNamed(handle.db, opts.user);
          const batch = await handle.db.transaction().execute((trx) => approveBatch(trx, actor, Number(id)));
          if (opts.json) printJson(batch);
          else {
            printBatch(batch);
            println(
              `已记入 ${batch.posted.payMonth} 发放台账：${batch.posted.count} 笔，${formatYuan(batch.posted.totalFen)} 元`,
            );
          }
        });
      }, opts.json),
    );
  oneOff
    .command('approve <id>')
    .description('审批一笔发放（临时救助、医疗救助；审批人不能是创建人），记入发放台账')
    .requiredOption('--user <username>', '以该用户身份审批（县级审批人）')
    .option('--json', '以 JSON 输出')
    .action((id: string, opts: { user: string; json?: boolean }) =>
      runCommand(async () => {
        await withDatabase(async (handle) => {
          const actor = await actorNamed(handle.db, opts.user);
          const p = await handle.db.transaction().execute((trx) => approvePayment(trx, actor, Number(id)));
          if (opts.json) printJson(p);
          else
            println(
              `已审批发放 ${p.id}：${p.kindLabel} ${formatYuan(p.amountFen)} 元（${fundLabel(p.fundSource)}），账号 ${p.bankAccount ?? '无'}`,
            );
        });
      }, opts.json),
    );

  const claim = program.command('medical-claim').description('医疗救助');
  claim
    .command('add')
    .description(
      '登记一次住院医疗救助并计算（文件字段同 POST /api/v1/medical-claims；可用 idNumber 代替 personId）',
    )
    .requiredOption('--file <path>', '住院结算 JSON 文件；- 表示从标准输入读取')
    .requiredOption('--user <username>', '以该用户身份登记')
    .option('--json', '以 JSON 输出')
    .action((opts: { file: string; user: string; json?: boolean }) =>
      runCommand(async () => {
        let raw: unknown;
        try {
          raw = JSON.parse(opts.file === '-' ? readFileSync(0, 'utf8') : readFileSync(opts.file, 'utf8'));
        } catch (e) {
          throw new AppError(ErrorCode.INVALID_JSON, `无法读取 ${opts.file}：${(e as Error).message}`);
        }
        await withDatabase(async (handle) => {
          const actor = await actorNamed(handle.db, opts.user);
          const input = { ...(raw as Record<string, unknown>) };
          if (typeof input.idNumber === 'string' && input.personId === undefined) {
            const person = await handle.db
              .selectFrom('person')
              .select('id')
              .where('id_number', '=', input.idNumber.toUpperCase())
              .executeTakeFirst();
            if (!person)
              throw new AppError(ErrorCode.VALIDATION, `身份证号 ${input.idNumber} 未登记`, {
                field: 'idNumber',
              });
            input.personId = person.id;
          }
          delete input.idNumber;
          const body = parsed(MedicalClaimBody, input);
          const r = await withField(() =>
            handle.db.transaction().execute((trx) => addMedicalClaim(trx, actor, body)),
          );
          if (opts.json) {
            printJson(r);
            return;
          }
          const c = r.claim;
          println(
            `医疗救助登记 ${c.id}：${c.personName}（${c.categoryLabel}），${c.hospital} ${c.admittedOn} 至 ${c.dischargedOn}`,
          );
          for (const line of r.explanation) println(`  ${line.step}：${line.text}`);
          println(
            r.payment
              ? `救助金额 ${formatYuan(r.payment.amountFen)} 元，资金来源 ${fundLabel(r.payment.fundSource)}，待审批（发放记录 ${r.payment.id}）`
              : '本次无可救助金额，未生成发放记录',
          );
        });
      }, opts.json),
    );
}
