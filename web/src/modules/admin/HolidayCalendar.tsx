import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';

interface Day {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const KIND_LABELS = { holiday: '放假', workday: '调休上班' } as const;

/** 系统管理 › 节假日安排: the days that working-day time limits skip or count, entered per year. */
export function HolidayCalendar() {
  const [year, setYear] = useState(() => new Date().getFullYear());
  const { data, error, loading, reload } = useApi<{ days: Day[] }>(`/api/v1/calendar/${year}`);
  const [days, setDays] = useState<Day[]>([]);
  const [saving, setSaving] = useState(false);
  const [issues, setIssues] = useState<string[]>([]);
  const { message } = App.useApp();

  useEffect(() => {
    setDays(data?.days.map(({ date, kind, name }) => ({ date, kind, name })) ?? []);
    setIssues([]);
  }, [data]);

  if (error) return <ErrorResult error={error} onRetry={reload} />;

  const update = (i: number, patch: Partial<Day>) =>
    setDays((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const save = async () => {
    setSaving(true);
    setIssues([]);
    try {
      await api.put(`/api/v1/calendar/${year}`, {
        days: [...days].sort((a, b) => a.date.localeCompare(b.date)),
      });
      message.success(`${year} 年节假日安排已保存`);
      reload();
    } catch (e) {
      if (e instanceof ApiError)
        setIssues(e.issues.length ? e.issues.map((i) => `${i.field}：${i.message}`) : [e.message]);
      else setIssues([String(e)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      title="节假日安排"
      extra={
        <Space>
          <span>年份</span>
          <InputNumber
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => v && setYear(v)}
            aria-label="年份"
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        各环节的办理时限按工作日计算：周末不计，下列“放假”日期不计，“调休上班”的周末计入。请按国务院办公厅每年发布的节假日安排通知录入。
      </Typography.Paragraph>
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          title="未保存"
          description={issues.join('；')}
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<Day & { key: number }>
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 560 }}
        dataSource={days.map((d, key) => ({ ...d, key }))}
        columns={[
          {
            title: '日期',
            dataIndex: 'date',
            render: (v: string, _r, i) => (
              <Input
                value={v}
                placeholder="YYYY-MM-DD"
                onChange={(e) => update(i, { date: e.target.value.trim() })}
              />
            ),
          },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 140,
            render: (v: Day['kind'], _r, i) => (
              <Select
                value={v}
                style={{ width: '100%' }}
                options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
                onChange={(kind) => update(i, { kind })}
              />
            ),
          },
          {
            title: '名称',
            dataIndex: 'name',
            render: (v: string, _r, i) => (
              <Input value={v} onChange={(e) => update(i, { name: e.target.value })} />
            ),
          },
          {
            title: '操作',
            width: 70,
            render: (_v, _r, i) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label="删除"
                onClick={() => setDays((ds) => ds.filter((_, j) => j !== i))}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() => setDays((ds) => [...ds, { date: `${year}-`, kind: 'holiday', name: '' }])}
        >
          增加一天
        </Button>
        <Button type="primary" loading={saving} onClick={save}>
          保存 {year} 年安排
        </Button>
      </Space>
    </Card>
  );
}
