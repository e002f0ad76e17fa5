import { DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { Link, Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../modules/auth/AuthProvider.tsx';
import { ChangePasswordModal } from '../modules/auth/ChangePasswordModal.tsx';
import { CRUMBS, MENU, visibleMenu } from './menu.tsx';

const { Header, Sider, Content } = Layout;

function selectedKey(pathname: string): string {
  if (pathname === '/') return '/';
  const all = MENU.flatMap((m) => [m.path, ...(m.children ?? []).map((c) => c.path)]).filter(
    (p) => p !== '/',
  );
  return all.filter((p) => pathname.startsWith(p)).sort((a, b) => b.length - a.length)[0] ?? '/';
}

function trail(pathname: string): string[] {
  const crumb = CRUMBS.find((c) => c.pattern.test(pathname));
  if (crumb) return crumb.trail;
  for (const m of MENU) {
    const child = m.children?.find((c) => pathname.startsWith(c.path));
    if (child) return [m.label, child.label];
    if (m.path !== '/' && pathname.startsWith(m.path)) return [m.label];
  }
  return ['工作台'];
}

/** Ant Design Pro style shell: left menu by task, breadcrumbs, the user's name, role and area on top. */
export default function AppLayout() {
  const { me, loading, logout } = useAuth();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const narrow = !screens.lg;

  const items = useMemo(
    () =>
      me
        ? visibleMenu(me).map((m) =>
            m.children
              ? {
                  key: m.path,
                  icon: m.icon,
                  label: m.label,
                  children: m.children.map((c) => ({
                    key: c.path,
                    label: <Link to={c.path}>{c.label}</Link>,
                  })),
                }
              : { key: m.path, icon: m.icon, label: <Link to={m.path}>{m.label}</Link> },
          )
        : [],
    [me],
  );

  if (loading) return <Spin size="large" fullscreen />;
  if (!me)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const key = selectedKey(location.pathname);
  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      items={items}
      selectedKeys={[key]}
      defaultOpenKeys={key.startsWith('/admin') ? ['/admin'] : []}
      onClick={() => setDrawer(false)}
    />
  );
  const crumbs = trail(location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={drawer}
          onClose={() => setDrawer(false)}
          size={220}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {menu}
        </Drawer>
      ) : (
        <Sider
          width={208}
          theme="dark"
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        >
          <div className="app-logo">社会救助管理信息系统</div>
          {menu}
        </Sider>
      )}
      <Layout>
        <Header className="app-header">
          <Space>
            {narrow && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                onClick={() => setDrawer(true)}
                aria-label="打开菜单"
              />
            )}
            {narrow && <Typography.Text strong>社会救助管理信息系统</Typography.Text>}
          </Space>
          <Dropdown
            menu={{
              items: [
                { key: 'password', label: '修改密码', onClick: () => setPasswordOpen(true) },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void logout() },
              ],
            }}
          >
            <Space className="app-user" data-testid="current-user">
              <UserOutlined />
              <span>{me.displayName}</span>
              {!narrow && <Tag color="blue">{me.roleLabel}</Tag>}
              {!narrow && <Tag>{me.areaName}</Tag>}
              <DownOutlined />
            </Space>
          </Dropdown>
        </Header>
        <Content className="app-content">
          <Breadcrumb style={{ marginBottom: 12 }} items={crumbs.map((title) => ({ title }))} />
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      <ChangePasswordModal
        open={passwordOpen || me.mustChangePassword}
        forced={me.mustChangePassword}
        onClose={() => setPasswordOpen(false)}
      />
    </Layout>
  );
}
