import { FileSearchOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import type { Me } from '../auth/access.ts';
import { can } from '../auth/access.ts';
import { ConclusionTag } from './ConclusionTag.tsx';
import { formatTime } from './labels.ts';
import { RequestModal } from './RequestModal.tsx';
import type { ReportListItem } from './types.ts';

/**
 * 核对报告 on a case (DOMAIN §3.4): the latest report's conclusion with a link to it, and 发起核对 for
 * users who may request a verification while the case is open.
 */
export function VerificationCard({
  caseId,
  householdId,
  programCode,
  me,
  open,
  onVerified,
}: {
  caseId: number;
  householdId: number;
  programCode: string;
  me: Me;
  open: boolean;
  /** Called once a verification has produced its report (the case page reloads the whole case). */
  onVerified?: () => void;
}) {
  const canRead = can(me, 'verify.read');
  const { data, error, reload } = useApi<{ items: ReportListItem[] }>(
    canRead ? `/api/v1/verification/reports${query({ caseId })}` : null,
  );
  const [requesting, setRequesting] = useState(false);
  const reports = [...(data?.items ?? [])].sort((a, b) => b.id - a.id);
  const latest = reports[0];

  return (
    <Space orientation="vertical" size={4} data-testid="verification-report">
      {!canRead ? (
        <Typography.Text type="secondary">无权查看核对报告</Typography.Text>
      ) : error ? (
        <Typography.Text type="danger">{error.message}</Typography.Text>
      ) : !data ? (
        <Typography.Text type="secondary">正在加载…</Typography.Text>
      ) : latest ? (
        <Space wrap size={4}>
          <ConclusionTag
            code={latest.conclusionCode}
            label={latest.conclusionLabel}
            testId="verification-conclusion"
          />
          <Link to={`/verification/reports/${latest.id}`} data-testid="verification-report-link">
            {latest.reportNo}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatTime(latest.createdAt)}
            {latest.differenceCount > 0 ? `，差异 ${latest.differenceCount} 项` : ''}
            {reports.length > 1 ? `；共 ${reports.length} 份报告` : ''}
          </Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="warning" data-testid="verification-none">
          尚未核对
        </Typography.Text>
      )}
      {open && can(me, 'verify.request') && (
        <Button
          size="small"
          icon={<FileSearchOutlined />}
          onClick={() => setRequesting(true)}
          data-testid="verification-request"
        >
          发起核对
        </Button>
      )}
      {requesting && (
        <RequestModal
          caseId={caseId}
          householdId={householdId}
          programCode={programCode}
          onDone={() => {
            reload();
            onVerified?.();
          }}
          onClose={() => {
            setRequesting(false);
            reload();
          }}
        />
      )}
    </Space>
  );
}
