import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import type { ApiError } from '../../../api/client.ts';
import { isRefused, isStale } from '../utils/errors.ts';

interface Props {
  error: ApiError;
  /** Reasons not placed on a form field (see reasonsOf). */
  reasons: string[];
  /** Reload the case (after a stale version). */
  onReload(): void;
}

/** Why a submission did not go through, with the server's reasons, or a reload after someone else acted. */
export function SubmitError({ error, reasons, onReload }: Props) {
  if (isStale(error)) {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="stale-alert"
        title="该个案已被他人办理，请刷新"
        description="刷新后可看到最新的办理情况，再决定是否继续办理。本次填写的内容未保存。"
        action={
          <Button size="small" icon={<ReloadOutlined />} onClick={onReload}>
            刷新
          </Button>
        }
      />
    );
  }
  if (reasons.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="refusal-alert"
      title={isRefused(error) ? '不能办理，原因如下：' : '提交未成功'}
      description={
        reasons.length === 1 && !isRefused(error) ? (
          reasons[0]
        ) : (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
