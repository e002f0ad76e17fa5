import { WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  DatePicker,
  Descriptions,
  Form,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// The calendar's month and weekday names (antd asks dayjs for the zh-cn locale by name; it must be loaded).
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { enrolledProcedureFor, procedureFor } from '../../../../../src/domain/workflow/procedures.ts';
import { type ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/use-api.ts';
import type { Household, HouseholdListItem } from '../../registry/types.ts';
import { useHouseholdSearch } from '../hooks/use-household-search.ts';
import type { Program } from '../types.ts';
import { asApiError, reasonsOf } from '../utils/errors.ts';
import {
  AID_TYPE_LABELS,
  CASE_PROGRAMS,
  isTekun,
  PROGRAM_COLORS,
  todayInChina,
  yuanToFen,
} from '../utils/labels.ts';

const DAY = 'YYYY-MM-DD';

interface Values {
  programCode: Program;
  householdId?: number;
  personId?: number;
  acceptedOn: Dayjs;
  aidType?: 'emergency' | 'expenditure';
  amount?: string;
  /** 新申请, or a change / termination of the household's active enrolment in the program. */
  kind?: 'new' | 'enrolled';
}

/** 受理申请: a program, a household from the registry (the person, for 特困), the date, and for 临时救助 the type and amount. */
export function OpenCaseModal({ onClose }: { onClose(): void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<HouseholdListItem | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ error: ApiError; reasons: string[] } | null>(null);
  const search = useHouseholdSearch(text);
  const program = Form.useWatch('programCode', form);
  const acceptedOn = Form.useWatch('acceptedOn', form);
  const tekun = program ? isTekun(program) : false;
  const kind = Form.useWatch('kind', form);
  const detail = useApi<Household>(chosen ? `/api/v1/households/${chosen.id}` : null);
  const loaded = detail.data && detail.data.id === chosen?.id ? detail.data : null;
  // The household's active enrolments in the chosen program: they may be changed or terminated.
  const enrolled =
    loaded && program && enrolledProcedureFor(program)
      ? loaded.enrolments.filter((e) => e.programCode === program && e.status === 'active')
      : [];
  const changing = enrolled.length > 0 && kind === 'enrolled';
  const members = changing
    ? enrolled
        .filter((e) => e.personId !== null)
        .map((e) => {
          const m = loaded?.members.find((x) => x.id === e.personId);
          return {
            id: e.personId as number,
            name: e.personName ?? m?.name ?? '',
            relation: m?.relation ?? '',
            age: m?.age ?? null,
          };
        })
    : (loaded?.members.filter((m) => !m.deathDate) ?? []);
  const today = dayjs(todayInChina(), DAY);
  const choice = program
    ? changing
      ? enrolledProcedureFor(program)
      : acceptedOn
        ? procedureFor(program, acceptedOn.format(DAY))
        : null
    : null;
  const already = enrolled.length === 0 ? chosen?.programs.find((p) => p.code === program) : undefined;

  const options = (chosen && !search.items.some((h) => h.id === chosen.id) ? [chosen] : [])
    .concat(search.items)
    .map((h) => ({
      value: h.id,
      label: `${h.headName ?? '（未登记户主）'} 户 · ${h.townName ?? ''}${h.villageName ?? ''}`,
      item: h,
    }));

  const submit = async (v: Values) => {
    setFailure(null);
    const body: Record<string, unknown> = {
      programCode: v.programCode,
      householdId: v.householdId,
      acceptedOn: v.acceptedOn.format(DAY),
    };
    if (isTekun(v.programCode)) body.personId = v.personId;
    if (changing) {
      const enrolment = isTekun(v.programCode)
        ? enrolled.find((e) => e.personId === v.personId)
        : enrolled[0];
      if (!enrolment) {
        form.setFields([{ name: 'personId', errors: ['该成员没有在保的特困供养记录'] }]);
        return;
      }
      body.enrolmentId = enrolment.id;
    }
    if (v.programCode === 'temporary_aid' && !changing) {
      body.aidType = v.aidType;
      body.amountFen = yuanToFen(v.amount);
    }
    setSaving(true);
    try {
      const created = await api.post<{ id: number }>('/api/v1/cases', body);
      message.success('已受理，请继续办理');
      onClose();
      navigate(`/approval/cases/${created.id}`);
    } catch (e) {
      const error = asApiError(e);
      setFailure({
        error,
        reasons: reasonsOf(error, form, {
          programCode: 'programCode',
          householdId: 'householdId',
          personId: 'personId',
          enrolmentId: 'kind',
          acceptedOn: 'acceptedOn',
          aidType: 'aidType',
          amountFen: 'amount',
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
      title="受理申请"
      okText="受理"
      cancelText="取消"
      width={640}
      confirmLoading={saving}
      mask={{ closable: false }}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {failure && failure.reasons.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="未能受理"
          description={failure.reasons.join('；')}
          data-testid="open-case-error"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ acceptedOn: today, kind: 'new' }}
        onFinish={(v) => void submit(v)}
        data-testid="open-case-form"
      >
        <Form.Item
          name="programCode"
          label="救助项目"
          rules={[{ required: true, message: '请选择救助项目' }]}
        >
          <Radio.Group
            optionType="button"
            options={CASE_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
            onChange={() => form.setFieldsValue({ personId: undefined, kind: 'new' })}
          />
        </Form.Item>
        <Form.Item
          name="householdId"
          label="申请家庭"
          rules={[{ required: true, message: '请查找并选择申请家庭' }]}
          extra={
            search.hint
              ? '按身份证号查找请输入完整号码或末尾至少4位'
              : '输入户主或家庭成员的姓名，或身份证号（末尾至少4位）；找不到的，请先在“救助对象”中登记家庭'
          }
        >
          <Select
            placeholder="输入姓名或身份证号查找"
            showSearch={{ filterOption: false, onSearch: setText }}
            allowClear
            loading={search.loading}
            notFoundContent={
              text.trim() === ''
                ? '请输入姓名或身份证号'
                : search.loading
                  ? '正在查找……'
                  : (search.error ?? '没有找到，请核对后重试')
            }
            options={options}
            optionRender={(o) => {
              const h = (o.data as { item: HouseholdListItem }).item;
              return (
                <Space orientation="vertical" size={0}>
                  <span>
                    <Typography.Text strong>{h.headName ?? '（未登记户主）'}</Typography.Text> 户（
                    {h.memberCount}人）
                    <span className="tabular" style={{ marginInlineStart: 8, color: '#888' }}>
                      {h.headIdNumber ?? ''}
                    </span>
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {h.townName}
                    {h.villageName} {h.address}
                    {h.programs.length > 0 && ` · 已享受：${h.programs.map((p) => p.name).join('、')}`}
                  </Typography.Text>
                </Space>
              );
            }}
            onChange={(value: number | undefined) => {
              setChosen(options.find((o) => o.value === value)?.item ?? null);
              form.setFieldsValue({ personId: undefined, kind: 'new' });
            }}
            data-testid="household-select"
          />
        </Form.Item>
        {chosen && (
          <Descriptions
            size="small"
            column={2}
            style={{ marginTop: -8, marginBottom: 16 }}
            items={[
              { key: 'address', label: '地址', children: chosen.address, span: 2 },
              { key: 'count', label: '家庭人数', children: `${chosen.memberCount}人` },
              {
                key: 'programs',
                label: '已享受',
                children:
                  chosen.programs.length === 0
                    ? '无'
                    : chosen.programs.map((p) => (
                        <Tag key={p.code} color={PROGRAM_COLORS[p.code]}>
                          {p.name}
                        </Tag>
                      )),
              },
            ]}
          />
        )}
        {chosen?.closeRelativeFlag && (
          <Alert
            type="warning"
            showIcon
            icon={<WarningOutlined />}
            style={{ marginBottom: 16 }}
            title="近亲属备案家庭：须单独登记、由县级审核确认"
          />
        )}
        {already && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={`该户已在享受${already.name}，请确认是否需要重新申请`}
          />
        )}
        {enrolled.length > 0 && (
          <Form.Item
            name="kind"
            label="办理事项"
            extra={
              changing
                ? `该户正在享受${enrolled[0]?.programName ?? ''}，按在保对象的变更、终止程序办理`
                : '该户已在享受这一项目；在保对象的变更、终止请选择“在保对象变更或终止”'
            }
          >
            <Radio.Group
              optionType="button"
              options={[
                { value: 'new', label: '新申请' },
                { value: 'enrolled', label: '在保对象变更或终止' },
              ]}
              onChange={() => form.setFieldValue('personId', undefined)}
              data-testid="case-kind"
            />
          </Form.Item>
        )}
        {tekun && (
          <Form.Item
            name="personId"
            label="特困供养对象"
            rules={[{ required: true, message: '请选择申请特困供养的家庭成员' }]}
          >
            <Select
              placeholder={chosen ? '请选择家庭成员' : '请先选择申请家庭'}
              disabled={!chosen}
              loading={detail.loading && !loaded}
              options={members.map((m) => ({
                value: m.id,
                label: `${m.name}（${m.relation}${m.age !== null ? `，${m.age}岁` : ''}）`,
              }))}
              data-testid="person-select"
            />
          </Form.Item>
        )}
        {program === 'temporary_aid' && (
          <Space size={16} wrap align="start">
            <Form.Item
              name="aidType"
              label="救助类型"
              rules={[{ required: true, message: '请选择救助类型' }]}
            >
              <Radio.Group
                optionType="button"
                options={Object.entries(AID_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item
              name="amount"
              label="救助金额"
              rules={[
                { required: true, message: '请填写救助金额' },
                {
                  validator: (_, v: string | undefined) =>
                    v === undefined || v === null || v === '' || (yuanToFen(v) ?? 0) > 0
                      ? Promise.resolve()
                      : Promise.reject(new Error('请填写大于0的金额，最多两位小数')),
                },
              ]}
            >
              <InputNumber<string>
                stringMode
                min="0.01"
                precision={2}
                style={{ width: 180 }}
                suffix="元"
                data-testid="amount"
              />
            </Form.Item>
          </Space>
        )}
        <Form.Item
          name="acceptedOn"
          label="受理日期"
          rules={[{ required: true, message: '请选择受理日期' }]}
          extra={
            choice
              ? `按“${choice.machine.label}”程序办理（${choice.machine.source}）`
              : program && acceptedOn
                ? '该日期受理的申请没有可用的办理程序'
                : '默认今天；补录纸质申请的，选择实际受理日期'
          }
        >
          <DatePicker
            style={{ width: 200 }}
            allowClear={false}
            disabledDate={(d) => d.isAfter(today, 'day')}
            data-testid="accepted-on"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
