import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '../../auth/AuthProvider.tsx';
import { chineseDate } from '../../intake/labels.ts';
import { PrintSheet } from '../../intake/PrintSheet.tsx';
import type { Household } from '../../registry/types.ts';
import type { CaseDetail } from '../types.ts';
import {
  ADVERSE_KINDS,
  type CaseDecision,
  caseDecision,
  decisionSentence,
  decisionTitle,
} from './decision.ts';
import { useCasePrinting } from './use-case-printing.ts';
import { useCountyName } from './use-county-name.ts';

/** DOMAIN §16: a decision against the applicant tells them how to appeal. */
export function appealSentence(countyName: string): string {
  return `如对本决定不服，可以自收到本决定书之日起六十日内向${countyName}人民政府申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。`;
}

/**
 * 打印决定书 in the case header when the case has a decision; with ?print=decision it shows the
 * printable 决定书 over the page (the intake print sheet and stylesheet).
 */
export function DecisionPrintButton({ c, household }: { c: CaseDetail; household: Household | null }) {
  const [params, setParams] = useSearchParams();
  const decision = caseDecision(c);
  if (!decision) return null;
  const printing = params.get('print') === 'decision';
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete('print');
    setParams(next);
  };
  return (
    <>
      <Button
        icon={<PrinterOutlined />}
        onClick={() => setParams({ print: 'decision' })}
        data-testid="print-decision"
      >
        打印决定书
      </Button>
      {printing && household && <DecisionSheet c={c} household={household} d={decision} onClose={close} />}
    </>
  );
}

function DecisionSheet({
  c,
  household: h,
  d,
  onClose,
}: {
  c: CaseDetail;
  household: Household;
  d: CaseDecision;
  onClose(): void;
}) {
  useCasePrinting();
  const me = useMe();
  const countyName = useCountyName(me.countyCode);
  const title = decisionTitle(c, d);
  const members = [...h.members, ...h.formerMembers];
  const head = members.find((m) => m.id === h.headPersonId);
  const person = c.personId ? members.find((m) => m.id === c.personId) : null;
  const applicant = person?.name ?? head?.name ?? '';
  const issuer = countyName ? `${countyName}民政局` : '县级人民政府民政部门';
  const address =
    h.townName && h.address.includes(h.townName)
      ? h.address
      : `${h.townName ?? ''}${h.villageName && !h.address.includes(h.villageName) ? h.villageName : ''}${h.address}`;
  const amountFen = typeof c.facts.amountFen === 'number' ? c.facts.amountFen : null;
  return (
    <PrintSheet title={title} onClose={onClose}>
      <div data-testid="decision-document">
        <h1>{title}</h1>
        <div className="doc-number">
          {countyName ?? ''}民救决字〔{d.decidedOn.slice(0, 4)}〕第 {c.id} 号
        </div>
        <p className="no-indent">{applicant}：</p>
        <table>
          <tbody>
            <tr>
              <th style={{ width: '18%' }}>申请人</th>
              <td>{applicant}</td>
              <th style={{ width: '18%' }}>救助项目</th>
              <td>{c.programName}</td>
            </tr>
            <tr>
              <th>家庭住址</th>
              <td colSpan={3}>{address}</td>
            </tr>
          </tbody>
        </table>
        <p>
          你（家庭）于{chineseDate(c.acceptedOn)}提出的{c.programName}申请，依据{c.procedureLabel}
          的规定，经{h.townName ?? ''}人民政府调查、审核，{issuer}依法作出如下决定：
        </p>
        <p data-testid="decision-sentence">{decisionSentence(c, d, amountFen)}</p>
        {d.reasons && <p data-testid="decision-reasons">理由：{d.reasons}</p>}
        {ADVERSE_KINDS.has(d.kind) && (
          <p data-testid="decision-appeal">{appealSentence(countyName ?? '县')}</p>
        )}
        <p className="small">如有疑问，可拨打社会救助服务热线 12349 咨询。</p>
        <div className="signatures">
          <div>
            申请人（签收）：
            <span className="line" />
            <br />
            签收日期：____年__月__日
          </div>
          <div style={{ textAlign: 'right' }}>
            {issuer}（盖章）
            <br />
            {chineseDate(d.decidedOn)}
          </div>
        </div>
      </div>
    </PrintSheet>
  );
}
