import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { createPortal } from 'react-dom';
import {
  CHECKLISTS,
  type IntakeItemCode,
  itemLabel,
  SIGNERS,
} from '../../../../src/domain/intake/intake-rules.ts';
import { formatChinaTime } from '../registry/utils/labels.ts';
import { chineseDate } from './labels.ts';
import type { IntakeRequest } from './types.ts';
import './print.css';

/**
 * A clean printable view over the whole page: a paper sheet on screen with 打印 / 返回; on paper only the
 * sheet (the print stylesheet hides the app). window.print opens the browser's print dialog.
 */
export function PrintSheet({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
}) {
  useEffect(() => {
    document.body.classList.add('intake-printing');
    const previous = document.title;
    document.title = title;
    return () => {
      document.body.classList.remove('intake-printing');
      document.title = previous;
    };
  }, [title]);
  return createPortal(
    <div className="intake-print-root" data-testid="print-view">
      <div className="intake-print-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={onClose}>
          返回
        </Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="print-now"
        >
          打印
        </Button>
        <Typography.Text type="secondary">请使用 A4 纸打印</Typography.Text>
      </div>
      <div className="intake-print-sheet">{children}</div>
    </div>,
    document.body,
  );
}

const townOffice = (r: IntakeRequest) => `${r.townName ?? ''}人民政府`;

/** 社会救助申请材料一次性告知书 (DOMAIN §2: everything missing at once; platform documents not demanded). */
export function NoticeDocument({ request: r }: { request: IntakeRequest }) {
  const notice = r.notice;
  if (!notice) return null;
  const items = [...new Set(r.items.map((i) => i.itemCode))];
  const noticeItems = new Set(notice.materials.map((m) => m.itemCode));
  const shared = r.checklist.notDemanded.filter((n) =>
    [...noticeItems].some((c) => CHECKLISTS[c].shared.includes(n.code)),
  );
  return (
    <div data-testid="notice-document">
      <h1>社会救助申请材料一次性告知书</h1>
      <div className="doc-number">
        {r.townName}受理登记第 {r.id} 号
      </div>
      <p className="no-indent">
        {r.applicantName}
        {r.applicantIdNumber ? `（公民身份号码：${r.applicantIdNumber}）` : ''}：
      </p>
      <p>
        您于{chineseDate(formatChinaTime(r.receivedAt).slice(0, 10))}向{townOffice(r)}社会救助窗口申请
        {items.map((c) => `“${itemLabel(c)}”`).join('、')}
        。经审查，您的申请材料尚不齐全，现将需要补齐的全部材料一次性告知如下：
      </p>
      <table>
        <thead>
          <tr>
            <th style={{ width: '8%' }}>序号</th>
            <th style={{ width: '26%' }}>申请事项</th>
            <th>需补齐的材料</th>
            <th style={{ width: '26%' }}>说明</th>
          </tr>
        </thead>
        <tbody>
          {notice.materials.map((m, i) => (
            <tr key={`${m.itemCode}:${m.code}`} data-testid="notice-row">
              <td style={{ textAlign: 'center' }}>{i + 1}</td>
              <td>{m.itemLabel}</td>
              <td>{m.label}</td>
              <td>{m.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        请您在补齐上述材料后，到{townOffice(r)}
        社会救助窗口继续办理。除上述材料外，本窗口不再要求您补充其他材料。
      </p>
      {shared.length > 0 && (
        <p className="small">
          以下信息由民政部门通过政务数据共享和居民家庭经济状况核对平台查询，无需您提供：
          {shared.map((s) => s.label).join('、')}。
        </p>
      )}
      <p className="small">如有疑问，可拨打社会救助服务热线 12349 咨询。</p>
      <div className="signatures">
        <div>
          告知单位：{townOffice(r)}（盖章）
          <br />
          经办人：{notice.issuedBy}
          <br />
          告知日期：{chineseDate(notice.issuedOn)}
        </div>
        <div>
          申请人（签收）：
          <span className="line" />
          <br />
          签收日期：____年__月__日
        </div>
      </div>
    </div>
  );
}

/**
 * 居民家庭经济状况核对授权书: each person being verified signs personally; a guardian, a proxy (with the
 * reason) or the heirs sign for those who cannot (DOMAIN §3.2). What is checked: DOMAIN §3.1.
 */
export function AuthorisationDocument({ request: r }: { request: IntakeRequest }) {
  const all = [...new Set(r.items.map((i) => i.itemCode))];
  const withCheck = all.filter((c: IntakeItemCode) => CHECKLISTS[c].demand.includes('authorisation'));
  const verifiedItems = withCheck.length > 0 ? withCheck : all;
  const recorded = r.authorisations;
  const unsigned = r.householdMembers.filter((m) => !m.authorised && !m.deceased);
  const rows = [
    ...recorded.map((a) => ({
      key: `a${a.id}`,
      name: a.name,
      idNumber: a.idNumber,
      signer: a.signer === 'self' ? SIGNERS.self : `${a.signerLabel}：${a.signerName ?? ''}`,
    })),
    ...unsigned.map((m) => ({ key: `m${m.personId}`, name: m.name, idNumber: m.idNumber, signer: '' })),
  ];
  const blanks = Math.max(0, 4 - rows.length);
  return (
    <div data-testid="authorisation-document">
      <h1>居民家庭经济状况核对授权书</h1>
      <div className="doc-number">
        {r.townName}受理登记第 {r.id} 号
      </div>
      <p>
        因申请{verifiedItems.map((c) => `“${itemLabel(c)}”`).join('、')}
        ，本人及下列共同生活的家庭成员（核对对象）同意并授权{r.countyName ?? '县'}
        民政部门及其居民家庭经济状况核对机构，依法向公安、人力资源社会保障、住房城乡建设、自然资源（不动产登记）、市场监管、税务、住房公积金管理等部门和银行、保险、证券等金融机构，查询、核对本人的户籍、车辆、房产、社会保险、养老金、市场主体登记、纳税、住房公积金、存款、证券、商业保险等家庭经济状况信息。
      </p>
      <p>
        本授权书自签署之日起，在所申请救助事项的审核确认期间及享受救助期间的定期核查中有效。民政部门对查询所得信息依法保密，仅用于社会救助审核确认和管理。
      </p>
      <table>
        <thead>
          <tr>
            <th style={{ width: '7%' }}>序号</th>
            <th style={{ width: '15%' }}>核对对象姓名</th>
            <th style={{ width: '27%' }}>公民身份号码</th>
            <th style={{ width: '21%' }}>签署人（本人或代签人）</th>
            <th>签名（按手印）</th>
            <th style={{ width: '14%' }}>日期</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={row.key} data-testid="authorisation-row">
              <td style={{ textAlign: 'center' }}>{i + 1}</td>
              <td>{row.name}</td>
              <td className="tabular">{row.idNumber}</td>
              <td>{row.signer}</td>
              <td className="sign" />
              <td />
            </tr>
          ))}
          {Array.from({ length: blanks }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: blank rows have nothing else to key on
            <tr key={`blank${i}`}>
              <td style={{ textAlign: 'center' }}>{rows.length + i + 1}</td>
              <td />
              <td />
              <td />
              <td className="sign" />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small no-indent">
        说明：核对对象应本人签名；无民事行为能力或限制民事行为能力的，由监护人签名；本人不能签名的，可书面委托他人代签并注明原因；已故人员仍需核对的，由法定继承人或受遗赠人签名。申请特困人员救助供养的，法定赡养、抚养、扶养义务人也应签署本授权书。
      </p>
      <div className="signatures">
        <div>
          申请人：{r.applicantName}
          <br />
          申请人签名：
          <span className="line" />
        </div>
        <div>
          受理单位：{townOffice(r)}（盖章）
          <br />
          受理日期：{chineseDate(formatChinaTime(r.receivedAt).slice(0, 10))}
        </div>
      </div>
    </div>
  );
}
