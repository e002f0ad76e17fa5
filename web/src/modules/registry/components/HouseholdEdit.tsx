import { EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Spin, Switch, Tooltip } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { HUKOU_TYPES } from '../../../../../src/domain/household/person-attributes.ts';
import { ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { ErrorResult } from '../../../ui/ErrorResult.tsx';
import { useMe } from '../../auth/AuthProvider.tsx';
import { can } from '../../auth/access.ts';
import { useAreas } from '../hooks/use-areas.ts';
import type { Household } from '../types.ts';
import { applyServerErrors, asApiError, type NamePath } from '../utils/form-errors.ts';
import { options } from '../utils/labels.ts';
import { ACCOUNT_RULE, type HouseholdFormValues, PHONE_RULE } from './HouseholdCreate.tsx';

type EditValues = HouseholdFormValues & { headPersonId?: number };

const FIELDS = new Set([
  'villageCode',
  'address',
  'hukouType',
  'phone',
  'bankName',
  'bankAccount',
  'bankAccountHolder',
  'headPersonId',
]);
const col = { xs: 24, sm: 12, lg: 8 } as const;

/** 编辑家庭: village, address, hukou, phone, bank account, head (PATCH with version; stale → reload). */
export function HouseholdEdit() {
  const { id = '' } = useParams();
  const me = useMe();
  const valid = /^\d+$/.test(id);
  const household = useApi<Household>(valid ? `/api/v1/households/${id}` : null);

  if (!can(me, 'registry.write')) {
    return (
      <ErrorResult
        error={new ApiError(403, { message: '您的角色不能修改家庭信息（需要救助对象登记权限）' })}
      />
    );
  }
  if (!valid) return <ErrorResult error={new ApiError(404, { message: `家庭编号“${id}”不正确` })} />;
  if (household.error) return <ErrorResult error={household.error} onRetry={household.reload} />;
  if (!household.data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  // A fresh version (after 重新加载) starts the form again with the fresh values.
  return <EditForm key={household.data.version} h={household.data} onReload={household.reload} />;
}

function EditForm({ h, onReload }: { h: Household; onReload: () => void }) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const { areas: villages, loading: villagesLoading } = useAreas(h.townCode);
  const [numbers, setNumbers] = useState<{ phone: string | null; bankAccount: string | null } | null>(null);
  const [changeNumbers, setChangeNumbers] = useState(false);
  const [loadingNumbers, setLoadingNumbers] = useState(false);
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const back = () => navigate(`/registry/households/${h.id}`);

  const toggleNumbers = async (on: boolean) => {
    setChangeNumbers(on);
    if (!on || numbers) {
      form.setFieldsValue(
        on && numbers ? { phone: numbers.phone ?? '', bankAccount: numbers.bankAccount ?? '' } : {},
      );
      return;
    }
    setLoadingNumbers(true);
    try {
      // Read in full only because the clerk chose to change them (audited).
      const full = await api.get<Household>(`/api/v1/households/${h.id}?reveal=true`);
      const n = { phone: full.phone, bankAccount: full.bankAccount };
      setNumbers(n);
      form.setFieldsValue({ phone: n.phone ?? '', bankAccount: n.bankAccount ?? '' });
    } catch (e) {
      setChangeNumbers(false);
      setErrors([`无法读取完整号码：${asApiError(e).message}`]);
    } finally {
      setLoadingNumbers(false);
    }
  };

  const submit = async (v: EditValues) => {
    const patch: Record<string, unknown> = {};
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : null);
    if ((v.villageCode ?? null) !== h.villageCode && v.villageCode) patch.villageCode = v.villageCode;
    if (text(v.address) !== h.address) patch.address = text(v.address);
    if (v.hukouType && v.hukouType !== h.hukouType) patch.hukouType = v.hukouType;
    if (text(v.bankName) !== h.bankName) patch.bankName = text(v.bankName);
    if (text(v.bankAccountHolder) !== h.bankAccountHolder)
      patch.bankAccountHolder = text(v.bankAccountHolder);
    if (v.headPersonId !== undefined && v.headPersonId !== h.headPersonId)
      patch.headPersonId = v.headPersonId;
    if (changeNumbers && numbers) {
      if (text(v.phone) !== numbers.phone) patch.phone = text(v.phone);
      const account = text(v.bankAccount)?.replace(/\s+/g, '') ?? null;
      if (account !== numbers.bankAccount) patch.bankAccount = account;
    }
    if (Object.keys(patch).length === 0) {
      message.info('没有修改任何内容');
      back();
      return;
    }
    setSaving(true);
    setErrors([]);
    try {
      await api.patch(`/api/v1/households/${h.id}`, { version: h.version, ...patch });
      message.success('已保存');
      back();
    } catch (e) {
      const err = asApiError(e);
      if (err.code === 'STALE_VERSION') setStale(err.message);
      else {
        const unplaced = applyServerErrors(
          form,
          err,
          (p: NamePath) => p.length === 1 && FIELDS.has(String(p[0])),
        );
        setErrors(unplaced.length > 0 || err.issues.length === 0 ? [err.message] : []);
      }
    } finally {
      setSaving(false);
    }
  };

  const head = h.members.find((m) => m.id === h.headPersonId);
  return (
    <Form<EditValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      initialValues={{
        villageCode: h.villageCode ?? undefined,
        address: h.address,
        hukouType: h.hukouType,
        bankName: h.bankName ?? '',
        bankAccountHolder: h.bankAccountHolder ?? '',
        headPersonId: h.headPersonId ?? undefined,
      }}
      data-testid="household-edit-form"
    >
      <Card title={`编辑家庭：${head ? `${head.name} 户` : `家庭 ${h.id}`}（${h.townName ?? h.townCode}）`}>
        {stale && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={stale}
            description="请点击“重新加载”取得最新信息，再重新修改。"
            data-testid="stale-alert"
            action={
              <Button icon={<ReloadOutlined />} onClick={onReload} data-testid="stale-reload">
                重新加载
              </Button>
            }
          />
        )}
        {errors.map((e) => (
          <Alert
            key={e}
            type="error"
            showIcon
            title={e}
            style={{ marginBottom: 16 }}
            data-testid="form-error"
          />
        ))}
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item label="乡镇" extra="乡镇不在此修改（迁往其他乡镇须办理家庭迁移）">
              <Input readOnly variant="filled" value={h.townName ?? h.townCode} />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="villageCode"
              label="村（居）"
              rules={[{ required: true, message: '请选择村（居）' }]}
            >
              <Select
                loading={villagesLoading}
                options={villages.map((v) => ({ value: v.code, label: v.name }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="hukouType"
              label="户口性质"
              rules={[{ required: true, message: '请选择户口性质' }]}
            >
              <Select options={options(HUKOU_TYPES)} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={16}>
            <Form.Item
              name="address"
              label="地址"
              rules={[
                { required: true, whitespace: true, message: '请输入地址' },
                { max: 200, message: '地址不能超过200字' },
              ]}
            >
              <Input data-testid="edit-address" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="headPersonId"
              label="户主"
              extra="更换户主后，原户主的“与户主关系”将改为“其他”，请随后在家庭成员中修改"
            >
              <Select
                options={h.members.map((m) => ({ value: m.id, label: `${m.name}（${m.relation}）` }))}
                data-testid="edit-head"
              />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="bankName" label="开户行" rules={[{ max: 60, message: '开户行不能超过60字' }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="bankAccountHolder"
              label="账户名"
              rules={[{ max: 50, message: '账户名不能超过50字' }]}
            >
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Space style={{ marginBottom: 12 }}>
          <Switch
            checked={changeNumbers}
            loading={loadingNumbers}
            onChange={(on) => void toggleNumbers(on)}
            aria-label="修改联系电话和账号"
            data-testid="toggle-change-numbers"
          />
          <span>修改联系电话和账号</span>
          <Tooltip title="修改前将读取完整号码，此次查看记入审计日志">
            <EyeOutlined style={{ color: '#8c8c8c' }} />
          </Tooltip>
        </Space>
        <Row gutter={16}>
          <Col {...col}>
            {changeNumbers ? (
              <Form.Item name="phone" label="联系电话" rules={[PHONE_RULE]}>
                <Input autoComplete="off" allowClear />
              </Form.Item>
            ) : (
              <Form.Item label="联系电话">
                <Input
                  readOnly
                  variant="filled"
                  value={h.phone ?? ''}
                  placeholder="未登记"
                  className="tabular"
                />
              </Form.Item>
            )}
          </Col>
          <Col {...col}>
            {changeNumbers ? (
              <Form.Item name="bankAccount" label="账号" rules={[ACCOUNT_RULE]}>
                <Input autoComplete="off" className="tabular" allowClear />
              </Form.Item>
            ) : (
              <Form.Item label="账号">
                <Input
                  readOnly
                  variant="filled"
                  value={h.bankAccount ?? ''}
                  placeholder="未登记"
                  className="tabular"
                />
              </Form.Item>
            )}
          </Col>
        </Row>
        <Row justify="end">
          <Space>
            <Button onClick={back}>取消</Button>
            <Button
              type="primary"
              htmlType="submit"
              loading={saving}
              disabled={stale !== null}
              data-testid="save-household"
            >
              保存
            </Button>
          </Space>
        </Row>
      </Card>
    </Form>
  );
}
