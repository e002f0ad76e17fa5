/**
 * The printable 居民家庭经济状况核对报告 (DOMAIN §3.4): one self-contained HTML page (inline CSS, no scripts),
 * with masked ID numbers whatever the reader's role (a print leaves the system), every text escaped, the
 * signature lines of the verifier and reviewer, and the report's sha256 in the footer.
 */
import { maskIdNumber } from '../../domain/identity/resident-id.ts';
import { formatYuan } from '../../domain/money/money.ts';
import { INCOME_TYPES, VEHICLE_TYPES, type VehicleType } from '../../domain/policy/dibao.params.ts';
import type { VerificationReportBody } from '../../domain/verification/report.ts';
import { maskIdsDeep, type ReportView } from './verification.service.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;

const STATUS_LABELS: Record<string, string> = { ok: '有记录', not_found: '无记录', unavailable: '无法查询' };
const CHANNEL_LABELS: Record<string, string> = { connector: '接口实时查询', snapshot: '批量数据' };
const ROLE_LABELS: Record<string, string> = { member: '家庭成员', supporter: '赡养（抚养、扶养）义务人' };

function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : `${formatYuan(fen)} 元`;
}

function lines(items: { step?: string; text: string }[]): string {
  if (items.length === 0) return '';
  return `<ol class="lines">${items
    .map((l) => `<li>${l.step ? `<b>${e(l.step)}</b>：` : ''}${e(l.text)}</li>`)
    .join('')}</ol>`;
}

const CSS = `
body{font-family:"SimSun","Songti SC","Noto Serif CJK SC",serif;margin:24px auto;max-width:900px;color:#000;font-size:14px}
h1{text-align:center;font-size:22px;margin:0 0 4px}
h2{font-size:16px;border-bottom:1px solid #000;margin:20px 0 8px;padding-bottom:2px}
h3{font-size:14px;margin:12px 0 4px}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{border:1px solid #000;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
.meta td{border:none;padding:2px 6px}
.lines{margin:4px 0;padding-left:22px}
.conclusion{font-size:16px;font-weight:bold;border:2px solid #000;padding:8px;margin:8px 0}
.sign{display:flex;justify-content:space-between;margin-top:36px}
.sign div{width:30%}
.footer{margin-top:24px;font-size:11px;color:#333;word-break:break-all}
.major{font-weight:bold}
@media print{body{margin:0}}
`;

/** Renders the printable report. The body is masked here again, so the page never holds a full ID number. */
export function renderReportHtml(view: ReportView, printedAt: string): string {
  const body = maskIdsDeep(view.report) as VerificationReportBody;
  const subjectRows = body.subjects
    .map(
      (s, i) =>
        `<tr><td>${i + 1}</td><td>${e(s.name)}</td><td>${e(maskIdNumber(s.idNumber))}</td><td>${e(
          s.relation,
        )}</td><td>${e(ROLE_LABELS[s.role] ?? s.role)}</td><td>${s.counted ? '是' : '否'}</td></tr>`,
    )
    .join('');

  const findings = body.subjects
    .map((s) => {
      const rows = s.findings
        .map(
          (f) =>
            `<tr><td>${e(f.label)}</td><td>${e(STATUS_LABELS[f.status] ?? f.status)}</td><td>${e(
              CHANNEL_LABELS[f.channel] ?? f.channel,
            )}${f.snapshotAsOf ? `（数据截至 ${e(f.snapshotAsOf)}）` : ''}</td><td>${
              f.lines.length > 0 ? f.lines.map((l) => e(l)).join('<br>') : '—'
            }</td></tr>`,
        )
        .join('');
      return `<h3>${e(s.name)}（${e(maskIdNumber(s.idNumber))}，${e(s.relation)}）</h3>
<table><thead><tr><th style="width:16%">数据来源</th><th style="width:10%">结果</th><th style="width:22%">查询方式</th><th>核对情况</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('');

  const incomeRows = body.income.members
    .flatMap((m) =>
      m.items.map(
        (it) =>
          `<tr><td>${e(m.name)}</td><td>${e(INCOME_TYPES[it.type] ?? it.type)}</td><td>${e(yuan(it.monthlyFen))}</td><td>${e(it.basis)}</td></tr>`,
      ),
    )
    .join('');

  const a = body.assets;
  const vehicles =
    a.vehicles.length === 0
      ? '无'
      : a.vehicles.map((v) => VEHICLE_TYPES[v.type as VehicleType] ?? v.type).join('、');
  const differenceRows = body.differences
    .map(
      (d) =>
        `<tr${d.major ? ' class="major"' : ''}><td>${e(d.name ?? '全家')}</td><td>${e(d.item)}</td><td>${e(
          d.declared,
        )}</td><td>${e(d.found)}</td><td>${d.major ? '重大差异' : '一般差异'}</td></tr>`,
    )
    .join('');

  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>居民家庭经济状况核对报告 ${e(view.reportNo)}</title>
<style>${CSS}</style></head><body>
<h1>居民家庭经济状况核对报告</h1>
<table class="meta"><tr><td>报告编号：${e(view.reportNo)}</td><td>核对类型：${e(view.checkType)} ${e(
    view.checkTypeLabel,
  )}</td></tr>
<tr><td>核对依据：${e(view.basisLabel ?? '')}</td><td>核对基准日：${e(view.asOf)}（受理核对请求 ${e(
    view.requestedOn ?? view.asOf,
  )}，应于 ${e(view.startDueOn)} 前启动）</td></tr>
<tr><td>家庭：编号 ${e(view.householdId)}${view.caseId ? `，个案 ${e(view.caseId)}` : ''}</td><td>地址：${e(
    [view.countyName, view.townName, view.villageName].filter(Boolean).join(''),
  )} ${e(view.address ?? '')}</td></tr></table>

<h2>一、核对对象</h2>
<table><thead><tr><th>序号</th><th>姓名</th><th>公民身份号码</th><th>与户主关系</th><th>身份</th><th>计入家庭</th></tr></thead><tbody>${subjectRows}</tbody></table>

<h2>二、各部门核对情况</h2>
${findings}
${
  body.unavailableSources.length > 0
    ? `<p>以下数据来源本次无法查询：${body.unavailableSources.map((s) => e(s)).join('、')}</p>`
    : ''
}

<h2>三、家庭收入</h2>
<p>收入计算期 ${e(body.income.referenceMonths)} 个月；家庭月人均收入 ${e(yuan(body.income.monthlyPerCapitaFen))}。</p>
${
  incomeRows
    ? `<table><thead><tr><th>成员</th><th>收入类型</th><th>月收入</th><th>依据</th></tr></thead><tbody>${incomeRows}</tbody></table>`
    : '<p>未发现收入记录。</p>'
}
${lines(body.income.lines)}

<h2>四、家庭财产</h2>
<table><tbody>
<tr><th style="width:30%">金融资产（存款、证券、储蓄型保险）</th><td>${e(yuan(a.financialAssetsFen))}</td></tr>
<tr><th>住宅类房产</th><td>${e(a.residentialProperties)} 套</td></tr>
<tr><th>非住宅类房产</th><td>${e(a.nonResidentialProperties)} 处</td></tr>
<tr><th>机动车辆</th><td>${e(vehicles)}</td></tr>
<tr><th>市场主体登记</th><td>${e(a.businessRegistrations)} 户</td></tr>
<tr><th>财产状况</th><td>${a.passed ? '符合规定' : '不符合规定'}${
    a.refusals.length > 0 ? `：${a.refusals.map((r) => e(r.text)).join('；')}` : ''
  }</td></tr>
</tbody></table>
${lines(a.lines)}

${
  (body.supporters ?? []).length > 0
    ? `<h2>赡养（抚养、扶养）义务人</h2><table><thead><tr><th>姓名</th><th>关系</th><th>月收入</th><th>说明</th></tr></thead><tbody>${body.supporters
        .map(
          (s) =>
            `<tr><td>${e(s.name)}</td><td>${e(s.relation)}</td><td>${e(yuan(s.monthlyIncomeFen))}</td><td>${e(s.text)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}

<h2>五、与申报情况的差异</h2>
${
  differenceRows
    ? `<table><thead><tr><th>人员</th><th>项目</th><th>申报</th><th>核对发现</th><th>性质</th></tr></thead><tbody>${differenceRows}</tbody></table>`
    : '<p>未发现与申报不一致的情况（或未提交申报）。</p>'
}

<h2>六、核对结论</h2>
<div class="conclusion">结论代码 ${e(body.conclusion.code)}：${e(body.conclusion.label)}</div>
${body.conclusion.reasons.length > 0 ? `<ol class="lines">${body.conclusion.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ol>` : ''}

<div class="sign">
<div>核对人（签名）：____________</div>
<div>复核人（签名）：____________</div>
<div>日期：____年__月__日</div>
</div>
<p>（核对机构盖章）</p>

<div class="footer">报告编号 ${e(view.reportNo)}；出具 ${e(view.createdAt)}（${e(view.createdBy)}）；打印 ${e(
    printedAt,
  )}。报告内容 SHA-256：${e(view.sha256)}${view.intact ? '' : '（警告：报告内容与出具时的摘要不一致）'}。身份证号码已隐去部分数字。</div>
</body></html>
`;
}
