import { Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { FIELD_LABELS } from '../../../../src/domain/household/field-labels.ts';
import type { AuditRow } from './audit.ts';
import { chinaDateTime, hashPrefix } from './format.ts';

const MORE_LABELS: Record<string, string> = {
  id: '编号',
  username: '用户名',
  display_name: '姓名',
  role: '角色',
  area_code: '辖区',
  disabled: '停用',
  locked_until: '锁定至',
  must_change_password: '须改密码',
  version: '版本',
  updated_at: '修改时间',
  created_at: '建立时间',
};

const fieldLabel = (key: string) => FIELD_LABELS[key] ?? MORE_LABELS[key] ?? key;

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function pretty(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields whose values differ between before and after (both objects), with Chinese labels. */
function changedFields(before: unknown, after: unknown): string[] {
  if (!isObject(before) && !isObject(after)) return [];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
}

const preStyle = {
  margin: 0,
  padding: 8,
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  maxHeight: 320,
  overflow: 'auto',
  fontSize: 12,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-all',
} as const;

/** The expanded row of an audit entry: its place in the hash chain and what changed (before → after). */
export function AuditEntryDetail({ row }: { row: AuditRow }) {
  const before = parse(row.before_json);
  const after = parse(row.after_json);
  // For an update, the fields that changed; a creation (nothing before) lists no fields.
  const fields = before === null ? [] : changedFields(before, after);
  return (
    <div data-testid={`audit-detail-${row.id}`} style={{ padding: '4px 0' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'id', label: '日志编号', children: row.id },
          { key: 'chain', label: '链', children: row.chain },
          { key: 'seq', label: '序号', children: <span className="tabular">{row.seq}</span> },
          { key: 'at', label: '时间（UTC）', children: row.at },
          { key: 'local', label: '北京时间', children: chinaDateTime(row.at) },
          { key: 'user', label: '用户编号', children: row.user_id ?? '—' },
          {
            key: 'hash',
            label: '哈希',
            children: (
              <Typography.Text code copyable={{ text: row.hash }} data-testid="audit-hash">
                {hashPrefix(row.hash, 16)}
              </Typography.Text>
            ),
          },
          {
            key: 'prev',
            label: '前一条哈希',
            children: <Typography.Text code>{hashPrefix(row.prev_hash, 16)}</Typography.Text>,
          },
        ]}
      />
      {fields.length > 0 && (
        <Space size={[4, 4]} wrap style={{ margin: '8px 0' }}>
          <Typography.Text type="secondary">变更字段：</Typography.Text>
          {fields.map((f) => (
            <Tag key={f}>{fieldLabel(f)}</Tag>
          ))}
        </Space>
      )}
      {before === null && after === null ? (
        <Typography.Text type="secondary">
          本条记录没有修改前后的内容{row.detail ? `（${row.detail}）` : ''}。
        </Typography.Text>
      ) : (
        <Row gutter={[12, 8]} style={{ marginTop: 8 }}>
          <Col xs={24} md={12}>
            <Typography.Text strong>修改前</Typography.Text>
            <pre style={preStyle}>{before === null ? '（无）' : pretty(before)}</pre>
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text strong>修改后</Typography.Text>
            <pre style={preStyle}>{after === null ? '（无）' : pretty(after)}</pre>
          </Col>
        </Row>
      )}
    </div>
  );
}
