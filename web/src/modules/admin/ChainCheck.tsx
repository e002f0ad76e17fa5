import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { BREAK_REASONS, type ChainReport } from './audit.ts';
import { chinaDateTime } from './format.ts';

/**
 * 校验哈希链: recomputes every entry's hash on the server (GET /api/v1/audit/verify). Runs once when the
 * page opens and again on demand; a break names the first broken entry and offers to show it in the list.
 */
export function ChainCheck({ onLocate, locating }: { onLocate(id: number): void; locating: boolean }) {
  const [report, setReport] = useState<ChainReport | null>(null);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const run = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setReport(await api.get<ChainReport>('/api/v1/audit/verify'));
      setCheckedAt(new Date().toISOString());
    } catch (e) {
      setReport(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void run();
  }, [run]);

  const broken = report?.firstBroken;
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <span>
          <SafetyCertificateOutlined /> 审计日志完整性
        </span>
      }
      extra={
        <Button onClick={() => void run()} loading={loading} data-testid="verify-chain">
          校验哈希链
        </Button>
      }
    >
      <div data-testid="chain-result">
        {error && <Alert type="warning" showIcon title={`校验未完成：${error}`} />}
        {!error && !report && <Typography.Text type="secondary">正在校验……</Typography.Text>}
        {report?.ok && (
          <Alert
            type="success"
            showIcon
            title={`审计日志完整：共校验 ${report.entriesChecked.toLocaleString('zh-CN')} 条记录`}
            description={`每条记录的哈希均与其内容和前一条记录相符，没有记录被篡改、删除或插入。${
              checkedAt ? `校验时间 ${chinaDateTime(checkedAt)}。` : ''
            }`}
          />
        )}
        {report && !report.ok && broken && (
          <Alert
            type="error"
            showIcon
            title="审计日志哈希链已断裂：有记录被篡改、删除或插入"
            description={
              <>
                <Descriptions
                  size="small"
                  column={{ xs: 1, sm: 2, lg: 4 }}
                  style={{ marginTop: 8 }}
                  items={[
                    { key: 'id', label: '编号', children: broken.id },
                    { key: 'chain', label: '链', children: broken.chain },
                    { key: 'seq', label: '序号', children: broken.seq },
                    {
                      key: 'reason',
                      label: '原因',
                      children: BREAK_REASONS[broken.reason] ?? broken.reason,
                    },
                  ]}
                />
                {!['HASH_MISMATCH', 'PREV_HASH_MISMATCH'].includes(broken.reason) && (
                  <Typography.Paragraph style={{ marginBottom: 4 }}>{broken.message}</Typography.Paragraph>
                )}
                <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
                  此前共校验 {report.entriesChecked.toLocaleString('zh-CN')}{' '}
                  条完好的记录。请保留现场并报告县级管理员，可用备份核对被改动的内容。
                </Typography.Paragraph>
                <Button
                  type="link"
                  style={{ padding: 0 }}
                  loading={locating}
                  onClick={() => onLocate(broken.id)}
                  data-testid="locate-broken"
                >
                  在日志列表中查看编号 {broken.id} 的记录
                </Button>
              </>
            }
          />
        )}
      </div>
    </Card>
  );
}
