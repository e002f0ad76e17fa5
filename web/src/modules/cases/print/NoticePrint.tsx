import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Select, Spin } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { query } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { useMe } from '../../auth/AuthProvider.tsx';
import { chineseDate } from '../../intake/labels.ts';
import { PrintSheet } from '../../intake/PrintSheet.tsx';
import { useAreas } from '../../registry/hooks/use-areas.ts';
import { formatYuan, todayInChina } from '../utils/labels.ts';
import { useCasePrinting } from './use-case-printing.ts';

interface NoticeItem {
  caseId: number;
  program: string;
  village: string | null;
  /** Already masked by the server (李*国); ID numbers are never sent. */
  name: string;
  householdSize: number | null;
  proposedAmountFen: number | null;
  noticeEndsOn: string | null;
  kind: string;
}

interface NoticeList {
  townCode: string;
  townName: string;
  items: NoticeItem[];
}

/**
 * 打印公示名单 in the case list toolbar: a town user prints their town's list; a county user picks
 * the town first. With ?print=notice&townCode=… the printable list covers the page.
 */
export function NoticePrintButton() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const townUser = me.areaCode.length === 9;
  const [choosing, setChoosing] = useState(false);
  const [town, setTown] = useState<string | undefined>(params.get('townCode') ?? undefined);
  const { areas: towns } = useAreas(choosing ? null : '');
  const printing = params.get('print') === 'notice';
  const townCode = townUser ? me.areaCode : (params.get('townCode') ?? undefined);

  const open = (code: string) => {
    const next = new URLSearchParams(params);
    next.set('print', 'notice');
    next.set('townCode', code);
    next.delete('page');
    setParams(next);
  };
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete('print');
    setParams(next);
  };

  return (
    <>
      <Button
        icon={<PrinterOutlined />}
        onClick={() => (townUser ? open(me.areaCode) : setChoosing(true))}
        data-testid="print-public-notice"
      >
        打印公示名单
      </Button>
      {choosing && (
        <Modal
          open
          title="打印公示名单"
          okText="打印预览"
          okButtonProps={{ disabled: !town }}
          onOk={() => {
            if (town) open(town);
            setChoosing(false);
          }}
          onCancel={() => setChoosing(false)}
        >
          <Select
            placeholder="请选择乡镇"
            style={{ width: '100%' }}
            value={town}
            options={towns.map((t) => ({ value: t.code, label: t.name, disabled: !t.inScope }))}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(v: string) => setTown(v)}
            data-testid="notice-town"
          />
        </Modal>
      )}
      {printing && townCode && <NoticeSheet townCode={townCode} onClose={close} />}
    </>
  );
}

function NoticeSheet({ townCode, onClose }: { townCode: string; onClose(): void }) {
  useCasePrinting();
  const { data, error } = useApi<NoticeList>(`/api/v1/cases/public-notice${query({ townCode })}`);
  const title = data ? `${data.townName}社会救助对象公示名单` : '社会救助对象公示名单';
  return (
    <PrintSheet title={title} onClose={onClose}>
      {error && <Alert type="error" showIcon title={error.message} />}
      {!data && !error && <Spin style={{ display: 'block', margin: '40px auto' }} />}
      {data && <NoticeDocument list={data} title={title} />}
    </PrintSheet>
  );
}

function NoticeDocument({ list, title }: { list: NoticeList; title: string }) {
  return (
    <div data-testid="public-notice-document">
      <h1>{title}</h1>
      <p>
        根据社会救助有关规定，现将拟纳入或拟终止社会救助的对象予以公示。为保护个人隐私，姓名部分隐去，不公示身份证件号码等个人信息。
      </p>
      <table>
        <thead>
          <tr>
            <th style={{ width: '7%' }}>序号</th>
            <th>村（居）</th>
            <th>姓名（部分隐去）</th>
            <th>救助项目</th>
            <th style={{ width: '9%' }}>家庭人口</th>
            <th>拟救助金额（元）</th>
            <th style={{ width: '9%' }}>类别</th>
            <th>公示截止</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((item, i) => (
            <tr key={item.caseId} data-testid="notice-row">
              <td style={{ textAlign: 'center' }}>{i + 1}</td>
              <td>{item.village ?? '—'}</td>
              <td>{item.name}</td>
              <td>{item.program}</td>
              <td style={{ textAlign: 'center' }}>{item.householdSize ?? '—'}</td>
              <td className="tabular" style={{ textAlign: 'right' }}>
                {item.proposedAmountFen !== null ? formatYuan(item.proposedAmountFen) : '—'}
              </td>
              <td style={{ textAlign: 'center' }}>{item.kind}</td>
              <td className="tabular">{item.noticeEndsOn ?? '—'}</td>
            </tr>
          ))}
          {list.items.length === 0 && (
            <tr>
              <td colSpan={8} style={{ textAlign: 'center' }}>
                本乡镇目前没有公示中的对象
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p>公示期为7天。如有异议，请于公示期内向乡镇人民政府社会救助窗口或拨打12349反映。</p>
      <div className="signatures">
        <div />
        <div style={{ textAlign: 'right' }}>
          {list.townName}人民政府（盖章）
          <br />
          {chineseDate(todayInChina())}
        </div>
      </div>
    </div>
  );
}
