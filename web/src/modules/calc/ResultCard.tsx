import { Alert, Card, Col, Descriptions, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { COMPONENTS } from '../../../../src/domain/benefit/components.ts';
import type { ExplanationLine } from '../../../../src/domain/benefit/explanation.ts';
import { formatYuan, Money } from '../../ui/Money.tsx';
import { monthText, programName } from '../policy/format.ts';
import type { CalcResult, DibaoResult } from './scenario.ts';

function Amount({
  title,
  fen,
  testId,
  strong,
}: {
  title: string;
  fen: number;
  testId: string;
  strong?: boolean;
}) {
  return (
    <Statistic
      title={title}
      value={formatYuan(fen)}
      suffix="元"
      data-testid={testId}
      styles={strong ? { content: { color: '#1677ff', fontWeight: 600 } } : undefined}
    />
  );
}

/** The explanation as a numbered list: step, sentence with the figures, the rule it comes from. */
export function ExplanationList({ lines }: { lines: ExplanationLine[] }) {
  return (
    <ol style={{ paddingLeft: 24, margin: 0 }} data-testid="calc-explanation">
      {lines.map((l) => (
        <li key={`${l.step}:${l.text}`} style={{ marginBottom: 6 }} data-testid="calc-explanation-line">
          <Typography.Text strong>{l.step}</Typography.Text>：{l.text}
          {l.rule && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                依据：{l.rule}
              </Typography.Text>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function Refusals({ items }: { items: { text: string; rule?: string }[] }) {
  if (items.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      title="不符合条件"
      style={{ marginBottom: 16 }}
      data-testid="calc-refusals"
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {items.map((r) => (
            <li key={r.text} style={{ color: '#cf1322' }}>
              {r.text}
              {r.rule && <Typography.Text type="secondary">（{r.rule}）</Typography.Text>}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function DibaoSummary({ r, names }: { r: DibaoResult; names: string[] }) {
  const rows =
    r.benefit?.components.map((c, i) => ({
      key: i,
      label:
        c.component === 'dibao_addon'
          ? `${COMPONENTS.dibao_addon}（${names[c.personIndex ?? -1] || `成员${(c.personIndex ?? 0) + 1}`}）`
          : COMPONENTS[c.component],
      amountFen: c.amountFen,
    })) ?? [];
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={8}>
          <Statistic
            title="认定结果"
            valueRender={() =>
              r.eligible ? (
                <Tag color="green" style={{ fontSize: 16, padding: '4px 10px' }} data-testid="calc-eligible">
                  符合低保条件
                </Tag>
              ) : (
                <Tag color="red" style={{ fontSize: 16, padding: '4px 10px' }} data-testid="calc-eligible">
                  不符合低保条件
                </Tag>
              )
            }
          />
          {r.edgeFamily && <Tag color="orange">低保边缘家庭</Tag>}
        </Col>
        <Col xs={12} sm={8}>
          <Amount title="家庭月人均收入" fen={r.monthlyPerCapitaIncomeFen} testId="calc-per-capita" />
        </Col>
        <Col xs={12} sm={8}>
          <Amount title="月保障金" fen={r.benefit?.totalFen ?? 0} testId="calc-amount" strong />
        </Col>
      </Row>
      <Refusals items={r.refusals} />
      {rows.length > 0 && (
        <Table
          size="small"
          pagination={false}
          style={{ marginBottom: 16 }}
          dataSource={rows}
          data-testid="calc-components"
          columns={[
            { title: '组成', dataIndex: 'label' },
            {
              title: '每月金额',
              dataIndex: 'amountFen',
              align: 'right',
              render: (v: number) => <Money fen={v} />,
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>合计</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong>
                  <Money fen={r.benefit?.totalFen ?? 0} />
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'n', label: '计入保障人数', children: `${r.membersCounted} 人` },
          { key: 'p', label: '计算期收入合计', children: <Money fen={r.periodIncomeFen} /> },
          ...(r.householdPerCapitaIncomeFen !== r.monthlyPerCapitaIncomeFen
            ? [{ key: 'h', label: '全家月人均收入', children: <Money fen={r.householdPerCapitaIncomeFen} /> }]
            : []),
        ]}
      />
    </>
  );
}

function OtherSummary({ res }: { res: CalcResult }) {
  const r = res.result;
  switch (res.engine) {
    case 'tekun': {
      const comps = (r.components as { component: keyof typeof COMPONENTS; amountFen: number }[]) ?? [];
      return (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          {comps.map((c) => (
            <Col xs={12} sm={8} key={c.component}>
              <Amount title={COMPONENTS[c.component]} fen={c.amountFen} testId={`calc-${c.component}`} />
            </Col>
          ))}
          <Col xs={12} sm={8}>
            <Amount title="每月合计" fen={r.totalFen as number} testId="calc-amount" strong />
          </Col>
        </Row>
      );
    }
    case 'temporary_aid':
      return (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={12} sm={8}>
              <Amount title="救助金额" fen={r.amountFen as number} testId="calc-amount" strong />
            </Col>
            <Col xs={12} sm={8}>
              <Statistic
                title="审批层级"
                value={r.approvalLevel === 'town' ? '乡镇审批' : '报县级审批'}
                data-testid="calc-approval"
              />
            </Col>
            <Col xs={24} sm={8}>
              {r.capped === true && <Tag color="orange">已按上限封顶</Tag>}
            </Col>
          </Row>
          <Refusals items={(r.refusals as { text: string; rule?: string }[]) ?? []} />
        </>
      );
    case 'medical_aid': {
      const layers =
        (r.layers as { payer: string; label: string; amountFen: number; computed: boolean }[]) ?? [];
      return (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={12} sm={8}>
              <Amount title="医疗救助金额" fen={r.assistanceFen as number} testId="calc-amount" strong />
            </Col>
            <Col xs={12} sm={8}>
              <Amount title="个人自付" fen={r.outOfPocketFen as number} testId="calc-out-of-pocket" />
            </Col>
          </Row>
          <Table
            size="small"
            pagination={false}
            rowKey="payer"
            style={{ marginBottom: 16 }}
            dataSource={layers}
            columns={[
              { title: '支付方', dataIndex: 'label' },
              {
                title: '来源',
                dataIndex: 'computed',
                render: (c: boolean) => (c ? '按政策计算' : '医保结算单'),
              },
              {
                title: '金额',
                dataIndex: 'amountFen',
                align: 'right',
                render: (v: number) => <Money fen={v} />,
              },
            ]}
          />
        </>
      );
    }
    case 'price_subsidy':
      return (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col xs={12} sm={8}>
            <Statistic
              title="是否启动"
              valueRender={() => (r.triggered ? <Tag color="green">已启动</Tag> : <Tag>未达到启动条件</Tag>)}
            />
          </Col>
          <Col xs={12} sm={8}>
            <Statistic title="采用涨幅" value={r.rise ? `${r.rise}%` : '—'} />
          </Col>
          <Col xs={12} sm={8}>
            <Amount title="每人每月补贴" fen={r.amountFen as number} testId="calc-amount" strong />
          </Col>
        </Row>
      );
    default:
      return null;
  }
}

/** The result of one calculation: the figures, any refusals in red, and the explanation step by step. */
export function ResultCard({
  res,
  memberNames,
  extra,
}: {
  res: CalcResult;
  memberNames: string[];
  extra?: ReactNode;
}) {
  const p = res.policy;
  const source =
    p.source === 'database'
      ? `${programName(p.programCode ?? '')} ${p.docNo}（${p.effectiveFrom ? monthText(p.effectiveFrom) : ''}起执行${
          p.townCode ? '，乡镇单独参数' : ''
        }）`
      : '自定义参数（未保存）';
  return (
    <Card title={`测算结果（${monthText(res.month)}）`} extra={extra} data-testid="calc-result">
      <Typography.Paragraph type="secondary">
        适用参数：{source}
        {res.dibaoStandard &&
          `；所用${res.dibaoStandard.program === 'urban_dibao' ? '城市' : '农村'}低保标准 ${formatYuan(
            res.dibaoStandard.standardFen,
          )} 元${res.dibaoStandard.docNo ? `（${res.dibaoStandard.docNo}）` : ''}`}
        。测算结果仅供参考，不保存。
      </Typography.Paragraph>
      {res.engine === 'dibao' ? (
        <DibaoSummary r={res.result as unknown as DibaoResult} names={memberNames} />
      ) : (
        <OtherSummary res={res} />
      )}
      <Typography.Title level={5}>计算过程</Typography.Title>
      <ExplanationList lines={res.explanation} />
    </Card>
  );
}
