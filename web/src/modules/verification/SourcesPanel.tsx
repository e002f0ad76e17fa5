import { DownloadOutlined, ReloadOutlined, SettingOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Dropdown,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { download, templateUrl } from './api.ts';
import { ConnectorModal } from './ConnectorModal.tsx';
import { BREAKER, formatTime, MODES, SNAPSHOT_STATUS, sourceLabel } from './labels.ts';
import { RowErrorsTable } from './RowErrorsTable.tsx';
import type { RowError, SnapshotItem, SourceItem } from './types.ts';
import { UploadModal } from './UploadModal.tsx';

/** The errors of a rejected snapshot, loaded when its row is opened. */
function SnapshotErrors({ snapshot }: { snapshot: SnapshotItem }) {
  const { data, error } = useApi<SnapshotItem & { errors?: RowError[] }>(
    snapshot.errors ? null : `/api/v1/departments/snapshots/${snapshot.id}`,
  );
  if (error) return <Alert type="error" showIcon title={error.message} />;
  const errors = snapshot.errors ?? data?.errors ?? [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">该文件未导入，当时生效的数据继续有效。问题如下：</Typography.Text>
      <RowErrorsTable errors={errors} testId={`snapshot-errors-${snapshot.id}`} />
    </Space>
  );
}

/**
 * 数据源: where each department's data comes from (an interface or a dated file snapshot), the snapshot in
 * force, the circuit breaker of the interface; importing a file; the history of imports with refused files.
 */
export function SourcesPanel() {
  const me = useMe();
  const { message } = App.useApp();
  const sources = useApi<{ items: SourceItem[] }>('/api/v1/departments/sources');
  const [historySource, setHistorySource] = useState<string | undefined>();
  const snapshots = useApi<{ items: SnapshotItem[] }>(
    `/api/v1/departments/snapshots${query({ sourceCode: historySource })}`,
  );
  const [uploading, setUploading] = useState<string | null | undefined>(undefined);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [configuring, setConfiguring] = useState<SourceItem | null>(null);
  const list = sources.data?.items ?? [];
  const canImport = can(me, 'dept.manage') || can(me, 'dept.submit');
  const canManage = can(me, 'dept.manage');

  const getTemplate = async (code: string, format: 'xlsx' | 'csv') => {
    setDownloadError(null);
    try {
      const name = await download(templateUrl(code, format), `${sourceLabel(code)}模板.${format}`);
      message.success(`已下载 ${name}`);
    } catch (e) {
      setDownloadError(e instanceof Error ? e.message : String(e));
    }
  };

  const columns: TableColumnsType<SourceItem> = [
    {
      title: '数据源',
      dataIndex: 'label',
      width: 130,
      render: (label: string, s) => <span data-testid={`source-${s.code}`}>{label}</span>,
    },
    { title: '提供部门', dataIndex: 'department', width: 200 },
    {
      title: '方式',
      dataIndex: 'mode',
      width: 90,
      render: (m: string, s) => (
        <Tooltip
          title={
            m === 'connector'
              ? `接口地址：${s.connectorUrl ?? '—'}；超时 ${s.timeoutMs} 毫秒，重试 ${s.maxRetries} 次，连续失败 ${s.breakerThreshold} 次熔断`
              : '定期导入部门数据文件'
          }
        >
          <Tag color={m === 'connector' ? 'blue' : 'default'}>{MODES[m] ?? m}</Tag>
        </Tooltip>
      ),
    },
    {
      title: '生效中的数据（快照）',
      key: 'inForce',
      width: 260,
      render: (_, s) =>
        s.inForce ? (
          <span className="tabular" data-testid={`in-force-${s.code}`}>
            截至 {s.inForce.asOf}，{s.inForce.rowCount.toLocaleString('zh-CN')} 条
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              导入于 {formatTime(s.inForce.importedAt)}
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="warning" data-testid={`in-force-${s.code}`}>
            {s.mode === 'connector' ? '无（仅接口查询）' : '尚未导入'}
          </Typography.Text>
        ),
    },
    {
      title: '接口状态',
      dataIndex: 'breaker',
      width: 130,
      render: (b: string, s) =>
        s.mode === 'connector' ? <Tag color={BREAKER[b]?.color}>{BREAKER[b]?.label ?? b}</Tag> : '—',
    },
    {
      title: '操作',
      key: 'actions',
      width: 340,
      fixed: 'right',
      render: (_, s) => (
        <Space size={4} wrap>
          {canImport && (
            <Button
              size="small"
              icon={<UploadOutlined />}
              onClick={() => setUploading(s.code)}
              data-testid={`upload-${s.code}`}
            >
              导入
            </Button>
          )}
          <Dropdown
            menu={{
              items: [
                { key: 'xlsx', label: 'Excel 模板（.xlsx）' },
                { key: 'csv', label: 'CSV 模板（.csv）' },
              ],
              onClick: ({ key }) => void getTemplate(s.code, key as 'xlsx' | 'csv'),
            }}
          >
            <Button size="small" icon={<DownloadOutlined />}>
              模板
            </Button>
          </Dropdown>
          <Button size="small" type="link" onClick={() => setHistorySource(s.code)}>
            导入记录
          </Button>
          {canManage && (
            <Button
              size="small"
              icon={<SettingOutlined />}
              onClick={() => setConfiguring(s)}
              data-testid={`source-settings-${s.code}`}
            >
              接口设置
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const snapshotColumns: TableColumnsType<SnapshotItem> = [
    { title: '编号', dataIndex: 'id', width: 70 },
    { title: '数据源', dataIndex: 'sourceCode', width: 120, render: (c: string) => sourceLabel(c) },
    { title: '文件', dataIndex: 'fileName', ellipsis: true },
    { title: '数据截至', dataIndex: 'asOf', width: 110 },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (st: string) => (
        <Tag color={SNAPSHOT_STATUS[st]?.color} data-testid="snapshot-status">
          {SNAPSHOT_STATUS[st]?.label ?? st}
        </Tag>
      ),
    },
    {
      title: '记录 / 问题',
      key: 'counts',
      width: 120,
      render: (_, x) =>
        x.status === 'rejected' ? (
          <Typography.Text type="danger">{x.errorCount} 处问题</Typography.Text>
        ) : (
          <span className="tabular">{x.rowCount.toLocaleString('zh-CN')} 条</span>
        ),
    },
    { title: '导入人', dataIndex: 'importedBy', width: 110 },
    {
      title: '导入时间',
      dataIndex: 'importedAt',
      width: 150,
      render: (t: string) => <span className="tabular">{formatTime(t)}</span>,
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="部门数据源"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={sources.reload}>
              刷新
            </Button>
            {canImport && (
              <Button
                type="primary"
                icon={<UploadOutlined />}
                onClick={() => setUploading(null)}
                data-testid="upload-open"
              >
                导入部门数据
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          “接口”方式实时查询部门接口，接口不可用时改用最近一次导入的快照；“快照”方式使用定期导入的部门数据文件。导入的文件须先全部通过校验才会生效，否则原有数据继续有效。
        </Typography.Paragraph>
        {sources.error && (
          <Alert type="error" showIcon title={sources.error.message} style={{ marginBottom: 12 }} />
        )}
        {downloadError && (
          <Alert
            type="error"
            showIcon
            title={downloadError}
            closable={{ onClose: () => setDownloadError(null) }}
            style={{ marginBottom: 12 }}
          />
        )}
        <Table<SourceItem>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={list}
          loading={sources.loading}
          scroll={{ x: 1180 }}
          pagination={false}
          data-testid="source-list"
          locale={{ emptyText: '没有配置数据源' }}
        />
      </Card>
      <Card
        title="导入记录"
        extra={
          <Space>
            <Select
              allowClear
              placeholder="全部数据源"
              style={{ width: 180 }}
              value={historySource}
              onChange={setHistorySource}
              options={list.map((s) => ({ value: s.code, label: s.label }))}
              data-testid="snapshot-source"
            />
            <Button icon={<ReloadOutlined />} onClick={snapshots.reload}>
              刷新
            </Button>
          </Space>
        }
      >
        {snapshots.error && <Alert type="error" showIcon title={snapshots.error.message} />}
        <Table<SnapshotItem>
          rowKey="id"
          size="small"
          columns={snapshotColumns}
          dataSource={snapshots.data?.items ?? []}
          loading={snapshots.loading}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          expandable={{
            rowExpandable: (x) => x.status === 'rejected',
            expandedRowRender: (x) => <SnapshotErrors snapshot={x} />,
          }}
          data-testid="snapshot-history"
          locale={{ emptyText: '还没有导入记录' }}
        />
      </Card>
      {configuring && (
        <ConnectorModal source={configuring} onClose={() => setConfiguring(null)} onSaved={sources.reload} />
      )}
      {uploading !== undefined && (
        <UploadModal
          sources={list}
          initialSource={uploading ?? undefined}
          onClose={() => setUploading(undefined)}
          onImported={() => {
            sources.reload();
            snapshots.reload();
          }}
        />
      )}
    </Space>
  );
}
