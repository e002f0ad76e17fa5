import {
  Alert,
  Button,
  type ButtonProps,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Result,
  Select,
  Space,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client.ts';
import { useAreas } from '../registry/hooks/use-areas.ts';
import { CAMPAIGN_PROGRAMS, CAMPAIGN_STATUS, campaignPercent, categoryLabel } from './labels.ts';
import type { Campaign, Rule } from './types.ts';

interface Values {
  title: string;
  programCodes: string[];
  townCodes: string[];
  ruleCodes: string[];
  asOf: Dayjs;
  reviewDueDays: number;
}

/**
 * 新建核查: the population (programs, towns; none = whole county), the rules to run and the date the data
 * describes; then the run, with the rules done shown as they finish.
 */
export function NewCampaignModal({ rules, onClose }: { rules: Rule[]; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const { areas: towns } = useAreas(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const enabled = rules.filter((r) => r.enabled);

  useEffect(() => {
    if (campaignId === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const c = await api.get<Campaign>(`/api/v1/campaigns/${campaignId}`);
        if (cancelled) return;
        setCampaign(c);
        if (c.status === 'running' || c.status === 'draft') timer = setTimeout(poll, 1000);
      } catch {
        if (!cancelled) timer = setTimeout(poll, 2000);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [campaignId]);

  const submit = async (v: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const created = await api.post<Campaign>('/api/v1/campaigns', {
        title: v.title.trim(),
        programCodes: v.programCodes,
        townCodes: v.townCodes ?? [],
        ruleCodes: v.ruleCodes,
        asOf: v.asOf.format('YYYY-MM-DD'),
        reviewDueDays: v.reviewDueDays,
      });
      if (created.status === 'draft') await api.post(`/api/v1/campaigns/${created.id}/run`);
      setCampaignId(created.id);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
      setError(err);
      form.setFields(
        err.issues
          .filter((i) =>
            ['title', 'programCodes', 'townCodes', 'ruleCodes', 'asOf', 'reviewDueDays'].includes(i.field),
          )
          .map((i) => ({ name: i.field as keyof Values, errors: [i.message] })),
      );
    } finally {
      setSubmitting(false);
    }
  };

  if (campaignId !== null) {
    const done = campaign?.status === 'done';
    const failed = campaign?.status === 'failed';
    return (
      <Modal
        open
        title="运行核查"
        onCancel={onClose}
        maskClosable={false}
        footer={
          done ? (
            <Space>
              <Button onClick={onClose}>关闭</Button>
              <Button
                type="primary"
                onClick={() => navigate(`/inspection/campaigns/${campaignId}`)}
                data-testid="campaign-open"
              >
                查看核查结果
              </Button>
            </Space>
          ) : (
            <Button onClick={onClose}>后台继续运行，先关闭</Button>
          )
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }} size={16} data-testid="campaign-progress">
          <div>{campaign?.title ?? '正在启动…'}</div>
          <Progress
            percent={campaign ? campaignPercent(campaign) : 0}
            status={done ? 'success' : failed ? 'exception' : 'active'}
          />
          {campaign && (
            <span className="tabular" data-testid="campaign-progress-count">
              {CAMPAIGN_STATUS[campaign.status]?.label ?? campaign.status}：已运行规则{' '}
              {campaign.progress.rulesDone} / {campaign.progress.rulesTotal} 条，发现问题{' '}
              {campaign.findingCount} 条
            </span>
          )}
          {failed && <Alert type="error" showIcon title={campaign?.error ?? '核查运行失败'} />}
          {done && (
            <Result
              status={campaign.findingCount > 0 ? 'warning' : 'success'}
              title={campaign.findingCount > 0 ? `发现 ${campaign.findingCount} 条问题线索` : '未发现问题'}
              subTitle="问题线索已分派到所在乡镇复核，复核期限内登记复核结果。"
              style={{ padding: 0 }}
              data-testid="campaign-done"
            />
          )}
        </Space>
      </Modal>
    );
  }

  return (
    <Modal
      open
      width={720}
      title="新建核查"
      onCancel={onClose}
      okText="开始核查"
      onOk={() => form.submit()}
      okButtonProps={{ loading: submitting, 'data-testid': 'campaign-submit' } as ButtonProps}
      maskClosable={false}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          title: `${dayjs().format('YYYY年M月')}城乡低保核查`,
          programCodes: ['rural_dibao', 'urban_dibao', 'rural_tekun', 'urban_tekun'],
          townCodes: [],
          ruleCodes: enabled.map((r) => r.code),
          asOf: dayjs(),
          reviewDueDays: 30,
        }}
        data-testid="campaign-form"
      >
        <Form.Item
          name="title"
          label="核查名称"
          rules={[{ required: true, whitespace: true, message: '请填写核查名称' }]}
        >
          <Input maxLength={80} data-testid="campaign-title" />
        </Form.Item>
        <Form.Item
          name="programCodes"
          label="救助项目"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个救助项目' }]}
        >
          <Select
            mode="multiple"
            options={CAMPAIGN_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="townCodes" label="乡镇" extra="不选为全县。">
          <Select
            mode="multiple"
            allowClear
            placeholder="全县"
            options={towns.map((t) => ({ value: t.code, label: t.name }))}
            data-testid="campaign-towns"
          />
        </Form.Item>
        <Form.Item
          name="ruleCodes"
          label="核查规则"
          extra="默认为全部已启用的规则。"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一条规则' }]}
        >
          <Select
            mode="multiple"
            options={rules.map((r) => ({
              value: r.code,
              label: `${r.label}（${categoryLabel(r.category)}）${r.enabled ? '' : '【已停用】'}`,
            }))}
          />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item
            name="asOf"
            label="核查基准日"
            rules={[{ required: true, message: '请选择核查基准日' }]}
            extra="按该日在保的对象和当时生效的部门数据核查。"
          >
            <DatePicker format="YYYY-MM-DD" data-testid="campaign-as-of" />
          </Form.Item>
          <Form.Item
            name="reviewDueDays"
            label="乡镇复核期限（天）"
            rules={[{ required: true, message: '请填写复核期限' }]}
          >
            <InputNumber min={1} max={180} precision={0} />
          </Form.Item>
        </Space>
        {error && <Alert type="error" showIcon title={error.message} data-testid="campaign-error" />}
      </Form>
    </Modal>
  );
}
