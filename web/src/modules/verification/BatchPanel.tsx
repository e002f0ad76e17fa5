import { PlayCircleOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Progress,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { useAreaNames, useAreas } from '../registry/hooks/use-areas.ts';
import { BATCH_STATUS, formatTime, programNames, RECHECK_PROGRAMS, TRIGGERS } from './labels.ts';
import type { BatchItem, Schedule } from './types.ts';

function percent(b: BatchItem): number {
  if (b.status !== 'running') return 100;
  const processed = b.processed ?? b.done + b.failed;
  return b.total > 0 ? Math.min(99, Math.floor((processed * 100) / b.total)) : 0;
}

function BatchProgress({ b }: { b: BatchItem }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="batch-progress">
      <Progress
        percent={percent(b)}
        status={b.status === 'running' ? 'active' : b.status === 'failed' ? 'exception' : 'success'}
      />
      <span className="tabular" data-testid="batch-progress-count">
        {b.status === 'running' ? '正在核对：' : `${BATCH_STATUS[b.status]?.label ?? b.status}：`}已核对{' '}
        {b.done.toLocaleString('zh-CN')} / {b.total.toLocaleString('zh-CN')} 户，失败 {b.failed} 户，需关注{' '}
        {b.flagged} 户
      </span>
      {b.error && <Alert type="error" showIcon title={b.error} />}
    </Space>
  );
}

/**
 * 批量复核核对: re-checks the enrolled households of some programs (DOMAIN §3.1 定期复核), with the progress
 * asked of the server every second, the history of batches, and the monthly schedule.
 */
export function BatchPanel() {
  const me = useMe();
  const { message } = App.useApp();
  const countyUser = me.areaCode.length < 9;
  const { areas: towns } = useAreas(countyUser ? null : undefined);
  const history = useApi<{ items: BatchItem[] }>('/api/v1/verification/batches');
  const names = useAreaNames(
    useMemo(
      () => (history.data?.items ?? []).flatMap((b) => (b.townCode ? [b.townCode] : [])),
      [history.data],
    ),
  );
  const [programs, setPrograms] = useState<string[]>(['rural_dibao', 'urban_dibao']);
  const [town, setTown] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [batchId, setBatchId] = useState<number | null>(null);
  const [batch, setBatch] = useState<BatchItem | null>(null);

  useEffect(() => {
    if (batchId === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const b = await api.get<BatchItem>(`/api/v1/verification/batches/${batchId}`);
        if (cancelled) return;
        setBatch(b);
        if (b.status === 'running') timer = setTimeout(poll, 1000);
        else history.reload();
      } catch {
        if (!cancelled) timer = setTimeout(poll, 2000);
      }
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [batchId, history.reload]);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const r = await api.post<{ id?: number; batchId?: number }>('/api/v1/verification/batches', {
        programCodes: programs,
        ...(town ? { townCode: town } : {}),
      });
      const id = r.batchId ?? r.id ?? null;
      setBatch(null);
      setBatchId(id);
      message.success('批量复核已开始');
      history.reload();
    } catch (e) {
      setStartError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };

  const columns: TableColumnsType<BatchItem> = [
    { title: '批次', dataIndex: 'id', width: 70 },
    {
      title: '救助项目',
      dataIndex: 'programCodes',
      render: (codes: string[]) => programNames(codes ?? []),
    },
    {
      title: '范围',
      dataIndex: 'townCode',
      width: 110,
      render: (code: string | null) => (code ? (names.get(code) ?? code) : '全县'),
    },
    { title: '发起方式', dataIndex: 'trigger', width: 100, render: (t: string) => TRIGGERS[t] ?? t },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (s: string) => <Tag color={BATCH_STATUS[s]?.color}>{BATCH_STATUS[s]?.label ?? s}</Tag>,
    },
    {
      title: '进度（户）',
      key: 'progress',
      width: 180,
      render: (_, b) => (
        <span className="tabular">
          {b.done} / {b.total}
          {b.failed > 0 ? `，失败 ${b.failed}` : ''}
        </span>
      ),
    },
    {
      title: '需关注',
      dataIndex: 'flagged',
      width: 80,
      align: 'right',
      render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
    },
    { title: '发起人', dataIndex: 'startedBy', width: 110 },
    {
      title: '开始时间',
      dataIndex: 'startedAt',
      width: 150,
      render: (t: string) => <span className="tabular">{formatTime(t)}</span>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title="发起批量复核核对" data-testid="batch-start">
        <Typography.Paragraph type="secondary">
          对在保家庭按“定期复核”依据查询各部门数据并生成核对报告；结论不再符合条件或有重大差异的家庭计为“需关注”，请到核对报告中查看。
        </Typography.Paragraph>
        <Form layout="vertical">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item label="救助项目" required>
                <Select
                  mode="multiple"
                  value={programs}
                  onChange={setPrograms}
                  options={RECHECK_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
                  data-testid="batch-programs"
                />
              </Form.Item>
            </Col>
            {countyUser && (
              <Col xs={24} md={8}>
                <Form.Item label="乡镇（不选为全县）">
                  <Select
                    allowClear
                    placeholder="全县"
                    value={town}
                    onChange={setTown}
                    options={towns.map((a) => ({ value: a.code, label: a.name }))}
                    data-testid="batch-town"
                  />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={starting}
            disabled={programs.length === 0}
            onClick={start}
            data-testid="batch-submit"
          >
            开始复核
          </Button>
        </Form>
        {startError && (
          <Alert
            type="error"
            showIcon
            title={startError}
            style={{ marginTop: 12 }}
            data-testid="batch-error"
          />
        )}
        {batch && (
          <div style={{ marginTop: 16 }}>
            <BatchProgress b={batch} />
          </div>
        )}
      </Card>
      <Card
        title="复核批次记录"
        extra={
          <Button icon={<ReloadOutlined />} onClick={history.reload}>
            刷新
          </Button>
        }
      >
        {history.error && <Alert type="error" showIcon title={history.error.message} />}
        <Table<BatchItem>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={history.data?.items ?? []}
          loading={history.loading}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          data-testid="batch-history"
          locale={{ emptyText: '还没有发起过批量复核' }}
        />
      </Card>
      <ScheduleCard />
    </Space>
  );
}

/** 定期复核: on a day of each month the server re-checks the programs chosen here by itself. */
function ScheduleCard() {
  const { message } = App.useApp();
  const { data, error, reload } = useApi<Schedule>('/api/v1/verification/schedule');
  const [form] = Form.useForm<Schedule>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);

  const save = async (values: Schedule) => {
    setSaving(true);
    setSaveError(null);
    try {
      await api.put('/api/v1/verification/schedule', values);
      message.success('定期复核设置已保存');
      reload();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
      setSaveError(err);
      form.setFields(
        err.issues
          .map((i) => ({ name: i.field as keyof Schedule, errors: [i.message] }))
          .filter((f) => ['enabled', 'dayOfMonth', 'programCodes'].includes(String(f.name))),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="定期自动复核" data-testid="schedule-card">
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Form<Schedule>
        form={form}
        layout="inline"
        onFinish={save}
        initialValues={{ enabled: false, dayOfMonth: 1, programCodes: ['rural_dibao', 'urban_dibao'] }}
      >
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch data-testid="schedule-enabled" />
        </Form.Item>
        <Form.Item
          name="dayOfMonth"
          label="每月几号"
          rules={[{ required: true, message: '请填写每月几号执行（1～28）' }]}
        >
          <InputNumber min={1} max={28} precision={0} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item
          name="programCodes"
          label="救助项目"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个救助项目' }]}
        >
          <Select
            mode="multiple"
            style={{ minWidth: 280 }}
            options={RECHECK_PROGRAMS.map((p) => ({ value: p.code, label: p.name }))}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving}>
            保存
          </Button>
        </Form.Item>
      </Form>
      {saveError && <Alert type="error" showIcon title={saveError.message} style={{ marginTop: 12 }} />}
    </Card>
  );
}
