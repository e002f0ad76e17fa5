import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  type ButtonProps,
  DatePicker,
  Form,
  Modal,
  Result,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { importSnapshot } from './api.ts';
import { RowErrorsTable } from './RowErrorsTable.tsx';
import type { ImportResult, RowError, SourceItem } from './types.ts';

/**
 * The refused file's problems as the server sends them (issues: field = column, row, message = reason with the
 * value quoted at the end: '日期应为 YYYY-MM-DD 格式（“2015-13-45”）') as rows of the error table.
 */
function issuesAsRowErrors(e: ApiError): RowError[] {
  return e.issues.map((i) => {
    const m = /^(?:rows?\[(\d+)\]\.?|第\s*(\d+)\s*行\s*)?(.*)$/.exec(i.field ?? '');
    const row = Number(m?.[1] ?? m?.[2] ?? (i as { row?: number }).row ?? 0);
    const quoted = /^(.*)（“(.*)”）$/s.exec(i.message);
    return {
      row,
      column: m?.[3] || i.field || '—',
      value: quoted?.[2] ?? '',
      reason: quoted?.[1] ?? i.message,
    };
  });
}

/**
 * 导入部门数据: a department's file (xlsx, csv or json in the source's layout) and the date it describes.
 * The server checks every row first; a file with any problem is refused whole and the data in force stays.
 */
export function UploadModal({
  sources,
  initialSource,
  onClose,
  onImported,
}: {
  sources: SourceItem[];
  initialSource?: string | undefined;
  onClose: () => void;
  onImported: () => void;
}) {
  const [source, setSource] = useState<string | undefined>(initialSource);
  const [asOf, setAsOf] = useState<Dayjs | null>(dayjs());
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const current = sources.find((s) => s.code === source);

  const submit = async () => {
    if (!file || !source || !asOf) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await importSnapshot(source, file, asOf.format('YYYY-MM-DD'));
      setResult(r);
      onImported();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
      setError(err);
      // A refused file is kept in the import history (with its problems): refresh it too.
      if (err.status === 400) onImported();
    } finally {
      setBusy(false);
    }
  };

  const rejected = result?.status === 'rejected' ? result.errors : error ? issuesAsRowErrors(error) : [];
  const keepNote = current?.inForce
    ? `原有数据（截至 ${current.inForce.asOf}，${current.inForce.rowCount.toLocaleString('zh-CN')} 条）继续有效，未作任何改动。`
    : '该数据源原来没有生效的数据，本次未导入任何记录。';

  return (
    <Modal
      open
      width={820}
      title="导入部门数据"
      onCancel={onClose}
      maskClosable={false}
      footer={
        result?.status === 'in_force' ? (
          <Button type="primary" onClick={onClose} data-testid="upload-close">
            完成
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>关闭</Button>
            <Button
              type="primary"
              loading={busy}
              disabled={!file || !source || !asOf}
              onClick={submit}
              {...({ 'data-testid': 'upload-submit' } as ButtonProps)}
            >
              校验并导入
            </Button>
          </Space>
        )
      }
    >
      {result?.status === 'in_force' ? (
        <Result
          status="success"
          title="导入成功，新数据已生效"
          subTitle={`共 ${result.rowCount.toLocaleString('zh-CN')} 条记录；数据截至 ${asOf?.format('YYYY-MM-DD') ?? ''}。原有数据已被替换。`}
          data-testid="upload-success"
        />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="upload-form">
          <Form layout="vertical">
            <Form.Item label="数据源" required>
              <Select
                value={source}
                onChange={(v: string) => {
                  setSource(v);
                  setResult(null);
                  setError(null);
                }}
                placeholder="请选择数据源"
                options={sources.map((s) => ({ value: s.code, label: `${s.label}（${s.department}）` }))}
                data-testid="upload-source"
              />
            </Form.Item>
            <Form.Item
              label="数据截至日期"
              required
              extra="部门数据所反映情况的日期（导出日期），不能晚于今天。"
            >
              <DatePicker
                value={asOf}
                onChange={setAsOf}
                format="YYYY-MM-DD"
                style={{ width: 200 }}
                data-testid="upload-as-of"
              />
            </Form.Item>
            <Form.Item
              label="数据文件"
              required
              extra="Excel（.xlsx）、CSV 或 JSON，列须与该数据源的模板一致。"
            >
              <Upload
                accept=".csv,.xlsx,.json"
                maxCount={1}
                beforeUpload={(f) => {
                  setFile(f);
                  setError(null);
                  setResult(null);
                  return false;
                }}
                onRemove={() => {
                  setFile(null);
                  setError(null);
                  setResult(null);
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="upload-choose">
                  选择文件
                </Button>
              </Upload>
            </Form.Item>
          </Form>
          {(result?.status === 'rejected' || error) && (
            <Alert
              type="error"
              showIcon
              data-testid="upload-rejected"
              title={
                result?.status === 'rejected'
                  ? `文件未通过校验，共 ${result.errors.length} 处问题，本次未导入`
                  : (error?.message ?? '导入失败')
              }
              description={
                <>
                  {keepNote}
                  <Typography.Text type="secondary" style={{ display: 'block' }}>
                    请按下表逐行改正后重新导入。
                  </Typography.Text>
                </>
              }
            />
          )}
          {rejected.length > 0 && <RowErrorsTable errors={rejected} testId="upload-errors" />}
        </Space>
      )}
    </Modal>
  );
}
