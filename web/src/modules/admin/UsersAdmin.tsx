import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Input,
  Popconfirm,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorResult } from '../../ui/ErrorResult.tsx';
import { useMe } from '../auth/AuthProvider.tsx';
import { can } from '../auth/access.ts';
import { useCountyAreas } from './areas.ts';
import { chinaHourMinute } from './format.ts';
import { ResetPasswordModal } from './ResetPasswordModal.tsx';
import { UserFormModal } from './UserFormModal.tsx';
import { isLocked, roleLabel, type UserRow } from './users.ts';

/** 系统管理 › 用户管理 (县级管理员 only; the server refuses everyone else anyway). */
export function UsersAdmin() {
  const me = useMe();
  if (!can(me, 'users.manage'))
    return (
      <ErrorResult
        error={
          new ApiError(403, {
            code: 'FORBIDDEN',
            message: `您的角色（${me.roleLabel}）无权管理用户账户，用户管理仅限县级管理员使用。`,
          })
        }
      />
    );
  return <UsersTable />;
}

function UserStatus({ user }: { user: UserRow }) {
  const tags = [];
  if (user.disabled) tags.push(<Tag key="disabled">已停用</Tag>);
  if (user.locked_until && isLocked(user))
    tags.push(
      <Tag key="locked" color="orange">
        锁定至 {chinaHourMinute(user.locked_until)}
      </Tag>,
    );
  if (user.must_change_password)
    tags.push(
      <Tag key="password" color="gold">
        须改密码
      </Tag>,
    );
  if (tags.length === 0)
    tags.push(
      <Tag key="ok" color="green">
        正常
      </Tag>,
    );
  return (
    <Space size={[0, 4]} wrap>
      {tags}
    </Space>
  );
}

function UsersTable() {
  const me = useMe();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useApi<{ items: UserRow[] }>('/api/v1/users');
  const areas = useCountyAreas();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);

  const users = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const all = data?.items ?? [];
    return q
      ? all.filter((u) => u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q))
      : all;
  }, [data, filter]);

  const patch = async (user: UserRow, body: Record<string, boolean>, done: string) => {
    setBusy(user.id);
    try {
      await api.patch(`/api/v1/users/${user.id}`, { version: user.version, ...body });
      message.success(done);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
      reload();
    }
  };

  const columns: TableColumnsType<UserRow> = [
    {
      title: '用户名',
      dataIndex: 'username',
      width: 150,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: '姓名', dataIndex: 'display_name', width: 100 },
    { title: '角色', dataIndex: 'role', width: 160, render: (r: string) => roleLabel(r) },
    { title: '辖区', dataIndex: 'area_code', width: 150, render: (c: string) => areas.nameOf(c) },
    { title: '状态', key: 'status', width: 170, render: (_, u) => <UserStatus user={u} /> },
    {
      title: '操作',
      key: 'actions',
      width: 250,
      fixed: 'right',
      render: (_, u) => {
        const self = u.id === me.id;
        return (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              onClick={() => {
                setEditing(u);
                setFormOpen(true);
              }}
            >
              编辑
            </Button>
            {u.disabled ? (
              <Popconfirm
                title={`启用用户 ${u.username}？`}
                description="启用后该用户可重新登录。"
                okText="启用"
                cancelText="取消"
                onConfirm={() => patch(u, { disabled: false }, `已启用用户 ${u.username}`)}
              >
                <Button type="link" size="small" loading={busy === u.id}>
                  启用
                </Button>
              </Popconfirm>
            ) : (
              !self && (
                <Popconfirm
                  title={`停用用户 ${u.username}？`}
                  description="停用后该用户立即退出登录且不能再登录，可随时重新启用。"
                  okText="停用"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => patch(u, { disabled: true }, `已停用用户 ${u.username}`)}
                >
                  <Button type="link" size="small" danger loading={busy === u.id}>
                    停用
                  </Button>
                </Popconfirm>
              )
            )}
            {isLocked(u) && (
              <Button
                type="link"
                size="small"
                loading={busy === u.id}
                onClick={() => void patch(u, { unlock: true }, `已解锁用户 ${u.username}`)}
              >
                解锁
              </Button>
            )}
            <Button
              type="link"
              size="small"
              onClick={() => {
                setResetting(u);
                setResetOpen(true);
              }}
            >
              重置密码
            </Button>
          </Space>
        );
      },
    },
  ];

  if (error) return <ErrorResult error={error} onRetry={reload} />;

  return (
    <Card
      title="用户管理"
      extra={
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="按用户名或姓名筛选"
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 220 }}
          />
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label="刷新" />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
          >
            新建用户
          </Button>
        </Space>
      }
      styles={{ header: { flexWrap: 'wrap', rowGap: 8, paddingBlock: 8 } }}
    >
      <Typography.Paragraph type="secondary">
        本县所有系统用户。县级角色的辖区为本县；乡镇级角色只能办理本乡镇的业务。停用、修改角色或辖区、重置密码后，该用户须重新登录。所有操作均记入审计日志。
      </Typography.Paragraph>
      <Table<UserRow>
        rowKey="id"
        size="middle"
        data-testid="users-table"
        loading={loading || areas.loading}
        columns={columns}
        dataSource={users}
        scroll={{ x: 980 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 个用户` }}
      />
      <UserFormModal
        open={formOpen}
        user={editing}
        county={areas.county}
        towns={areas.towns}
        onClose={() => setFormOpen(false)}
        onChanged={reload}
      />
      <ResetPasswordModal
        open={resetOpen}
        user={resetting}
        onClose={() => setResetOpen(false)}
        onChanged={reload}
      />
    </Card>
  );
}
