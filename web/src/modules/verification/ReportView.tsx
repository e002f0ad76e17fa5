import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { INCOME_TYPES, VEHICLE_TYPES } from '../../../../src/domain/policy/dibao.params.ts';
import type { ReportDifference, ReportFinding } from '../../../../src/domain/verification/report.ts';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { Money } from '../../ui/Money.tsx';
import { ExplanationList } from '../payments/ExplanationList.tsx';
import { useAreaNames } from '../registry/hooks/use-areas.ts';
import { printUrl } from './api.ts';
import { ConclusionTag } from './ConclusionTag.tsx';
import { CHANNELS, checkTypeLabel, conclusionColor, FINDING_STATUS, formatTime } from './labels.ts';
import type { ReportDetail } from './types.ts';

type Subject = ReportDetail['report']['subjects'][number];

/** Sources with records first, then those that could not be asked, then those without records. */
const ORDER: Record<string, number> = { ok: 0, unavailable: 1, not_found: 2 };

function roleText(s: Subject): string {
  if (s.role === 'supporter') return `赡养（抚养、扶养）义务人：${s.relation}`;
  return `${s.relation}${s.counted ? '' : '（不计入共同生活人口）'}`;
}

function FindingsOf({ s }: { s: Subject }) {
  return (
    <Table<ReportFinding>
      size="small"
      rowKey="sourceCode"
      pagination={false}
      dataSource={[...s.findings].sort((a, b) => (ORDER[a.status] ?? 3) - (ORDER[b.status] ?? 3))}
      data-testid={`findings-${s.idNumber}`}
      columns={[
        { title: '数据源', dataIndex: 'label', width: 120 },
        {
          title: '结果',
          dataIndex: 'status',
          width: 100,
          render: (st: string) => (
            <Tag color={FINDING_STATUS[st]?.color}>{FINDING_STATUS[st]?.label ?? st}</Tag>
          ),
        },
        {
          title: '渠道',
          key: 'channel',
          width: 150,
          render: (_, f) =>
            f.status === 'unavailable'
              ? '—'
              : `${CHANNELS[f.channel] ?? f.channel}${f.snapshotAsOf ? `（截至 ${f.snapshotAsOf}）` : ''}`,
        },
        {
          title: '核对所见',
          dataIndex: 'lines',
          render: (lines: string[]) =>
            lines.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ),
        },
      ]}
    />
  );
}

/** The report: header, the conclusion, what each department holds per person, income, assets, differences. */
export function ReportView() {
  const { id = '' } = useParams();
  const valid = /^\d+$/.test(id);
  const navigate = useNavigate();
  const { data, error, reload } = useApi<ReportDetail>(valid ? `/api/v1/verification/reports/${id}` : null);
  const names = useAreaNames(data ? [data.townCode] : []);

  if (!valid) return <ErrorResult error={new ApiError(404, { message: `报告编号“${id}”不正确` })} />;
  if (error && !data) return <ErrorResult error={error} onRetry={reload} />;
  if (!data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;

  const r = data.report;
  const c = r.conclusion;
  const members = r.subjects.filter((s) => s.role !== 'supporter');
  const supporters = r.subjects.filter((s) => s.role === 'supporter');
  const alertType = conclusionColor(c.code) === 'green' ? 'success' : c.code === '04' ? 'warning' : 'error';

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%', position: 'relative', zIndex: 0 }}
      data-testid="report-page"
    >
      <Card
        title={
          <Space wrap>
            <span>居民家庭经济状况核对报告</span>
            <Typography.Text type="secondary" className="tabular" data-testid="report-no">
              {data.reportNo}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>
              返回
            </Button>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              href={printUrl(data.id)}
              target="_blank"
              rel="noopener"
              data-testid="report-print"
            >
              打印
            </Button>
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          data-testid="report-header"
          items={[
            {
              key: 'household',
              label: '核对家庭',
              children: (
                <Link to={`/registry/households/${data.householdId}`}>
                  {data.headName ?? members[0]?.name ?? `家庭 ${data.householdId}`}
                </Link>
              ),
            },
            {
              key: 'town',
              label: '乡镇（街道）',
              children: data.townName ?? names.get(data.townCode) ?? data.townCode,
            },
            { key: 'type', label: '核对类型', children: checkTypeLabel(r.checkType, r.checkTypeLabel) },
            { key: 'asOf', label: '核对基准日', children: <span className="tabular">{r.asOf}</span> },
            {
              key: 'case',
              label: '个案',
              children: data.caseId ? (
                <Link to={`/approval/cases/${data.caseId}`}>个案 {data.caseId}</Link>
              ) : (
                '批量复核'
              ),
            },
            {
              key: 'by',
              label: '核对人 / 时间',
              children: `${data.createdBy}（${formatTime(data.createdAt)}）`,
            },
          ]}
        />
      </Card>

      <Alert
        type={alertType}
        showIcon
        data-testid="report-conclusion"
        title={
          <Space wrap>
            <Typography.Text strong style={{ fontSize: 16 }}>
              核对结论：
            </Typography.Text>
            <ConclusionTag code={c.code} label={c.label} testId="report-conclusion-tag" />
          </Space>
        }
        description={
          c.reasons.length > 0 ? (
            <ul style={{ margin: '4px 0', paddingInlineStart: 20 }} data-testid="report-reasons">
              {c.reasons.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          ) : undefined
        }
      />
      {r.unavailableSources.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`以下数据源未能查询：${r.unavailableSources.join('、')}`}
          description="相关情况无法确认，可待接口恢复后重新发起核对。"
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic
              title="家庭月人均收入"
              value={(r.income.monthlyPerCapitaFen / 100).toFixed(2)}
              suffix="元"
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic
              title="家庭财产"
              value={r.assets.passed ? '符合规定' : '超过规定'}
              styles={{ content: { color: r.assets.passed ? '#389e0d' : '#cf1322' } }}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic
              title="申报与核对差异"
              value={r.differences.length}
              suffix={`项（重大 ${r.differences.filter((d) => d.major).length} 项）`}
            />
          </Card>
        </Col>
      </Row>

      <Card title="各部门核对情况（按人员）" data-testid="report-subjects">
        <Collapse
          defaultActiveKey={r.subjects.map((s) => s.idNumber)}
          items={[...members, ...supporters].map((s) => ({
            key: s.idNumber,
            label: (
              <Space wrap>
                <strong>{s.name}</strong>
                <span className="tabular">{s.idNumber}</span>
                <Tag>{roleText(s)}</Tag>
                {s.findings.some((f) => f.status === 'ok' && f.lines.length > 0) && (
                  <Tag color="blue">{s.findings.filter((f) => f.status === 'ok').length} 个部门有记录</Tag>
                )}
              </Space>
            ),
            children: <FindingsOf s={s} />,
          }))}
        />
      </Card>

      <Card title={`收入（按近 ${r.income.referenceMonths} 个月计算）`} data-testid="report-income">
        <Table
          size="small"
          pagination={false}
          rowKey={(x) => `${x.idNumber}-${x.type}`}
          dataSource={r.income.members.flatMap((m) =>
            m.items.map((it) => ({ ...it, idNumber: m.idNumber, name: m.name })),
          )}
          locale={{ emptyText: '未发现收入' }}
          columns={[
            { title: '成员', dataIndex: 'name', width: 110 },
            {
              title: '收入类型',
              dataIndex: 'type',
              width: 160,
              render: (t: string) => (INCOME_TYPES as Record<string, string>)[t] ?? t,
            },
            {
              title: '月收入',
              dataIndex: 'monthlyFen',
              width: 140,
              align: 'right',
              render: (fen: number) => <Money fen={fen} />,
            },
            { title: '依据', dataIndex: 'basis' },
          ]}
        />
        {r.income.lines.length > 0 && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text strong>计算说明</Typography.Text>
            <ExplanationList lines={r.income.lines} />
          </div>
        )}
      </Card>

      <Card title="财产" data-testid="report-assets">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: 'fin',
              label: '金融资产（存款、证券、储蓄型保险）',
              children: <Money fen={r.assets.financialAssetsFen} />,
            },
            { key: 'res', label: '住房', children: `${r.assets.residentialProperties} 套` },
            { key: 'nonres', label: '非住宅类房产', children: `${r.assets.nonResidentialProperties} 处` },
            {
              key: 'veh',
              label: '机动车辆',
              children:
                r.assets.vehicles.length === 0 ? (
                  '无'
                ) : (
                  <span data-testid="report-vehicles">
                    {r.assets.vehicles
                      .map((v) => (VEHICLE_TYPES as Record<string, string>)[v.type] ?? v.type)
                      .join('、')}
                  </span>
                ),
            },
            { key: 'biz', label: '工商登记', children: `${r.assets.businessRegistrations} 户` },
            {
              key: 'passed',
              label: '财产状况',
              children: (
                <Tag color={r.assets.passed ? 'green' : 'red'}>
                  {r.assets.passed ? '符合规定' : '不符合规定'}
                </Tag>
              ),
            },
          ]}
        />
        {r.assets.refusals.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            title="财产不符合规定的情形"
            data-testid="report-asset-refusals"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {r.assets.refusals.map((x) => (
                  <li key={x.code}>{x.text}</li>
                ))}
              </ul>
            }
          />
        )}
        {r.assets.lines.length > 0 && (
          <div style={{ marginTop: 12 }}>
            <Typography.Text strong>计算说明</Typography.Text>
            <ExplanationList lines={r.assets.lines} />
          </div>
        )}
      </Card>

      <Card title="申报与核对差异" data-testid="report-differences">
        {r.differences.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              r.differences.length === 0 && data.differenceCount === 0
                ? '申报情况与核对结果一致（或未填写申报）'
                : '无差异'
            }
          />
        ) : (
          <Table<ReportDifference & { key: number }>
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={r.differences.map((d, key) => ({ ...d, key }))}
            columns={[
              { title: '人员', dataIndex: 'name', width: 110, render: (n: string | null) => n ?? '全家' },
              { title: '项目', dataIndex: 'item', width: 180 },
              { title: '申报', dataIndex: 'declared' },
              { title: '核对', dataIndex: 'found' },
              {
                title: '',
                dataIndex: 'major',
                width: 90,
                render: (m: boolean) => (m ? <Tag color="red">重大差异</Tag> : <Tag>一般差异</Tag>),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
