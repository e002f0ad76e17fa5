import { Result } from 'antd';

/** An honest placeholder for a capability that a later release builds; it never pretends to work. */
export function NotOpenPage({ title, description }: { title: string; description: string }) {
  return <Result status="info" title={`${title}：尚未开放`} subTitle={description} data-testid="not-open" />;
}
