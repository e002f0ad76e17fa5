import { App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../utils/form-errors.ts';

interface Props {
  masked: string | null;
  /** Reads the full value from the server (the server records the read in the audit log). */
  load: () => Promise<string | null>;
  canReveal: boolean;
  testId?: string;
}

/** A masked number with a "显示" link that reads the full number (audited) and shows it in place. */
export function RevealValue({ masked, load, canReveal, testId = 'reveal' }: Props) {
  const { message } = App.useApp();
  const [full, setFull] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  if (masked === null) return <span>—</span>;
  const reveal = async () => {
    setLoading(true);
    try {
      setFull(await load());
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space size={4} wrap={false} style={{ whiteSpace: 'nowrap' }}>
      <span className="tabular" data-testid={`${testId}-value`}>
        {full ?? masked}
      </span>
      {canReveal &&
        (full === null ? (
          <Tooltip title="查看完整号码将记入审计日志">
            <Button
              type="link"
              size="small"
              style={{ padding: 0, height: 'auto' }}
              loading={loading}
              onClick={() => void reveal()}
              data-testid={`${testId}-show`}
            >
              显示
            </Button>
          </Tooltip>
        ) : (
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto' }}
            onClick={() => setFull(null)}
            data-testid={`${testId}-hide`}
          >
            隐藏
          </Button>
        ))}
    </Space>
  );
}
