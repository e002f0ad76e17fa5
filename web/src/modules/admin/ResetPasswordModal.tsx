import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { PASSWORD_HINT, passwordPolicyError, showServerErrors } from './form-errors.ts';
import type { UserRow } from './users.ts';

interface Values {
  newPassword: string;
  confirm: string;
}

/** 重置密码: a temporary password the user must change at the next login; their sessions end. */
export function ResetPasswordModal({
  open,
  user,
  onClose,
  onChanged,
}: {
  open: boolean;
  user: UserRow | null;
  onClose(): void;
  onChanged(): void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setFormError(null);
    }
  }, [open, form]);

  const save = async () => {
    if (!user) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await api.post(`/api/v1/users/${user.id}/reset-password`, { newPassword: values.newPassword });
      message.success(`已重置 ${user.username} 的密码，该用户下次登录须修改密码`);
      onChanged();
      onClose();
    } catch (e) {
      setFormError(showServerErrors(form, e, ['newPassword']));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={`重置密码：${user?.username ?? ''}（${user?.display_name ?? ''}）`}
      okText="重置密码"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        请将新密码当面或通过安全渠道告知本人。重置后该用户的现有登录会话立即失效，下次登录须修改密码。
      </Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="newPassword"
          label="新密码"
          extra={PASSWORD_HINT}
          rules={[
            { required: true, message: '请输入新密码' },
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
        <Form.Item
          name="confirm"
          label="再次输入新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
