import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, type FieldIssue } from '../../api/client.ts';
import { Money } from '../../ui/Money.tsx';
import { importReturn } from './api.ts';
import type { BankBatch } from './types.ts';

/** 'rows[3].account' or '第3行 账号' → { row, field } for the error table. */
function splitIssue(i: FieldIssue, n: number): { key: string; row: string; field: string; message: string } {
  const m = /^(?:rows?\[(\d+)\]\.?)?(.*)$/.exec(i.field);
  return {
    key: `${n}`,
    row: m?.[1] !== undefined ? `第 ${m[1]} 行` : '—',
    field: m?.[2] || i.field || '—',
    message: i.message,
  };
}

/** 回盘导入: the bank's return file of one batch; rows the bank could not pay become failed lines. */
export function ReturnImportModal({
  batch,
  onClose,
  onImported,
}: {
  batch: BankBatch;
  onClose: () => void;
  onImported: () => void;
}) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await importReturn(batch.id, file);
      if (r.failedCount > 0) message.warning(`${r.message}。失败的明细请在“发放失败”中处理`);
      else message.success(r.message);
      onImported();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={`回盘导入 — ${batch.bankName}（批次 ${batch.id}）`}
      onCancel={onClose}
      okText="导入"
      onOk={submit}
      okButtonProps={{ disabled: !file, loading: busy, 'data-testid': 'return-submit' } as ButtonProps}
      maskClosable={false}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="return-import">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          本批次共 {batch.lineCount} 笔，合计 <Money fen={batch.totalFen} />
          。请选择银行返回的回盘文件（CSV 或
          Excel），系统按行核对，失败的发放明细可在下方“发放失败”中重新发放或暂停。
        </Typography.Paragraph>
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setError(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setError(null);
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="return-choose">
            选择回盘文件
          </Button>
        </Upload>
        {error && <Alert type="error" showIcon title={error.message} data-testid="return-error" />}
        {error && error.issues.length > 0 && (
          <Table
            size="small"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={error.issues.map(splitIssue)}
            data-testid="return-issues"
            columns={[
              { title: '行', dataIndex: 'row', width: 90 },
              { title: '字段', dataIndex: 'field', width: 140 },
              { title: '问题', dataIndex: 'message' },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}
