import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { HUKOU_TYPES } from '../../../../../src/domain/household/person-attributes.ts';
import { chineseDate } from '../../intake/labels.ts';
import { PrintSheet } from '../../intake/PrintSheet.tsx';
import type { Household } from '../../registry/types.ts';
import type { CaseDetail, Program } from '../types.ts';
import { useCasePrinting } from './use-case-printing.ts';

/** The procedures of an enrolled household's changes: no application form. */
const ENROLLED_PROCEDURES = new Set<string>(['dibao_changes', 'tekun_termination']);

/** The title of the 申请审批表 by program. */
export function applicationTitle(program: Program): string {
  switch (program) {
    case 'urban_dibao':
    case 'rural_dibao':
      return '最低生活保障申请审批表';
    case 'urban_tekun':
    case 'rural_tekun':
      return '特困人员救助供养申请审批表';
    case 'temporary_aid':
      return '临时救助申请审批表';
  }
}

export const APPLICANT_PROMISE =
  '本人承诺以上信息真实、完整，并授权民政部门及相关单位核对本人及家庭成员的收入、财产等情况。如有虚报、隐瞒、伪造，愿承担相应法律责任。';

/**
 * 打印申请表 in the case header for a new application (not an enrolled household's change or
 * termination); with ?print=application it shows the printable 申请审批表 over the page.
 */
export function ApplicationPrintButton({ c, household }: { c: CaseDetail; household: Household | null }) {
  const [params, setParams] = useSearchParams();
  if (ENROLLED_PROCEDURES.has(c.procedure)) return null;
  const printing = params.get('print') === 'application';
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete('print');
    setParams(next);
  };
  return (
    <>
      <Button
        icon={<PrinterOutlined />}
        onClick={() => setParams({ print: 'application' })}
        data-testid="print-application"
      >
        打印申请表
      </Button>
      {printing && household && <ApplicationSheet c={c} household={household} onClose={close} />}
    </>
  );
}

function ApplicationSheet({
  c,
  household: h,
  onClose,
}: {
  c: CaseDetail;
  household: Household;
  onClose(): void;
}) {
  useCasePrinting();
  const title = applicationTitle(c.programCode);
  const members = h.members;
  const head = members.find((m) => m.id === h.headPersonId);
  const person = c.personId ? [...members, ...h.formerMembers].find((m) => m.id === c.personId) : null;
  const applicant = person?.name ?? head?.name ?? '';
  return (
    <PrintSheet title={title} onClose={onClose}>
      <div data-testid="application-document">
        <h1>{title}</h1>
        <div className="doc-number">
          {h.townName ?? ''} 受理日期：{chineseDate(c.acceptedOn)} 个案编号：{c.id}
        </div>
        <table>
          <tbody>
            <tr>
              <th style={{ width: '16%' }}>申请人</th>
              <td>{applicant}</td>
              <th style={{ width: '16%' }}>救助项目</th>
              <td>{c.programName}</td>
            </tr>
            <tr>
              <th>家庭住址</th>
              <td colSpan={3} data-testid="application-address">
                {h.address}
              </td>
            </tr>
            <tr>
              <th>所属乡镇</th>
              <td>{h.townName ?? ''}</td>
              <th>所属村（居）</th>
              <td>{h.villageName ?? ''}</td>
            </tr>
            <tr>
              <th>户口性质</th>
              <td>{HUKOU_TYPES[h.hukouType]}</td>
              <th>联系电话</th>
              <td>{h.phone ?? ''}</td>
            </tr>
          </tbody>
        </table>
        <h2 style={{ fontSize: '12pt', margin: '12pt 0 4pt' }}>家庭成员情况</h2>
        <table data-testid="application-members">
          <thead>
            <tr>
              <th>姓名</th>
              <th>与户主关系</th>
              <th>性别</th>
              <th>出生日期</th>
              <th>身份证号码</th>
              <th style={{ width: '16%' }}>申请人签字</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.relation}</td>
                <td>{m.sexLabel}</td>
                <td>{m.birthDate}</td>
                <td className="tabular" data-testid="member-id-number">
                  {m.idNumber}
                </td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
        <table style={{ marginTop: '8pt' }}>
          <tbody>
            <tr>
              <th style={{ width: '16%' }}>困难情况</th>
              <td style={{ height: '60pt' }} />
            </tr>
          </tbody>
        </table>
        <p data-testid="application-promise">{APPLICANT_PROMISE}</p>
        <div className="signatures">
          <div>
            申请人（签字）：
            <span className="line" />
          </div>
          <div style={{ textAlign: 'right' }}>日期：____年__月__日</div>
        </div>
        <table style={{ marginTop: '12pt' }}>
          <tbody>
            <tr>
              <th style={{ width: '16%' }}>乡镇审核意见</th>
              <td style={{ height: '70pt', verticalAlign: 'bottom', textAlign: 'right' }}>
                （盖章） ____年__月__日
              </td>
            </tr>
            <tr>
              <th>县级审核确认意见</th>
              <td style={{ height: '70pt', verticalAlign: 'bottom', textAlign: 'right' }}>
                （盖章） ____年__月__日
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </PrintSheet>
  );
}
