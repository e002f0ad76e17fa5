import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  CHANNEL_CODES,
  CHANNELS,
  type Channel,
  INTAKE_ITEM_CODES,
  INTAKE_ITEMS,
  type IntakeItemCode,
  idNumberRequired,
  itemLabel,
} from '../../../../src/domain/intake/intake-rules.ts';
import { ApiError, api } from '../../api/client.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { useAreas } from '../registry/hooks/use-areas.ts';
import { PAGE_STYLE } from '../registry/utils/layout.ts';
import { placeServerErrors } from './form-errors.ts';
import { IdNumberInput } from './IdNumberInput.tsx';
import { canRegister } from './labels.ts';

interface Values {
  channel: Channel;
  applicantName?: string;
  applicantIdNumber?: string;
  applicantPhone?: string;
  townCode?: string;
  villageCode?: string;
  householdId?: number | null;
  items?: IntakeItemCode[];
  description?: string;
}

const FIELDS = [
  'channel',
  'applicantName',
  'applicantIdNumber',
  'applicantPhone',
  'townCode',
  'villageCode',
  'householdId',
  'items',
  'description',
] as const;

const WINDOW_ITEMS = INTAKE_ITEM_CODES.filter((c) => INTAKE_ITEMS[c].handling === 'window');
const OTHER_ITEMS = INTAKE_ITEM_CODES.filter((c) => INTAKE_ITEMS[c].handling !== 'window');
const col = { xs: 24, sm: 12, lg: 8 } as const;
const trimmed = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/**
 * 一表登记 (DOMAIN §2): one screen for a town clerk — who applies, how they came, where they live, what
 * they ask for (checkboxes), and their hardship. The ID number is checked as it is typed.
 */
export function RegisterForm() {
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  // A village assistant registers only what they found themselves (主动发现, DOMAIN §2 rule 8).
  const discoveryOnly = !can(me, 'registry.write');
  const fixedTown = me.areaCode.length === 9 ? me.areaCode : null;
  const channel: Channel = Form.useWatch('channel', form) ?? (discoveryOnly ? 'active_discovery' : 'window');
  const idRequired = idNumberRequired(channel);
  const { areas: towns } = useAreas(null);
  const town = (Form.useWatch('townCode', form) as string | undefined) ?? fixedTown ?? undefined;
  const { areas: villages, loading: villagesLoading } = useAreas(town ?? '');

  if (!canRegister(me)) {
    return <ErrorResult error={new ApiError(403, { message: '您的角色不能登记受理' })} />;
  }

  const submit = async (v: Values) => {
    setSaving(true);
    setErrors([]);
    try {
      const res = await api.post<{ id: number }>('/api/v1/intake/requests', {
        channel: v.channel,
        applicantName: (v.applicantName ?? '').trim(),
        ...(trimmed(v.applicantIdNumber) ? { applicantIdNumber: trimmed(v.applicantIdNumber) } : {}),
        ...(trimmed(v.applicantPhone) ? { applicantPhone: trimmed(v.applicantPhone) } : {}),
        ...(fixedTown ? {} : { townCode: v.townCode }),
        ...(v.villageCode ? { villageCode: v.villageCode } : {}),
        ...(v.householdId ? { householdId: v.householdId } : {}),
        items: v.items ?? [],
        description: (v.description ?? '').trim(),
      });
      message.success('已登记');
      navigate(`/intake/${res.id}`);
    } catch (e) {
      const unplaced = placeServerErrors(form, e, FIELDS);
      setErrors(unplaced);
      if (unplaced.length > 0) window.scrollTo({ top: 0, behavior: 'smooth' });
    } finally {
      setSaving(false);
    }
  };

  const itemBox = (codes: IntakeItemCode[]) =>
    codes.map((c) => (
      <Col key={c} xs={24} sm={12} md={8} lg={6}>
        <Checkbox value={c} data-testid={`item-${c}`}>
          {itemLabel(c)}
        </Checkbox>
      </Col>
    ));

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{
        channel: discoveryOnly ? 'active_discovery' : 'window',
        townCode: fixedTown ?? undefined,
        items: [],
      }}
      onFinish={(v) => void submit(v)}
      onFinishFailed={({ errorFields }) => {
        const first = errorFields[0];
        if (first) form.scrollToField(first.name, { block: 'center' });
      }}
      data-testid="intake-register-form"
      style={PAGE_STYLE}
    >
      <Card
        title="受理登记（一表登记）"
        extra={<Typography.Text type="secondary">带 * 的为必填项</Typography.Text>}
      >
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          {errors.length > 0 && (
            <Alert
              type="error"
              showIcon
              title="未能登记，请按提示修改"
              description={errors.map((e) => <div key={e}>{e}</div>)}
              data-testid="form-error"
            />
          )}
          <Form.Item
            name="channel"
            label="受理渠道"
            rules={[{ required: true, message: '请选择受理渠道' }]}
            extra={discoveryOnly ? '村级协理员登记的是主动发现的困难群众，由乡镇窗口继续办理' : undefined}
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={CHANNEL_CODES.map((c) => ({
                value: c,
                label: CHANNELS[c],
                disabled: discoveryOnly && c !== 'active_discovery',
              }))}
              data-testid="channel"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col {...col}>
              <Form.Item
                name="applicantName"
                label="申请人姓名"
                rules={[
                  { required: true, whitespace: true, message: '请输入申请人姓名' },
                  { max: 50, message: '姓名不能超过50字' },
                ]}
              >
                <Input autoComplete="off" placeholder="如 李建国" data-testid="applicant-name" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <IdNumberInput
                name="applicantIdNumber"
                label="申请人身份证号码"
                required={idRequired}
                testId="applicant-id-number"
                extra={idRequired ? undefined : '主动发现、热线反映的，暂不知道可以不填'}
              />
            </Col>
            <Col {...col}>
              <Form.Item
                name="applicantPhone"
                label="联系电话"
                rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: '电话号码格式不正确' }]}
              >
                <Input autoComplete="off" placeholder="手机或固定电话" data-testid="applicant-phone" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="townCode" label="受理乡镇" rules={[{ required: true, message: '请选择乡镇' }]}>
                <Select
                  disabled={Boolean(fixedTown)}
                  placeholder="请选择乡镇"
                  options={towns.filter((t) => t.inScope).map((t) => ({ value: t.code, label: t.name }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={() => form.setFieldValue('villageCode', undefined)}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="villageCode" label="村（居）">
                <Select
                  allowClear
                  placeholder={town ? '请选择村（居）' : '请先选择乡镇'}
                  disabled={!town}
                  loading={villagesLoading}
                  options={villages.map((v) => ({ value: v.code, label: v.name }))}
                  showSearch={{ optionFilterProp: 'label' }}
                  data-testid="village"
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name="householdId"
                label="已建档家庭编号（选填）"
                tooltip="申请人家庭已在“救助对象”中建档的，填写家庭编号，便于核对家庭成员"
              >
                <InputNumber
                  min={1}
                  precision={0}
                  style={{ width: '100%' }}
                  placeholder="不知道可以不填"
                  data-testid="household-id"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="items"
            label="申请事项（可多选）"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一项申请事项' }]}
          >
            <Checkbox.Group style={{ width: '100%' }}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Typography.Text type="secondary">窗口受理：</Typography.Text>
                <Row gutter={[8, 8]}>{itemBox(WINDOW_ITEMS)}</Row>
                <Typography.Text type="secondary">转办相关部门或转介慈善组织：</Typography.Text>
                <Row gutter={[8, 8]}>{itemBox(OTHER_ITEMS)}</Row>
              </Space>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item
            name="description"
            label="困难情况和致贫原因"
            rules={[
              { required: true, whitespace: true, message: '请填写困难情况和致贫原因' },
              { max: 2000, message: '不能超过2000字' },
            ]}
          >
            <Input.TextArea
              rows={4}
              showCount
              maxLength={2000}
              placeholder="如：家庭成员患病、残疾、失业或遭遇意外；家庭人口、收入和主要支出情况"
              data-testid="description"
            />
          </Form.Item>
          <Row justify="end">
            <Space>
              <Button onClick={() => navigate('/intake')}>取消</Button>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="submit-register">
                登记
              </Button>
            </Space>
          </Row>
        </Space>
      </Card>
    </Form>
  );
}
