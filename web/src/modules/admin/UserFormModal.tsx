import { Alert, App, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { AreaItem } from './areas.ts';
import { PASSWORD_HINT, passwordPolicyError, showServerErrors } from './form-errors.ts';
import { ROLE_OPTIONS, roleLevel, type UserRow } from './users.ts';

interface Values {
  username: string;
  displayName: string;
  role: string;
  areaCode: string;
  password: string;
  mustChangePassword: boolean;
}

const FIELDS = ['username', 'displayName', 'role', 'areaCode', 'password', 'mustChangePassword'] as const;

interface Props {
  /** null: a new user; otherwise the user being edited (姓名, 角色, 辖区). */
  user: UserRow | null;
  open: boolean;
  county: AreaItem | null;
  towns: AreaItem[];
  onClose(): void;
  /** After a save, and after a refused stale save (the list is out of date then too). */
  onChanged(): void;
}

/** 新建用户 / 编辑用户: the area follows the role — the county for county roles, one town for town roles. */
export function UserFormModal({ user, open, county, towns, onClose, onChanged }: Props) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // The version the edit is based on; replaced by the fresh row after a 409.
  const [base, setBase] = useState<UserRow | null>(user);
  const role = Form.useWatch('role', form);
  const level = roleLevel(role);
  const creating = user === null;

  useEffect(() => {
    if (!open) return;
    setBase(user);
    setFormError(null);
    form.resetFields();
    form.setFieldsValue(
      user
        ? { displayName: user.display_name, role: user.role, areaCode: user.area_code }
        : { mustChangePassword: true },
    );
  }, [open, user, form]);

  const onValuesChange = (changed: Partial<Values>) => {
    if (!('role' in changed)) return;
    const next = roleLevel(changed.role);
    const area = form.getFieldValue('areaCode') as string | undefined;
    if (next === 'county' && county) form.setFieldValue('areaCode', county.code);
    else if (next === 'town' && !towns.some((t) => t.code === area))
      form.setFieldValue('areaCode', undefined);
  };

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setFormError(null);
    try {
      if (creating) {
        await api.post('/api/v1/users', {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          role: values.role,
          areaCode: values.areaCode,
          password: values.password,
          mustChangePassword: values.mustChangePassword,
        });
        message.success(`已新建用户 ${values.username.trim()}`);
      } else if (base) {
        const changes: Record<string, string> = {};
        if (values.displayName.trim() !== base.display_name) changes.displayName = values.displayName.trim();
        if (values.role !== base.role) changes.role = values.role;
        if (values.areaCode !== base.area_code) changes.areaCode = values.areaCode;
        if (Object.keys(changes).length === 0) {
          message.info('未做修改');
          onClose();
          return;
        }
        await api.patch(`/api/v1/users/${base.id}`, { version: base.version, ...changes });
        message.success(`已保存用户 ${base.username}`);
      }
      onChanged();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'STALE_VERSION' && base) {
        // Someone else changed this user: load the current record and let the clerk check it again.
        onChanged();
        const fresh = await api
          .get<{ items: UserRow[] }>('/api/v1/users')
          .then((r) => r.items.find((u) => u.id === base.id) ?? null)
          .catch(() => null);
        if (fresh) {
          setBase(fresh);
          form.setFieldsValue({
            displayName: fresh.display_name,
            role: fresh.role,
            areaCode: fresh.area_code,
          });
        }
        setFormError(`${e.message}。${fresh ? '已载入该用户的最新信息，请核对后重新保存。' : ''}`);
      } else {
        setFormError(showServerErrors(form, e, FIELDS));
      }
    } finally {
      setSaving(false);
    }
  };

  const townOptions = towns.map((t) => ({ value: t.code, label: `${t.name}（${t.code}）` }));

  return (
    <Modal
      open={open}
      title={creating ? '新建用户' : `编辑用户 ${user?.username ?? ''}`}
      okText={creating ? '新建' : '保存'}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      {formError && (
        <Alert
          type="error"
          showIcon
          title={formError}
          style={{ marginBottom: 16 }}
          data-testid="user-form-error"
        />
      )}
      <Form form={form} layout="vertical" onValuesChange={onValuesChange} requiredMark="optional">
        {creating ? (
          <Form.Item
            name="username"
            label="用户名"
            extra="登录用，3–32位字母、数字、下划线、点或连字符，建立后不能修改"
            rules={[
              { required: true, whitespace: true, message: '请输入用户名' },
              {
                pattern: /^\s*[A-Za-z0-9_.-]{3,32}\s*$/,
                message: '用户名应为3–32位字母、数字、下划线、点或连字符',
              },
            ]}
          >
            <Input autoComplete="off" maxLength={32} />
          </Form.Item>
        ) : (
          <Form.Item label="用户名">
            <Typography.Text strong>{user?.username}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '姓名不超过50字' },
          ]}
        >
          <Input autoComplete="off" maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={ROLE_OPTIONS} placeholder="请选择角色" />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label={level === 'town' ? '辖区（乡镇）' : '辖区'}
          extra={
            level === 'county'
              ? '县级角色的辖区为本县'
              : level === 'town'
                ? '乡镇级角色只能查看和办理本乡镇的业务'
                : '请先选择角色'
          }
          rules={[{ required: true, message: level === 'town' ? '请选择所属乡镇' : '请选择辖区' }]}
        >
          {level === 'town' ? (
            <Select
              options={townOptions}
              placeholder="请选择乡镇"
              showSearch={{ optionFilterProp: 'label' }}
            />
          ) : (
            <Select
              disabled
              placeholder={level ? '本县' : '请先选择角色'}
              options={county ? [{ value: county.code, label: `${county.name}（${county.code}）` }] : []}
            />
          )}
        </Form.Item>
        {!creating && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            修改角色或辖区后，该用户须重新登录。
          </Typography.Paragraph>
        )}
        {creating && (
          <>
            <Form.Item
              name="password"
              label="初始密码"
              extra={PASSWORD_HINT}
              rules={[
                { required: true, message: '请输入初始密码' },
                {
                  validator: (_, value: string | undefined) => {
                    const error = passwordPolicyError(value);
                    return error ? Promise.reject(new Error(error)) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="mustChangePassword" valuePropName="checked" style={{ marginBottom: 0 }}>
              <Checkbox>首次登录须修改密码</Checkbox>
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
