import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';

export function ChangePasswordModal({
  open,
  onClose,
  forced,
}: {
  open: boolean;
  onClose: () => void;
  forced?: boolean;
}) {
  const [form] = Form.useForm<{ oldPassword: string; newPassword: string; confirm: string }>();
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await api.post('/api/v1/auth/password', {
        oldPassword: values.oldPassword,
        newPassword: values.newPassword,
      });
      message.success('密码已修改');
      form.resetFields();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        form.setFields([{ name: e.field as 'oldPassword' | 'newPassword', errors: [e.message] }]);
      } else message.error(e instanceof Error ? e.message : '修改失败');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={forced ? '首次登录，请修改密码' : '修改密码'}
      open={open}
      onOk={submit}
      onCancel={forced ? undefined : onClose}
      closable={!forced}
      mask={{ closable: !forced }}
      okText="确定"
      cancelText="取消"
      cancelButtonProps={{ style: forced ? { display: 'none' } : {} }}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="至少8位，须同时包含字母和数字"
          rules={[
            { required: true, message: '请输入新密码' },
            { min: 8, message: '密码至少需要8位' },
            { pattern: /(?=.*[A-Za-z])(?=.*\d)/, message: '密码必须同时包含字母和数字' },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('newPassword')
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
