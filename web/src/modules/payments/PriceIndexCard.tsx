import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { isDecimalString } from '../../../../src/domain/money/money.ts';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { formatPayMonth, formatTime, programName } from './labels.ts';

/** GET /api/v1/price-indices item (src/modules/payroll/payroll.service.ts priceIndexView). */
interface PriceIndex {
  month: string;
  cpiYoY: string | null;
  foodYoY: string | null;
  publishedOn: string | null;
  source: string | null;
  createdBy: string;
  createdAt: string;
}

interface Values {
  month: Dayjs;
  cpiYoY?: string;
  foodYoY?: string;
  publishedOn?: Dayjs | null;
  source?: string;
}

const pct = (v: string | null) => (v === null ? '—' : `${v}%`);

/** An empty field is "not published" (null); otherwise a plain decimal such as 3.6 or -0.4. */
const yoyRule = {
  validator: (_: unknown, v: string | undefined) =>
    !v || isDecimalString(v.trim())
      ? Promise.resolve()
      : Promise.reject(new Error('同比涨幅应写成小数，如 3.6、-0.4（单位 %）')),
};

/**
 * 价格指数 (DOMAIN §8.4): the month's CPI and food-price rises year on year, which trigger the 价格临时补贴
 * in the payroll. Entered (or corrected) by county users who generate payrolls; correcting a month an
 * approved payroll paid makes the next payrolls pay the difference (补发/追回).
 */
export function PriceIndexCard() {
  const { message } = App.useApp();
  const { data, error, loading, reload } = useApi<{ items: PriceIndex[] }>('/api/v1/price-indices');
  /** The month being corrected, or 'new'. */
  const [editing, setEditing] = useState<PriceIndex | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();

  const open = (row: PriceIndex | 'new') => {
    setSaveError(null);
    form.resetFields();
    if (row === 'new') {
      form.setFieldsValue({ month: dayjs().startOf('month') });
    } else {
      form.setFieldsValue({
        month: dayjs(`${row.month}-01`),
        cpiYoY: row.cpiYoY ?? '',
        foodYoY: row.foodYoY ?? '',
        publishedOn: row.publishedOn ? dayjs(row.publishedOn) : null,
        source: row.source ?? '',
      });
    }
    setEditing(row);
  };

  const save = async (v: Values) => {
    const month = v.month.format('YYYY-MM');
    const blank = (s: string | undefined) => (s?.trim() ? s.trim() : null);
    setBusy(true);
    setSaveError(null);
    try {
      const res = await api.put<PriceIndex & { recalculation: string[] }>(`/api/v1/price-indices/${month}`, {
        cpiYoY: blank(v.cpiYoY),
        foodYoY: blank(v.foodYoY),
        publishedOn: v.publishedOn ? v.publishedOn.format('YYYY-MM-DD') : null,
        source: blank(v.source),
      });
      message.success(
        res.recalculation.length > 0
          ? `已保存 ${formatPayMonth(month)} 价格指数；${res.recalculation.map((p) => programName(p)).join('、')}的下月名册将补发或追回差额`
          : `已保存 ${formatPayMonth(month)} 价格指数`,
      );
      setEditing(null);
      reload();
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<PriceIndex> = [
    {
      title: '月份',
      dataIndex: 'month',
      width: 110,
      render: (m: string) => <span className="tabular">{formatPayMonth(m)}</span>,
    },
    {
      title: 'CPI 同比',
      dataIndex: 'cpiYoY',
      width: 100,
      align: 'right',
      render: (v: string | null) => <span className="tabular">{pct(v)}</span>,
    },
    {
      title: '食品价格同比',
      dataIndex: 'foodYoY',
      width: 120,
      align: 'right',
      render: (v: string | null) => <span className="tabular">{pct(v)}</span>,
    },
    { title: '发布日期', dataIndex: 'publishedOn', width: 110, render: (d: string | null) => d ?? '—' },
    { title: '来源', dataIndex: 'source', render: (s: string | null) => s ?? '—' },
    {
      title: '录入',
      key: 'by',
      width: 180,
      render: (_, r) => `${r.createdBy}（${formatTime(r.createdAt)}）`,
    },
    {
      title: '操作',
      key: 'ops',
      width: 80,
      render: (_, r) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => open(r)}
          data-testid={`price-index-edit-${r.month}`}
        >
          更正
        </Button>
      ),
    },
  ];

  return (
    <Card
      title="价格指数（价格临时补贴联动）"
      data-testid="price-index-card"
      extra={
        <Button icon={<PlusOutlined />} onClick={() => open('new')} data-testid="price-index-add">
          录入
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        按统计部门公布的居民消费价格指数（CPI）和食品价格同比涨幅录入；达到启动条件的月份，名册自动计发价格临时补贴。
        更正已发放月份的指数后，下月名册补发或追回差额。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Table<PriceIndex>
        rowKey="month"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: '尚未录入价格指数' }}
        data-testid="price-index-table"
      />
      {editing && (
        <Modal
          open
          title={editing === 'new' ? '录入价格指数' : `更正 ${formatPayMonth(editing.month)} 价格指数`}
          okText="保存"
          cancelText="取消"
          onOk={() => form.submit()}
          okButtonProps={{ loading: busy, 'data-testid': 'price-index-save' } as ButtonProps}
          onCancel={() => setEditing(null)}
        >
          <Form form={form} layout="vertical" onFinish={save} data-testid="price-index-form">
            <Form.Item name="month" label="月份" rules={[{ required: true, message: '请选择月份' }]}>
              <DatePicker
                picker="month"
                format="YYYY年MM月"
                disabled={editing !== 'new'}
                data-testid="price-index-month"
              />
            </Form.Item>
            <Form.Item name="cpiYoY" label="CPI 同比涨幅（%）" rules={[yoyRule]} extra="未公布的留空">
              <Input placeholder="如 3.6" style={{ width: 160 }} data-testid="price-index-cpi" />
            </Form.Item>
            <Form.Item name="foodYoY" label="食品价格同比涨幅（%）" rules={[yoyRule]} extra="未公布的留空">
              <Input placeholder="如 6.2" style={{ width: 160 }} data-testid="price-index-food" />
            </Form.Item>
            <Form.Item name="publishedOn" label="发布日期">
              <DatePicker />
            </Form.Item>
            <Form.Item name="source" label="来源" rules={[{ max: 200, message: '来源不超过 200 字' }]}>
              <Input placeholder="如 韶关市统计局" />
            </Form.Item>
            {saveError && <Alert type="error" showIcon title={saveError} />}
          </Form>
        </Modal>
      )}
    </Card>
  );
}
