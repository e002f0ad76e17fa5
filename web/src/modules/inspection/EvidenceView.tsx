import { Descriptions, Table, Typography } from 'antd';
import { recordValueLabel } from '../../../../src/domain/verification/layouts.ts';
import { isSourceCode, sourceLabel } from '../../../../src/domain/verification/sources.ts';
import { Money } from '../../ui/Money.tsx';

const KEY_LABELS: Record<string, string> = {
  deathDate: '死亡日期',
  monthsSinceDeath: '死亡至今（月）',
  registryDeathDate: '救助对象库登记的死亡日期',
  paidAfterDeathFen: '死亡后发放金额',
  paidMonths: '死亡后发放月数',
  coversOnlyPerson: '该户仅此一人',
  sex: '性别',
  birthDate: '出生日期',
  samePerson: '同一人的其他在保记录',
  sameIdentity: '姓名、出生日期、性别相同的人',
  financialAssetsFen: '金融资产',
  limitFen: '上限',
  thresholdFen: '标准线',
  standardFen: '低保标准',
  perCapitaFen: '人均月收入',
  totalFen: '合计',
  houses: '房产',
  residential: '住房（套）',
  nonResidential: '非住宅房产（处）',
  maxResidential: '住房上限（套）',
  maxNonResidential: '非住宅房产上限（处）',
  monthsOfStandard: '月数',
  multiple: '倍数',
  standardBasis: '标准依据',
  persons: '人数',
  members: '成员',
  links: '关联的工作人员',
  lowIncome: '低收入人口库记录',
  records: '部门数据记录',
};

interface RecordEvidence {
  source?: string;
  idNumber?: string;
  name?: string;
  kind?: string;
  status?: string | null;
  amountFen?: number | null;
  monthlyFen?: number | null;
  eventDate?: string | null;
  ref?: string | null;
}

function isRecordList(v: unknown): v is RecordEvidence[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && 'source' in x);
}

function plain(key: string, v: unknown): React.ReactNode {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number' && key.endsWith('Fen')) return <Money fen={v} />;
  if (key === 'sex') return v === 'M' ? '男' : v === 'F' ? '女' : String(v);
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length === 0) return '无';
  return (
    <Typography.Text style={{ fontSize: 12, whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}>
      {Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join('\n') : JSON.stringify(v, null, 1)}
    </Typography.Text>
  );
}

/** A finding's evidence: the figures the rule compared and the department records it rests on (IDs masked). */
export function EvidenceView({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence ?? {});
  const records = entries.filter(([, v]) => isRecordList(v));
  const others = entries.filter(([, v]) => !isRecordList(v));
  return (
    <div data-testid="finding-evidence">
      {others.length > 0 && (
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={others.map(([k, v]) => ({ key: k, label: KEY_LABELS[k] ?? k, children: plain(k, v) }))}
        />
      )}
      {records.map(([k, v]) => (
        <div key={k} style={{ marginTop: 8 }}>
          <Typography.Text strong>{KEY_LABELS[k] ?? k}</Typography.Text>
          <Table<RecordEvidence & { key: number }>
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={(v as RecordEvidence[]).map((r, key) => ({ ...r, key }))}
            columns={[
              { title: '数据源', dataIndex: 'source', width: 110, render: (s: string) => sourceLabel(s) },
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '身份证号', dataIndex: 'idNumber', width: 180 },
              {
                title: '类别',
                dataIndex: 'kind',
                width: 110,
                render: (k: string | undefined, r) =>
                  r.source && isSourceCode(r.source)
                    ? recordValueLabel(r.source, 'kind', k ?? null)
                    : (k ?? '—'),
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 90,
                render: (s: string | null | undefined, r) =>
                  r.source && isSourceCode(r.source)
                    ? recordValueLabel(r.source, 'status', s ?? null)
                    : (s ?? '—'),
              },
              {
                title: '金额',
                dataIndex: 'amountFen',
                width: 130,
                align: 'right',
                render: (f: number | null) => (f === null || f === undefined ? '—' : <Money fen={f} />),
              },
              {
                title: '月额',
                dataIndex: 'monthlyFen',
                width: 120,
                align: 'right',
                render: (f: number | null) => (f === null || f === undefined ? '—' : <Money fen={f} />),
              },
              { title: '日期', dataIndex: 'eventDate', width: 110, render: (d: string | null) => d ?? '—' },
              { title: '编号', dataIndex: 'ref', render: (r: string | null) => r ?? '—' },
            ]}
          />
        </div>
      ))}
    </div>
  );
}
