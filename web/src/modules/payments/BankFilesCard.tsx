import { DownloadOutlined, FileExcelOutlined, ImportOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type ApiError, query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { Money } from '../../ui/Money.tsx';
import { download } from './api.ts';
import { formatTime } from './labels.ts';
import { ReturnImportModal } from './ReturnImportModal.tsx';
import type { BankBatch, BankFile, BankFiles } from './types.ts';

/**
 * 银行代发文件: one file per bank (CSV or Excel, in the bank's layout); each export is a batch, and the
 * bank's return file (回盘) is imported against its batch, marking the failed lines.
 */
export function BankFilesCard({
  payrollId,
  batches,
  canExport,
  onReturnImported,
}: {
  payrollId: number;
  /** The payroll's bank batches (loaded by the page, which also needs their failed counts). */
  batches: {
    data: { items: BankBatch[] } | null;
    error: ApiError | null;
    loading: boolean;
    reload: () => void;
  };
  canExport: boolean;
  onReturnImported: () => void;
}) {
  const { message } = App.useApp();
  const files = useApi<BankFiles>(`/api/v1/payrolls/${payrollId}/bank-files`);
  const [busy, setBusy] = useState<string | null>(null);
  const [importing, setImporting] = useState<BankBatch | null>(null);

  const get = async (bankName: string, format: 'csv' | 'xlsx') => {
    setBusy(`${bankName}-${format}`);
    try {
      const name = await download(
        `/api/v1/payrolls/${payrollId}/bank-files/${encodeURIComponent(bankName)}${query({ format })}`,
        `${bankName}.${format}`,
      );
      message.success(`已下载 ${name}，已登记为代发批次`);
      files.reload();
      batches.reload();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const again = async (b: BankBatch) => {
    setBusy(`batch-${b.id}`);
    try {
      await download(`/api/v1/bank-batches/${b.id}/file`, b.fileName);
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const missing = files.data?.notExportable;

  return (
    <Card title="银行代发文件" data-testid="bank-files">
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          按开户行分别导出代发文件交银行；每导出一次即登记为一个代发批次，已导出的明细不会重复导出。银行处理后，将回盘文件按批次导入。
        </Typography.Text>
        {files.error && <Alert type="error" showIcon title={files.error.message} />}
        {missing && missing.lineCount > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="not-exportable"
            title={`${missing.householdCount} 户（${missing.lineCount} 笔明细）无法代发${
              missing.noAccountLineCount > 0
                ? `，其中 ${missing.noAccountLineCount} 笔未登记开户行或账号`
                : ''
            }，请补登银行账户后重新发放。`}
          />
        )}
        <Table<BankFile>
          rowKey="bankName"
          size="small"
          pagination={false}
          loading={files.loading}
          dataSource={files.data?.items ?? []}
          locale={{
            emptyText: <Empty description="没有可代发的明细" image={Empty.PRESENTED_IMAGE_SIMPLE} />,
          }}
          data-testid="bank-file-list"
          columns={[
            { title: '开户行', dataIndex: 'bankName', width: 200 },
            {
              title: '笔数',
              dataIndex: 'lineCount',
              width: 90,
              align: 'right',
              render: (n: number) => <span className="tabular">{n.toLocaleString('zh-CN')}</span>,
            },
            {
              title: '户数',
              dataIndex: 'householdCount',
              width: 90,
              align: 'right',
              render: (n: number) => <span className="tabular">{n.toLocaleString('zh-CN')}</span>,
            },
            {
              title: '金额合计',
              dataIndex: 'totalFen',
              width: 150,
              align: 'right',
              render: (fen: number, f) => (
                <span data-testid={`bank-total-${f.bankName}`}>
                  <Money fen={fen} />
                </span>
              ),
            },
            {
              title: '下载',
              key: 'download',
              render: (_, f) =>
                canExport ? (
                  <Space>
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      loading={busy === `${f.bankName}-csv`}
                      onClick={() => get(f.bankName, 'csv')}
                      data-testid={`download-csv-${f.bankName}`}
                    >
                      CSV
                    </Button>
                    <Button
                      size="small"
                      icon={<FileExcelOutlined />}
                      loading={busy === `${f.bankName}-xlsx`}
                      onClick={() => get(f.bankName, 'xlsx')}
                      data-testid={`download-xlsx-${f.bankName}`}
                    >
                      Excel
                    </Button>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">无导出权限</Typography.Text>
                ),
            },
          ]}
        />
        <div>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            已导出批次与回盘
          </Typography.Title>
          {batches.error && <Alert type="error" showIcon title={batches.error.message} />}
          <Table<BankBatch>
            rowKey="id"
            size="small"
            pagination={false}
            loading={batches.loading}
            dataSource={batches.data?.items ?? []}
            locale={{ emptyText: '尚未导出代发文件' }}
            data-testid="bank-batches"
            columns={[
              {
                title: '批次号',
                dataIndex: 'id',
                width: 80,
                render: (id: number) => <span className="tabular">{id}</span>,
              },
              { title: '开户行', dataIndex: 'bankName', width: 180 },
              { title: '格式', dataIndex: 'format', width: 70, render: (f: string) => f.toUpperCase() },
              {
                title: '笔数 / 金额',
                key: 'sum',
                width: 180,
                render: (_, b) => (
                  <span className="tabular">
                    {b.lineCount} 笔，
                    <Money fen={b.totalFen} />
                  </span>
                ),
              },
              { title: '导出时间', dataIndex: 'exportedAt', width: 150, render: formatTime },
              {
                title: '回盘',
                key: 'return',
                width: 200,
                render: (_, b) =>
                  b.returnImportedAt ? (
                    <Space size={4} wrap>
                      <Tag color={b.failedCount > 0 ? 'error' : 'success'} data-testid="batch-return-status">
                        成功 {b.paidCount} 笔{b.failedCount > 0 ? `，失败 ${b.failedCount} 笔` : ''}
                      </Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(b.returnImportedAt)}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <Tag>待回盘</Tag>
                  ),
              },
              {
                title: '操作',
                key: 'ops',
                width: 220,
                render: (_, b) =>
                  canExport ? (
                    <Space>
                      <Button
                        size="small"
                        icon={<DownloadOutlined />}
                        loading={busy === `batch-${b.id}`}
                        onClick={() => again(b)}
                      >
                        再次下载
                      </Button>
                      {b.paidCount + b.failedCount < b.lineCount && (
                        <Button
                          size="small"
                          type="primary"
                          icon={<ImportOutlined />}
                          onClick={() => setImporting(b)}
                          data-testid={`import-return-${b.id}`}
                        >
                          回盘导入
                        </Button>
                      )}
                    </Space>
                  ) : null,
              },
            ]}
          />
        </div>
      </Space>
      {importing && (
        <ReturnImportModal
          batch={importing}
          onClose={() => setImporting(null)}
          onImported={() => {
            setImporting(null);
            batches.reload();
            onReturnImported();
          }}
        />
      )}
    </Card>
  );
}
