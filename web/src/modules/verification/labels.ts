/** Chinese labels of the 家庭经济状况核对 screens; the codes and rules stay in src/domain/verification. */
import { CHECK_TYPES, CONCLUSIONS } from '../../../../src/domain/verification/conclusion.ts';
import { sourceLabel } from '../../../../src/domain/verification/sources.ts';

export { CONCLUSIONS, sourceLabel };

export function checkTypeLabel(code: string, label?: string | null): string {
  return label ?? (CHECK_TYPES as Record<string, string>)[code] ?? code;
}

export function conclusionLabel(code: string, label?: string | null): string {
  return label ?? (CONCLUSIONS as Record<string, string>)[code] ?? code;
}

/** Green: meets the conditions; red: does not; orange: cannot be confirmed (a source did not answer). */
export function conclusionColor(code: string): string {
  if (code === '04') return 'orange';
  if (['01', '02', '03', '05'].includes(code)) return 'green';
  return 'red';
}

export const FINDING_STATUS: Record<string, { label: string; color: string }> = {
  ok: { label: '有记录', color: 'blue' },
  not_found: { label: '无记录', color: 'default' },
  unavailable: { label: '无法查询', color: 'orange' },
};

export const CHANNELS: Record<string, string> = { connector: '接口', snapshot: '快照' };

export const MODES: Record<string, string> = { connector: '接口', snapshot: '快照' };

export const BREAKER: Record<string, { label: string; color: string }> = {
  closed: { label: '正常', color: 'success' },
  open: { label: '熔断（暂停调用）', color: 'error' },
  half_open: { label: '试探恢复中', color: 'warning' },
};

export const SNAPSHOT_STATUS: Record<string, { label: string; color: string }> = {
  loading: { label: '导入中', color: 'processing' },
  in_force: { label: '生效中', color: 'success' },
  superseded: { label: '已被替换', color: 'default' },
  rejected: { label: '未通过校验', color: 'error' },
};

export const QUERY_STATUS: Record<string, { label: string; color: string }> = {
  ok: { label: '有记录', color: 'success' },
  not_found: { label: '无记录', color: 'default' },
  error: { label: '出错', color: 'error' },
  timeout: { label: '超时', color: 'error' },
  circuit_open: { label: '熔断', color: 'warning' },
  refused: { label: '拒绝（无授权）', color: 'volcano' },
};

export const BASIS: Record<string, string> = {
  authorisation: '本人授权',
  periodic_recheck: '在保对象定期复核',
};

export const BATCH_STATUS: Record<string, { label: string; color: string }> = {
  running: { label: '进行中', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  failed: { label: '失败', color: 'error' },
};

export const TRIGGERS: Record<string, string> = { on_demand: '手动发起', scheduled: '定期自动' };

/** Programs whose enrolled households are re-checked in a batch. */
export const RECHECK_PROGRAMS: { code: string; name: string }[] = [
  { code: 'rural_dibao', name: '农村低保' },
  { code: 'urban_dibao', name: '城市低保' },
  { code: 'rural_tekun', name: '农村特困供养' },
  { code: 'urban_tekun', name: '城市特困供养' },
];

export const PROGRAM_NAMES: Record<string, string> = {
  rural_dibao: '农村低保',
  urban_dibao: '城市低保',
  rural_tekun: '农村特困供养',
  urban_tekun: '城市特困供养',
  temporary_aid: '临时救助',
  low_income: '低收入家庭',
};

export function programNames(codes: string[]): string {
  return codes.length === 0 ? '全部' : codes.map((c) => PROGRAM_NAMES[c] ?? c).join('、');
}

/** An ISO timestamp as China time, 'YYYY-MM-DD HH:mm'. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
