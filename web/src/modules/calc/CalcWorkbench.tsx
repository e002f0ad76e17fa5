import { CalculatorOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import type { PolicyBody, PolicyKind } from '../../../../src/domain/policy/kinds.ts';
import { ApiError, api, type FieldIssue, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useCountyAreas } from '../admin/areas.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { kindOf, monthText, periodText, summarize } from '../policy/format.ts';
import { DibaoHouseholdForm, NEW_MEMBER } from './DibaoHouseholdForm.tsx';
import { MedicalAidForm, PriceSubsidyForm, TekunForm, TemporaryAidForm } from './OtherForms.tsx';
import { ResultCard } from './ResultCard.tsx';
import {
  buildScenario,
  type CalcResult,
  type CalcValues,
  ENGINES,
  type Engine,
  fieldLabel,
} from './scenario.ts';

interface Resolved {
  month: string;
  townCode: string | null;
  policy: {
    id: number;
    kind: PolicyKind;
    programCode: string;
    townCode: string | null;
    effectiveFrom: string;
    effectiveTo: string | null;
    docNo: string;
    body: unknown;
  } | null;
}

const INITIAL: CalcValues = {
  engine: 'dibao',
  programCode: 'rural_dibao',
  month: dayjs().startOf('month'),
  source: 'database',
  dibao: { members: [{ ...NEW_MEMBER }], singlePerson: 'none' },
  tekun: { supportMode: 'dispersed', selfCare: 'full_self_care' },
  temporary_aid: { persons: 1 },
  medical_aid: { category: 'dibao' },
  price_subsidy: {},
};

/**
 * 政策测算: "what would this family get" — the engine of a program, the parameters in force in the month and
 * town (or parameters written here), and the family's facts; the result with its step-by-step explanation.
 * Nothing is saved.
 */
export function CalcWorkbench() {
  const me = useMe();
  const areas = useCountyAreas();
  const userTown = me.areaCode.length >= 9 ? me.areaCode.slice(0, 9) : null;
  const [form] = Form.useForm<CalcValues>();
  const engine = (Form.useWatch('engine', form) ?? 'dibao') as Engine;
  const programCode = (Form.useWatch('programCode', form) ?? 'rural_dibao') as string;
  const monthValue = Form.useWatch('month', form);
  const townCode = Form.useWatch('townCode', form) as string | undefined;
  const source = Form.useWatch('source', form) ?? 'database';
  const priceGroup = Form.useWatch(['price_subsidy', 'group'], form) as string | undefined;
  const month = monthValue ? monthValue.format('YYYY-MM') : null;

  const resolved = useApi<Resolved>(
    month ? `/api/v1/policy/resolve${query({ programCode, month, townCode: townCode ?? userTown })}` : null,
  );
  // While another program's version is still loading, the previous one must not be read as this program's.
  const loaded = resolved.data?.policy ?? null;
  const policy = loaded && loaded.programCode === programCode ? loaded : null;
  const kind = kindOf(programCode);

  const [result, setResult] = useState<CalcResult | null>(null);
  const [names, setNames] = useState<string[]>([]);
  const [error, setError] = useState<{ message: string; issues: FieldIssue[] } | null>(null);
  const [running, setRunning] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  // Inline parameters start from the version in force, so a what-if changes one figure, not everything.
  const fillInline = () => {
    if (policy) form.setFieldValue('policyJson', JSON.stringify(policy.body, null, 2));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: refill only when the source or the version changes
  useEffect(() => {
    if (source === 'inline' && !form.getFieldValue('policyJson')) fillInline();
  }, [source, policy?.id]);

  useEffect(() => {
    if (userTown) form.setFieldValue('townCode', userTown);
  }, [userTown, form]);

  const onValuesChange = (changed: Partial<CalcValues>) => {
    if (changed.engine) {
      const first = ENGINES.find((e) => e.value === changed.engine)?.programs[0]?.code;
      if (first) form.setFieldValue('programCode', first);
    }
    if (changed.engine || changed.programCode) {
      form.setFieldValue('policyJson', undefined);
      setResult(null);
      setError(null);
    }
  };

  const run = async () => {
    let values: CalcValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const m = values.month?.format('YYYY-MM');
    if (!m) return;
    setError(null);
    let scenario: Record<string, unknown>;
    try {
      scenario = buildScenario({ ...values, ...(userTown ? { townCode: userTown } : {}) }, m);
    } catch (e) {
      setError({ message: e instanceof Error ? e.message : String(e), issues: [] });
      return;
    }
    setRunning(true);
    try {
      const res = await api.post<CalcResult>('/api/v1/calc', scenario);
      setResult(res);
      setNames((values.dibao?.members ?? []).map((x, i) => x.name?.trim() || `成员${i + 1}`));
      setTimeout(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError) setError({ message: e.message, issues: e.issues });
      else setError({ message: String(e), issues: [] });
    } finally {
      setRunning(false);
    }
  };

  const programs = ENGINES.find((e) => e.value === engine)?.programs ?? [];
  const dibaoBody = kind === 'dibao' && policy ? (policy.body as PolicyBody<'dibao'>) : null;
  const aidBody = kind === 'temporary_aid' && policy ? (policy.body as PolicyBody<'temporary_aid'>) : null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="政策测算" data-testid="calc-page">
        <Typography.Paragraph type="secondary">
          按某月适用的政策参数，测算一户家庭或一个人能得到的救助金额，并列出每一步的计算依据。测算不保存任何数据，也不是审批结论。
        </Typography.Paragraph>
        <Form<CalcValues>
          form={form}
          layout="vertical"
          initialValues={INITIAL}
          onValuesChange={onValuesChange}
          scrollToFirstError
        >
          <Form.Item name="engine" label="计算类型">
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={ENGINES.map((e) => ({ value: e.value, label: e.label }))}
              data-testid="calc-engine"
            />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="programCode" label="救助项目">
                <Select
                  aria-label="救助项目"
                  options={programs.map((p) => ({ value: p.code, label: p.name }))}
                  disabled={programs.length < 2}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="month" label="月份" rules={[{ required: true, message: '请选择月份' }]}>
                <DatePicker
                  picker="month"
                  format="YYYY年MM月"
                  style={{ width: '100%' }}
                  allowClear={false}
                  data-testid="calc-month"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="townCode" label="地区">
                <Select
                  aria-label="地区"
                  allowClear={!userTown}
                  disabled={userTown !== null}
                  placeholder="全县"
                  loading={areas.loading}
                  options={areas.towns.map((t) => ({ value: t.code, label: t.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="source" label="政策参数">
                <Radio.Group
                  options={[
                    { value: 'database', label: '该月执行的版本' },
                    { value: 'inline', label: '自定义（高级）' },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>

          <Spin spinning={resolved.loading}>
            {resolved.error ? (
              <Alert type="error" showIcon title={resolved.error.message} style={{ marginBottom: 16 }} />
            ) : policy ? (
              <Alert
                type={source === 'inline' ? 'warning' : 'info'}
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="calc-policy"
                title={`${month ? monthText(month) : ''}执行：${policy.docNo}（${periodText(policy.effectiveFrom, policy.effectiveTo)}${
                  policy.townCode ? '，乡镇单独参数' : ''
                }）${source === 'inline' ? '；本次测算改用下方自定义参数' : ''}`}
                description={summarize(policy.kind, policy.body).join('；')}
              />
            ) : (
              resolved.data &&
              !resolved.loading && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={`${month ? monthText(month) : '该月'}没有适用的政策参数，请换一个月份，或改用自定义参数。`}
                />
              )
            )}
          </Spin>

          {source === 'inline' && (
            <Form.Item
              name="policyJson"
              label={
                <Space>
                  自定义参数（JSON，仅用于本次测算）
                  <Button size="small" icon={<ReloadOutlined />} onClick={fillInline} disabled={!policy}>
                    按执行版本重新填入
                  </Button>
                </Space>
              }
              rules={[{ required: true, message: '请填写参数' }]}
              extra="金额单位为分，比例写成带引号的小数。修改后只影响本次测算，不会保存。"
            >
              <Input.TextArea
                autoSize={{ minRows: 6, maxRows: 18 }}
                spellCheck={false}
                style={{ fontFamily: 'monospace', fontSize: 12 }}
              />
            </Form.Item>
          )}

          <Divider />
          {engine === 'dibao' && (
            <DibaoHouseholdForm
              referenceMonths={dibaoBody?.income?.referenceMonths ?? null}
              bands={dibaoBody?.method === 'band' ? dibaoBody.bands : null}
            />
          )}
          {engine === 'tekun' && <TekunForm />}
          {engine === 'temporary_aid' && (
            <TemporaryAidForm
              bands={aidBody?.bands ?? []}
              householdBasis={aidBody?.standardBasis === 'household'}
            />
          )}
          {engine === 'medical_aid' && <MedicalAidForm />}
          {engine === 'price_subsidy' && <PriceSubsidyForm group={priceGroup} />}

          {error && (
            <Alert
              type="error"
              showIcon
              title="无法测算"
              style={{ margin: '16px 0' }}
              data-testid="calc-error"
              description={
                error.issues.length > 1 ? (
                  <ul style={{ margin: 0, paddingLeft: 20 }}>
                    {error.issues.map((i) => (
                      <li key={`${i.field}:${i.message}`}>
                        {fieldLabel(i.field)}：{i.message}
                      </li>
                    ))}
                  </ul>
                ) : error.issues[0] ? (
                  `${fieldLabel(error.issues[0].field)}：${error.issues[0].message}`
                ) : (
                  error.message
                )
              }
            />
          )}
          <Button
            type="primary"
            size="large"
            icon={<CalculatorOutlined />}
            loading={running}
            onClick={run}
            style={{ marginTop: 16 }}
            data-testid="calc-run"
          >
            开始测算
          </Button>
        </Form>
      </Card>
      <div ref={resultRef}>{result && <ResultCard res={result} memberNames={names} />}</div>
    </Space>
  );
}
