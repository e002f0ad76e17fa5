import { Button, Result } from 'antd';
import type { ApiError } from '../api/client.ts';

/** Shows an API error as a page: 403 (another area), 404, or anything else, with the server's message. */
export function ErrorResult({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const status = error.status === 403 ? '403' : error.status === 404 ? '404' : 'error';
  const title = error.status === 403 ? '无权访问' : error.status === 404 ? '记录不存在' : '出错了';
  return (
    <Result
      status={status}
      title={title}
      subTitle={error.message}
      data-testid="error-result"
      extra={onRetry && error.status >= 500 ? <Button onClick={onRetry}>重试</Button> : undefined}
    />
  );
}
