import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { showServerErrors } from '../admin/form-errors.ts';
import { BREAKER } from './labels.ts';
import type { SourceItem } from './types.ts';

interface Values {
  mode: 'snapshot' | 'connector';
  connectorUrl?: string;
  timeoutMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

const FIELDS = [
  'mode',
  'connectorUrl',
  'timeoutMs',
  'maxRetries',
  'breakerThreshold',
  'breakerCooldownMs',
] as const;

/** The built-in 模拟部门接口 (src/modules/departments/simulator): called in-process, no port needed. */
const SIM_URL = 'sim:';

/**
 * 接口设置 of one department source (dept.manage): 数据快照 or 实时接口, the interface address and its timeout,
 * retries and circuit breaker. The ranges are the server's (departments.service.ts updateSourceConfig); its
 * messages are shown on the field they name. Saving resets the interface's circuit breaker.
 */
export function ConnectorModal({
  source,
  onClose,
  onSaved,
}: {
  source: SourceItem;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const mode = Form.useWatch('mode', form) ?? source.mode;
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    form.setFieldsValue({
      mode: source.mode,
      connectorUrl: source.connectorUrl ?? '',
      timeoutMs: source.timeoutMs,
      maxRetries: source.maxRetries,
      breakerThreshold: source.breakerThreshold,
      breakerCooldownMs: source.breakerCooldownMs,
    });
  }, [form, source]);

  const save = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await api.put(`/api/v1/departments/sources/${source.code}`, {
        mode: v.mode,
        connectorUrl: v.connectorUrl?.trim() || null,
        timeoutMs: v.timeoutMs,
        maxRetries: v.maxRetries,
        breakerThreshold: v.breakerThreshold,
        breakerCooldownMs: v.breakerCooldownMs,
      });
      message.success(
        `${source.label}已设置为${v.mode === 'connector' ? `实时接口（${v.connectorUrl?.trim()}）` : '数据快照'}方式`,
      );
      onSaved();
      onClose();
    } catch (e) {
      setFormError(showServerErrors(form, e, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  const integer = (label: string) => [{ required: true, message: `请填写${label}` }];

  return (
    <Modal
      open
      title={`接口设置：${source.label}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'connector-save' } as ButtonProps}
      destroyOnHidden
      width={600}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          提供部门：{source.department}
          。“实时接口”方式按户实时查询部门接口，接口不可用时改用最近一次导入的数据快照；“数据快照”方式只使用导入的部门数据文件。
        </Typography.Text>
        {source.mode === 'connector' && (
          <span>
            接口状态：<Tag color={BREAKER[source.breaker]?.color}>{BREAKER[source.breaker]?.label}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              保存设置后熔断状态重新计算
            </Typography.Text>
          </span>
        )}
        {formError && <Alert type="error" showIcon title={formError} data-testid="connector-form-error" />}
      </Space>
      <Form
        form={form}
        layout="vertical"
        requiredMark="optional"
        style={{ marginTop: 16 }}
        onValuesChange={() => setFormError(null)}
        data-testid="connector-form"
      >
        <Form.Item name="mode" label="接入方式" rules={[{ required: true, message: '请选择接入方式' }]}>
          <Radio.Group data-testid="connector-mode">
            <Radio value="snapshot" data-testid="connector-mode-snapshot">
              数据快照
            </Radio>
            <Radio value="connector" data-testid="connector-mode-connector">
              实时接口
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          label="接口地址"
          required={mode === 'connector'}
          // The errors of the noStyle field inside are shown here.
          extra={
            mode === 'connector'
              ? '部门接口的 http:// 或 https:// 地址；填 sim: 使用系统内置的模拟部门接口（演示、测试用）'
              : '数据快照方式不调用接口；已填的地址保留，改回实时接口时使用'
          }
        >
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="connectorUrl" noStyle>
              <Input placeholder="https://…" maxLength={500} allowClear data-testid="connector-url" />
            </Form.Item>
            <Button
              onClick={() => {
                form.setFieldValue('connectorUrl', SIM_URL);
                form.setFields([{ name: 'connectorUrl', errors: [] }]);
              }}
              data-testid="connector-sim"
            >
              模拟部门接口
            </Button>
          </Space.Compact>
        </Form.Item>
        <Space size={16} wrap style={{ marginTop: 8 }}>
          <Form.Item name="timeoutMs" label="超时（毫秒）" rules={integer('超时时间')} extra="100–120000">
            <InputNumber precision={0} style={{ width: 160 }} data-testid="connector-timeout" />
          </Form.Item>
          <Form.Item name="maxRetries" label="重试次数" rules={integer('重试次数')} extra="0–10">
            <InputNumber precision={0} style={{ width: 120 }} data-testid="connector-retries" />
          </Form.Item>
        </Space>
        <Space size={16} wrap>
          <Form.Item
            name="breakerThreshold"
            label="熔断阈值（连续失败次数）"
            rules={integer('熔断阈值')}
            extra="1–100；连续失败达到此数后暂停调用该接口"
          >
            <InputNumber precision={0} style={{ width: 160 }} data-testid="connector-breaker-threshold" />
          </Form.Item>
          <Form.Item
            name="breakerCooldownMs"
            label="熔断恢复时间（毫秒）"
            rules={integer('熔断恢复时间')}
            extra="1000–3600000；暂停多久后试探恢复"
          >
            <InputNumber precision={0} style={{ width: 180 }} data-testid="connector-breaker-cooldown" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
