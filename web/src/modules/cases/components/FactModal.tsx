import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  assessSelfCare,
  SELF_CARE_LABELS,
  type SelfCareItems,
} from '../../../../../src/domain/workflow/tekun-2021.ts';
import { SUPPORTER_SITUATIONS } from '../../../../../src/domain/workflow/tekun-criteria.ts';
import { type ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import { useMe } from '../../auth/AuthProvider.tsx';
import type { CaseDetail, FactInput } from '../types.ts';
import { asApiError, isStale, reasonsOf } from '../utils/errors.ts';
import { SubmitError } from './SubmitError.tsx';

export type FactKind = FactInput['kind'];

export const FACT_TITLES: Record<FactKind, string> = {
  investigation: '登记调查组',
  county_home_visit: '登记县级入户核查',
  objection: '登记公示异议',
  complaint: '登记举报',
  self_care: '登记生活自理能力评估',
  tekun_criteria: '登记特困条件核查',
};

/** DOMAIN §5.4 Arts. 20–23: the six items of the self-care assessment, in the order of the rules. */
const SELF_CARE_ITEMS: { key: keyof SelfCareItems; label: string }[] = [
  { key: 'eating', label: '吃饭' },
  { key: 'dressing', label: '穿衣' },
  { key: 'bed', label: '上下床' },
  { key: 'toileting', label: '如厕' },
  { key: 'walking', label: '室内行走' },
  { key: 'bathing', label: '洗澡' },
];

const NO_ITEMS: SelfCareItems = {
  eating: false,
  dressing: false,
  bed: false,
  toileting: false,
  walking: false,
  bathing: false,
};

const TEXT_LABELS: Record<
  Exclude<FactKind, 'self_care' | 'tekun_criteria'>,
  { label: string; placeholder: string }
> = {
  investigation: {
    label: '调查情况',
    placeholder: '如：入户查看了居住条件，核实家庭成员3人，主要收入为务农……',
  },
  county_home_visit: { label: '入户核查情况', placeholder: '县级工作人员入户核查的情况和结论' },
  objection: { label: '异议内容', placeholder: '谁、何时、以何种方式提出了什么异议' },
  complaint: { label: '举报内容', placeholder: '举报人、举报方式和举报的主要内容' },
};

interface Values {
  me?: boolean;
  others?: (number | null)[];
  text?: string;
  items?: Partial<SelfCareItems>;
  assessor?: string;
  noLivelihood?: boolean;
  livelihoodNote?: string;
  supporter?: string;
}

/** The six answers as the server takes them: an unticked item is one the person cannot do unaided. */
function selfCareItems(items: Partial<SelfCareItems> | undefined): SelfCareItems {
  const all = { ...NO_ITEMS };
  for (const { key } of SELF_CARE_ITEMS) all[key] = items?.[key] === true;
  return all;
}

/** The six items as checkboxes (ticked = 能独立完成), the assessor, and the band they give. */
function SelfCareFields() {
  const form = Form.useFormInstance<Values>();
  const items = selfCareItems(Form.useWatch('items', form));
  const notAchieved = SELF_CARE_ITEMS.filter(({ key }) => !items[key]).length;
  const level = assessSelfCare(items);
  return (
    <>
      <Form.Item
        label="评估项目（每项“能独立完成”的请勾选）"
        extra="六项均能独立完成为全自理；1至3项不能为半失能；4项以上不能为全失能"
      >
        {SELF_CARE_ITEMS.map(({ key, label }) => (
          <Form.Item key={key} name={['items', key]} valuePropName="checked" noStyle>
            <Checkbox data-testid={`self-care-${key}`}>{label}：能独立完成</Checkbox>
          </Form.Item>
        ))}
      </Form.Item>
      <Alert
        type={level === 'self_reliant' ? 'success' : 'warning'}
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="self-care-preview"
        title={`评估结果：${SELF_CARE_LABELS[level]}`}
        description={notAchieved === 0 ? '六项均能独立完成' : `${notAchieved}项不能独立完成`}
      />
      <Form.Item
        name="assessor"
        label="评估人/评估机构"
        rules={[{ required: true, whitespace: true, message: '请填写评估人或评估机构' }]}
      >
        <Input maxLength={100} placeholder="如：县社会福利中心评估小组" data-testid="self-care-assessor" />
      </Form.Item>
    </>
  );
}

interface Props {
  c: CaseDetail;
  kind: FactKind;
  onClose(): void;
  onDone(): void;
}

/**
 * Records a fact on the case: the investigation team (at least two people: the current user and the
 * colleagues' user numbers), the county's home visit, an objection to the notice, or a complaint.
 */
/** Lists the colleagues of the user's area with their numbers, so the clerk need not ask anyone. */
function ColleagueHint() {
  const { data } = useApi<{ items: { id: number; displayName: string; roleLabel: string }[] }>(
    '/api/v1/users/colleagues',
  );
  return (
    <span data-testid="colleague-hint">
      入户调查至少2人。本辖区工作人员编号：
      {data ? data.items.map((u) => `${u.displayName}（${u.roleLabel}）${u.id}`).join('；') : '加载中……'}
    </span>
  );
}

export function FactModal({ c, kind, onClose, onDone }: Props) {
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ error: ApiError; reasons: string[] } | null>(null);
  const already = c.facts.investigatorUserIds;
  const text = kind === 'self_care' || kind === 'tekun_criteria' ? null : TEXT_LABELS[kind];

  const submit = async (v: Values) => {
    let fact: FactInput;
    const body = v.text?.trim() ?? '';
    if (kind === 'investigation') {
      const ids = [
        ...new Set([
          ...(v.me ? [me.id] : []),
          ...(v.others ?? []).filter((n): n is number => typeof n === 'number'),
        ]),
      ];
      if (ids.length === 0) {
        form.setFields([{ name: 'me', errors: ['请登记参加调查的人员'] }]);
        return;
      }
      if (new Set([...already, ...ids]).size < 2) {
        form.setFields([
          { name: 'others', errors: ['入户调查应当由至少2名工作人员进行，请填写同组调查人员的用户编号'] },
        ]);
        return;
      }
      fact = { kind, investigatorUserIds: ids, findings: body };
    } else if (kind === 'tekun_criteria') {
      if (!v.supporter) {
        form.setFields([{ name: 'supporter', errors: ['请选择法定义务人情况'] }]);
        return;
      }
      fact = {
        kind,
        noLivelihood: Boolean(v.noLivelihood),
        livelihoodNote: v.livelihoodNote?.trim() ?? '',
        supporter: v.supporter,
      };
    } else if (kind === 'self_care') {
      fact = { kind, assessor: v.assessor?.trim() ?? '', items: selfCareItems(v.items) };
    } else if (kind === 'county_home_visit') fact = { kind, findings: body };
    else fact = { kind, summary: body };
    setSaving(true);
    setFailure(null);
    try {
      await api.post(`/api/v1/cases/${c.id}/facts`, { version: c.version, fact });
      message.success(`已${FACT_TITLES[kind]}`);
      onDone();
      onClose();
    } catch (e) {
      const error = asApiError(e);
      setFailure({
        error,
        reasons: reasonsOf(error, form, {
          investigatorUserIds: 'others',
          findings: 'text',
          summary: 'text',
          assessor: 'assessor',
        }),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      destroyOnHidden
      title={FACT_TITLES[kind]}
      okText="登记"
      cancelText="取消"
      confirmLoading={saving}
      mask={{ closable: false }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {failure && (
        <SubmitError
          error={failure.error}
          reasons={failure.reasons}
          onReload={() => {
            onDone();
            onClose();
          }}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ me: true, others: [null], text: '', items: { ...NO_ITEMS }, assessor: '' }}
        onFinish={(v) => void submit(v)}
        disabled={failure !== null && isStale(failure.error)}
      >
        {kind === 'investigation' && (
          <>
            {already.length > 0 && (
              <Typography.Paragraph type="secondary">
                已登记的调查人员：
                {already
                  .map((id) => (id === me.id ? `${me.displayName}（本人）` : `用户编号 ${id}`))
                  .join('、')}
                。本次登记的人员将加入调查组。
              </Typography.Paragraph>
            )}
            <Form.Item name="me" valuePropName="checked" style={{ marginBottom: 8 }}>
              <Checkbox disabled={already.includes(me.id)} data-testid="investigator-me">
                本人参加调查：{me.displayName}（用户编号 {me.id}）
              </Checkbox>
            </Form.Item>
            <Form.Item
              label="同组调查人员用户编号"
              extra={<ColleagueHint />}
              required={already.length + 1 < 2}
            >
              <Form.List name="others">
                {(fields, { add, remove }, { errors }) => (
                  <>
                    {fields.map((field, index) => (
                      <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                        <Form.Item
                          name={field.name}
                          style={{ marginBottom: 8 }}
                          rules={[
                            {
                              validator: (_, value: number | null) =>
                                value === me.id
                                  ? Promise.reject(new Error('这是您本人的编号，请勾选上面的“本人参加调查”'))
                                  : Promise.resolve(),
                            },
                          ]}
                        >
                          <InputNumber
                            min={1}
                            precision={0}
                            style={{ width: 200 }}
                            placeholder="同事的用户编号"
                            data-testid={`investigator-${index}`}
                          />
                        </Form.Item>
                        {fields.length > 1 && (
                          <MinusCircleOutlined aria-label="删除" onClick={() => remove(field.name)} />
                        )}
                      </Space>
                    ))}
                    <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add(null)}>
                      再添加一人
                    </Button>
                    <Form.ErrorList errors={errors} />
                  </>
                )}
              </Form.List>
            </Form.Item>
          </>
        )}
        {kind === 'self_care' && <SelfCareFields />}
        {kind === 'tekun_criteria' && (
          <>
            <Form.Item
              name="noLivelihood"
              valuePropName="checked"
              extra="依据核对结果：收入低于当地低保标准，且财产符合特困人员财产状况规定（《特困人员认定办法》第六、七条）"
            >
              <Checkbox data-testid="criteria-livelihood">无生活来源</Checkbox>
            </Form.Item>
            <Form.Item name="livelihoodNote" label="收入、财产情况说明">
              <Input maxLength={500} placeholder="如：月收入120元，无存款，无房产车辆" />
            </Form.Item>
            <Form.Item name="supporter" label="法定赡养、抚养、扶养义务人情况（第八条）" required>
              <Select
                data-testid="criteria-supporter"
                options={Object.entries(SUPPORTER_SITUATIONS).map(([value, label]) => ({ value, label }))}
                placeholder="请选择"
              />
            </Form.Item>
          </>
        )}
        {text && (
          <Form.Item
            name="text"
            label={text.label}
            rules={[{ required: true, whitespace: true, message: `请填写${text.label}` }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={kind === 'objection' || kind === 'complaint' ? 2000 : 5000}
              showCount
              placeholder={text.placeholder}
              data-testid="fact-text"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
