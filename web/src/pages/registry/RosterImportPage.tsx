/**
 * 导入花名册: a county's existing roster (xlsx, CSV) → the column mapping (recognised headers, changeable) →
 * the dry run (counts, every bad row with its row, column and reason, the households to create) → the commit
 * of the good households in one transaction. The server checks everything again on commit.
 */
import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ROSTER_FIELD_KEYS, ROSTER_FIELDS, type RosterField } from '../../../../src/domain/roster/columns.ts';
import { ApiError, api } from '../../api/client.ts';
import { useMe } from '../../modules/auth/AuthProvider.tsx';
import { can } from '../../modules/auth/access.ts';
import { readAsBase64 } from '../../modules/payments/api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { Money } from '../../ui/Money.tsx';

interface BadRow {
  row: number;
  column: string;
  value: string;
  reason: string;
}

interface ImportSummary {
  dryRun: boolean;
  mapping: Partial<Record<RosterField, { header: string; label: string }>>;
  unmappedHeaders: string[];
  counts: {
    rows: number;
    badRows: number;
    households: number;
    goodHouseholds: number;
    badHouseholds: number;
    persons: number;
    enrolments: number;
    monthlyAmountFen: number;
  };
  programs: Record<string, { label: string; enrolments: number; persons: number }>;
  fileProblems: BadRow[];
  badRows: BadRow[];
  badHouseholds: { key: string; headName: string | null; rows: number[]; reasons: string[] }[];
  warnings: string[];
  households?: {
    rows: number[];
    townName: string | null;
    villageName: string | null;
    headName: string | null;
    headIdNumber: string | null;
    memberCount: number;
    program: string | null;
    monthlyAmountFen: number | null;
    bankAccount: string | null;
  }[];
  householdIds?: number[];
}

const PAGE_STYLE = { width: '100%' } as const;

function BadRowsTable({ rows }: { rows: BadRow[] }) {
  return (
    <Table<BadRow & { key: number }>
      size="small"
      rowKey="key"
      dataSource={rows.map((r, key) => ({ ...r, key }))}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      data-testid="roster-bad-rows"
      columns={[
        { title: '行号', dataIndex: 'row', width: 90, render: (r: number) => `第 ${r} 行` },
        { title: '列', dataIndex: 'column', width: 150 },
        { title: '值', dataIndex: 'value', width: 180, render: (v: string) => (v === '' ? '（空）' : v) },
        { title: '原因', dataIndex: 'reason' },
      ]}
    />
  );
}

export default function RosterImportPage() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<RosterField, string | null>>>({});
  const [startMonth, setStartMonth] = useState<Dayjs | null>(null);
  const [preview, setPreview] = useState<ImportSummary | null>(null);
  const [done, setDone] = useState<ImportSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!can(me, 'registry.write')) {
    return (
      <ErrorResult error={new ApiError(403, { message: '您的角色不能导入花名册（需要救助对象登记权限）' })} />
    );
  }

  const send = async (kind: 'preview' | 'commit', overrides = mapping) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        fileName: file.name,
        contentBase64: await readAsBase64(file),
        mapping: overrides,
        ...(startMonth ? { startMonth: startMonth.format('YYYY-MM') } : {}),
      };
      const r = await api.post<ImportSummary>(`/api/v1/roster-imports/${kind}`, body);
      if (kind === 'preview') setPreview(r);
      else {
        setDone(r);
        message.success(`已导入 ${r.counts.goodHouseholds} 户 ${r.counts.persons} 人`);
      }
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const headers = preview
    ? [...Object.values(preview.mapping).map((m) => m?.header as string), ...preview.unmappedHeaders].filter(
        (h, i, all) => all.indexOf(h) === i,
      )
    : [];
  const step = done ? 3 : preview ? 2 : file ? 1 : 0;

  return (
    <Space orientation="vertical" size={16} style={PAGE_STYLE} data-testid="roster-import-page">
      <Card title="导入花名册">
        <Steps
          current={step}
          items={[{ title: '选择文件' }, { title: '列对应' }, { title: '预览校验' }, { title: '正式导入' }]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          县里已有的救助对象花名册（Excel .xlsx 或
          CSV），每位家庭成员一行。常见的列（乡镇、村（居）委会、户主姓名、姓名、
          身份证号码、与户主关系、家庭人口、保障类别、月保障金、开户银行、银行账号等）会自动识别。
          有任一行错误的家庭整户不导入，其余家庭在一次操作中全部导入。
        </Typography.Paragraph>
        <Space wrap>
          <Upload
            accept=".csv,.xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setPreview(null);
              setDone(null);
              setMapping({});
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setPreview(null);
              setDone(null);
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="roster-choose">
              选择花名册文件
            </Button>
          </Upload>
          <DatePicker
            picker="month"
            placeholder="保障起始月份"
            value={startMonth}
            onChange={setStartMonth}
            data-testid="roster-start-month"
          />
          <Button type="primary" disabled={!file} loading={busy && !preview} onClick={() => send('preview')}>
            预览校验
          </Button>
        </Space>
      </Card>

      {error && <Alert type="error" showIcon title={error} />}

      {done ? (
        <Result
          status="success"
          title={`已导入 ${done.counts.goodHouseholds} 户 ${done.counts.persons} 人`}
          subTitle={`${done.counts.badHouseholds} 户有错误未导入，请改正后再导入这些家庭。`}
          extra={<Button onClick={() => navigate('/registry')}>查看救助对象</Button>}
        />
      ) : (
        preview && (
          <>
            <Card title="列对应" size="small">
              <Table
                size="small"
                rowKey="field"
                pagination={false}
                dataSource={ROSTER_FIELD_KEYS.map((field) => ({ field }))}
                columns={[
                  {
                    title: '字段',
                    dataIndex: 'field',
                    width: 200,
                    render: (f: RosterField) =>
                      `${ROSTER_FIELDS[f].label}${ROSTER_FIELDS[f].required ? '（必需）' : ''}`,
                  },
                  {
                    title: '文件中的列',
                    render: (_: unknown, { field }: { field: RosterField }) => (
                      <Select
                        allowClear
                        style={{ width: 260 }}
                        placeholder="（不导入）"
                        value={
                          field in mapping ? (mapping[field] ?? undefined) : preview.mapping[field]?.header
                        }
                        options={headers.map((h) => ({ value: h, label: h }))}
                        onChange={(v: string | undefined) => setMapping({ ...mapping, [field]: v ?? null })}
                      />
                    ),
                  },
                ]}
              />
              <Button style={{ marginTop: 12 }} loading={busy} onClick={() => send('preview')}>
                按此对应重新校验
              </Button>
            </Card>

            <Card title="预览结果（未写入）" size="small" data-testid="roster-preview">
              <Descriptions size="small" column={3}>
                <Descriptions.Item label="行数">{preview.counts.rows}</Descriptions.Item>
                <Descriptions.Item label="户数">{preview.counts.households}</Descriptions.Item>
                <Descriptions.Item label="可导入">
                  {preview.counts.goodHouseholds} 户 {preview.counts.persons} 人
                </Descriptions.Item>
                <Descriptions.Item label="有错误">
                  {preview.counts.badHouseholds} 户（{preview.counts.badRows} 行）
                </Descriptions.Item>
                <Descriptions.Item label="在保记录">{preview.counts.enrolments} 条</Descriptions.Item>
                <Descriptions.Item label="名册月保障金合计">
                  <Money fen={preview.counts.monthlyAmountFen} />
                </Descriptions.Item>
              </Descriptions>
              {preview.warnings.map((w) => (
                <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 8 }} />
              ))}
              {preview.fileProblems.length > 0 && <BadRowsTable rows={preview.fileProblems} />}
              {preview.badRows.length > 0 && (
                <>
                  <Typography.Title level={5}>有误的行（所在家庭整户不导入）</Typography.Title>
                  <BadRowsTable rows={preview.badRows} />
                </>
              )}
              <Typography.Title level={5}>将新建的家庭</Typography.Title>
              <Table
                size="small"
                rowKey={(h) => String(h.rows[0])}
                dataSource={preview.households ?? []}
                pagination={{ pageSize: 20, showSizeChanger: false }}
                columns={[
                  { title: '行号', render: (_: unknown, h) => h.rows.join('、'), width: 120 },
                  { title: '乡镇', dataIndex: 'townName' },
                  { title: '村（居）', dataIndex: 'villageName' },
                  { title: '户主', dataIndex: 'headName' },
                  { title: '户主身份证号', dataIndex: 'headIdNumber' },
                  { title: '人数', dataIndex: 'memberCount' },
                  {
                    title: '保障类别',
                    dataIndex: 'program',
                    render: (p: string | null) => (p ? (preview.programs[p]?.label ?? p) : '—'),
                  },
                  {
                    title: '月保障金',
                    dataIndex: 'monthlyAmountFen',
                    render: (f: number | null) => (f === null ? '—' : <Money fen={f} />),
                  },
                  { title: '银行账号', dataIndex: 'bankAccount' },
                ]}
              />
              <Button
                type="primary"
                style={{ marginTop: 12 }}
                disabled={preview.counts.goodHouseholds === 0}
                loading={busy}
                onClick={() => send('commit')}
                data-testid="roster-commit"
              >
                导入 {preview.counts.goodHouseholds} 户
              </Button>
            </Card>
          </>
        )
      )}
    </Space>
  );
}
