import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  type ButtonProps,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { INCOME_TYPES } from '../../../../src/domain/policy/dibao.params.ts';
import { CHECK_TYPES } from '../../../../src/domain/verification/conclusion.ts';
import type { Declaration } from '../../../../src/domain/verification/report.ts';
import { ApiError, api } from '../../api/client.ts';
import { yuanToFen } from '../cases/utils/labels.ts';
import type { Household } from '../registry/types.ts';
import { normalizeResidentId, residentIdRules } from '../registry/utils/resident-id-rules.ts';
import { ConclusionTag } from './ConclusionTag.tsx';
import type { RequestResult } from './types.ts';

/** Income types a family declares (the excluded kinds are left out: they do not count anyway). */
const DECLARED_INCOME_TYPES = [
  'wage',
  'business',
  'property',
  'transfer_in',
  'transfer_out',
  'other',
] as const;

interface MemberValues {
  idNumber: string;
  name: string;
  incomes?: { type?: string; monthly?: string }[];
}

interface Values {
  checkType?: string;
  declare: boolean;
  members: MemberValues[];
  financialAssets?: string;
  residentialProperties?: number;
  nonResidentialProperties?: number;
  vehicles?: number;
  businessRegistrations?: number;
  supporters?: { name?: string; idNumber?: string; relation?: string }[];
}

const FIELD_NAMES: Record<string, string> = {
  financialAssetsFen: '存款等金融资产',
  residentialProperties: '住房',
  nonResidentialProperties: '非住宅类房产',
  vehicles: '机动车辆',
  businessRegistrations: '工商登记',
  monthlyFen: '月收入',
  idNumber: '身份证号码',
  name: '姓名',
  relation: '关系',
};

/** 'declaration.members[0].incomes[1].monthlyFen' → '第1位成员 第2项收入 月收入' for the error list. */
function fieldText(field: string, names: string[]): string {
  const parts: string[] = [];
  for (const m of field.matchAll(/(\w+)(?:\[(\d+)\]|\.(\d+))?/g)) {
    const [, key, i1, i2] = m;
    const i = i1 ?? i2;
    if (key === 'declaration' || key === 'assets') continue;
    if (key === 'members' && i !== undefined) parts.push(names[Number(i)] ?? `第${Number(i) + 1}位成员`);
    else if (key === 'incomes' && i !== undefined) parts.push(`第${Number(i) + 1}项收入`);
    else if (key === 'supporters' && i !== undefined) parts.push(`第${Number(i) + 1}位义务人`);
    else if (key && FIELD_NAMES[key]) parts.push(FIELD_NAMES[key]);
  }
  return parts.join(' ') || field;
}

function yuan(v: string | undefined): number {
  return v === undefined || v === null || v === '' ? 0 : (yuanToFen(v) ?? 0);
}

const amountRule = {
  validator: (_: unknown, v: string | undefined) =>
    v === undefined || v === null || v === '' || yuanToFen(v) !== null
      ? Promise.resolve()
      : Promise.reject(new Error('请填写金额（元），最多两位小数')),
};

/**
 * 发起核对: queries every department about the household's members (and, for 特困, the supporters) and builds
 * the report. The family's own declaration is optional: when given, the report lists where it differs.
 */
export function RequestModal({
  caseId,
  householdId,
  programCode,
  onClose,
  onDone,
}: {
  caseId: number;
  householdId: number;
  programCode: string;
  onClose: () => void;
  /** After the report is made (the modal stays open with the result). */
  onDone?: (result: RequestResult) => void;
}) {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const declare = Form.useWatch('declare', form) ?? false;
  const tekun = programCode === 'rural_tekun' || programCode === 'urban_tekun';
  const [household, setHousehold] = useState<Household | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<RequestResult | null>(null);

  // The declaration is keyed by ID number: the household is read in full (an audited read) only when declaring.
  useEffect(() => {
    if (!declare || household) return;
    let cancelled = false;
    api
      .get<Household>(`/api/v1/households/${householdId}?reveal=true`)
      .then((h) => {
        if (cancelled) return;
        setHousehold(h);
        form.setFieldValue(
          'members',
          h.members.map((m) => ({ idNumber: m.idNumber, name: m.name, incomes: [] })),
        );
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoadError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      cancelled = true;
    };
  }, [declare, household, householdId, form]);

  const submit = async (v: Values) => {
    setSubmitting(true);
    setError(null);
    const body: Record<string, unknown> = { caseId };
    if (v.checkType) body.checkType = v.checkType;
    if (v.declare) {
      const declaration: Declaration = {
        members: (v.members ?? []).map((m) => ({
          idNumber: m.idNumber,
          incomes: (m.incomes ?? [])
            .filter((i) => i.type && i.monthly !== undefined && i.monthly !== '')
            .map((i) => ({
              type: i.type as Declaration['members'][number]['incomes'][number]['type'],
              monthlyFen: yuan(i.monthly),
            })),
        })),
        assets: {
          financialAssetsFen: yuan(v.financialAssets),
          residentialProperties: v.residentialProperties ?? 0,
          nonResidentialProperties: v.nonResidentialProperties ?? 0,
          vehicles: v.vehicles ?? 0,
          businessRegistrations: v.businessRegistrations ?? 0,
        },
      };
      body.declaration = declaration;
    }
    const supporters = (v.supporters ?? []).filter((s) => s.name || s.idNumber);
    if (tekun && supporters.length > 0) body.supporters = supporters;
    try {
      const done = await api.post<RequestResult>('/api/v1/verification/requests', body);
      setResult(done);
      onDone?.(done);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
    } finally {
      setSubmitting(false);
    }
  };

  if (result) {
    const code = typeof result.conclusion === 'string' ? result.conclusion : result.conclusion.code;
    const label = typeof result.conclusion === 'string' ? result.conclusionLabel : result.conclusion.label;
    const reasons = typeof result.conclusion === 'string' ? [] : (result.conclusion.reasons ?? []);
    return (
      <Modal
        open
        title="核对完成"
        onCancel={onClose}
        maskClosable={false}
        footer={
          <Space>
            <Button onClick={onClose}>关闭</Button>
            <Button
              type="primary"
              onClick={() => navigate(`/verification/reports/${result.reportId}`)}
              data-testid="request-open-report"
            >
              查看核对报告
            </Button>
          </Space>
        }
      >
        <Result
          status={['01', '02', '03', '05'].includes(code) ? 'success' : code === '04' ? 'warning' : 'error'}
          title={
            <Space wrap style={{ justifyContent: 'center' }}>
              <span>核对结论</span>
              <span style={{ fontSize: 16 }}>
                <ConclusionTag code={code} label={label} testId="request-conclusion" />
              </span>
            </Space>
          }
          subTitle={`报告编号 ${result.reportNo}；申报与核对差异 ${result.differenceCount} 项`}
          data-testid="request-result"
        >
          {reasons.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </Result>
      </Modal>
    );
  }

  return (
    <Modal
      open
      width={860}
      title="发起家庭经济状况核对"
      onCancel={onClose}
      okText="提交核对"
      onOk={() => form.submit()}
      okButtonProps={{ loading: submitting, 'data-testid': 'request-submit' } as ButtonProps}
      maskClosable={false}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        系统将向公安、不动产、车辆、市场监管、税务、社保、公积金、银行、证券、保险等部门查询本户共同生活成员的情况，须每位成员均已登记核对授权书。填写家庭申报情况后，报告会列出申报与核对的差异。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ declare: false, members: [], supporters: [] }}
        data-testid="request-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="checkType" label="核对类型" extra="不选时按个案的救助项目和户籍性质确定。">
              <Select
                allowClear
                placeholder="按救助项目自动确定"
                options={Object.entries(CHECK_TYPES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="declare" label="填写家庭申报情况（可选）" valuePropName="checked">
              <Switch data-testid="request-declare" />
            </Form.Item>
          </Col>
        </Row>

        {declare && !household && !loadError && <Spin />}
        {loadError && <Alert type="error" showIcon title={`无法读取家庭成员：${loadError}`} />}
        {declare && household && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Text strong>成员月收入（申报）</Typography.Text>
            <Form.List name="members">
              {(fields) =>
                fields.map((field) => (
                  <Card
                    key={field.key}
                    size="small"
                    title={
                      <span>
                        {household.members[field.name]?.name ?? ''}
                        <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }}>
                          {household.members[field.name]?.relation ?? ''}
                        </Typography.Text>
                      </span>
                    }
                    data-testid={`declare-member-${field.name}`}
                  >
                    <Form.Item name={[field.name, 'idNumber']} hidden>
                      <Input />
                    </Form.Item>
                    <Form.List name={[field.name, 'incomes']}>
                      {(incomes, { add, remove }) => (
                        <>
                          {incomes.map((inc) => (
                            <Space key={inc.key} align="baseline" wrap>
                              <Form.Item
                                name={[inc.name, 'type']}
                                rules={[{ required: true, message: '请选择收入类型' }]}
                              >
                                <Select
                                  style={{ width: 170 }}
                                  placeholder="收入类型"
                                  options={DECLARED_INCOME_TYPES.map((t) => ({
                                    value: t,
                                    label: INCOME_TYPES[t],
                                  }))}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[inc.name, 'monthly']}
                                rules={[{ required: true, message: '请填写月收入' }, amountRule]}
                              >
                                <InputNumber<string>
                                  stringMode
                                  min="0"
                                  precision={2}
                                  style={{ width: 170 }}
                                  suffix="元/月"
                                  placeholder="月收入"
                                  data-testid={`declare-income-${field.name}-${inc.name}`}
                                />
                              </Form.Item>
                              <Button
                                icon={<DeleteOutlined />}
                                onClick={() => remove(inc.name)}
                                aria-label="删除"
                              />
                            </Space>
                          ))}
                          <Button
                            size="small"
                            type="dashed"
                            icon={<PlusOutlined />}
                            onClick={() => add({ type: 'wage' })}
                            data-testid={`declare-add-income-${field.name}`}
                          >
                            添加一项收入
                          </Button>
                        </>
                      )}
                    </Form.List>
                  </Card>
                ))
              }
            </Form.List>
            <Typography.Text strong>家庭财产（申报）</Typography.Text>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name="financialAssets" label="存款、证券等金融资产" rules={[amountRule]}>
                  <InputNumber<string>
                    stringMode
                    min="0"
                    precision={2}
                    style={{ width: '100%' }}
                    suffix="元"
                  />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="residentialProperties" label="住房（套）">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="nonResidentialProperties" label="非住宅房产">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="vehicles" label="机动车（辆）">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="businessRegistrations" label="工商登记（户）">
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          </Space>
        )}

        {tekun && (
          <Space orientation="vertical" size={8} style={{ width: '100%', marginTop: 12 }}>
            <Typography.Text strong>赡养、抚养、扶养义务人（特困人员核对其履行能力）</Typography.Text>
            <Form.List name="supporters">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Card
                      key={field.key}
                      size="small"
                      extra={
                        <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                          删除
                        </Button>
                      }
                    >
                      <Row gutter={12}>
                        <Col xs={24} md={6}>
                          <Form.Item
                            name={[field.name, 'name']}
                            label="姓名"
                            rules={[{ required: true, message: '请填写义务人姓名' }]}
                          >
                            <Input maxLength={30} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={12}>
                          <Form.Item
                            name={[field.name, 'idNumber']}
                            label="身份证号码"
                            validateTrigger={['onChange', 'onBlur']}
                            validateFirst
                            rules={residentIdRules(true)}
                            normalize={normalizeResidentId}
                          >
                            <Input
                              maxLength={18}
                              placeholder="18位公民身份号码"
                              autoComplete="off"
                              className="tabular"
                              data-testid={`supporter-id-${field.name}`}
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={6}>
                          <Form.Item
                            name={[field.name, 'relation']}
                            label="与申请人关系"
                            rules={[{ required: true, message: '请填写关系' }]}
                          >
                            <Select
                              options={['子女', '配偶', '父母', '兄弟姐妹', '孙子女', '其他'].map((x) => ({
                                value: x,
                                label: x,
                              }))}
                            />
                          </Form.Item>
                        </Col>
                      </Row>
                    </Card>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    data-testid="supporter-add"
                  >
                    添加义务人
                  </Button>
                </>
              )}
            </Form.List>
          </Space>
        )}

        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={error.message}
            data-testid="request-error"
            description={
              error.issues.length > 1 ||
              (error.issues.length === 1 && error.issues[0]?.message !== error.message) ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {error.issues.map((i) => (
                    <li key={`${i.field}-${i.message}`}>
                      {fieldText(i.field, household?.members.map((m) => m.name) ?? [])}：{i.message}
                    </li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
      </Form>
    </Modal>
  );
}
