import { Alert, Button, type ButtonProps, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { isRuleType, parseRuleParams, RULE_TYPE_CODES } from '../../../../src/domain/campaign/rules.ts';
import { ApiError, api } from '../../api/client.ts';
import { categoryLabel, paramLabel, RULE_TYPES } from './labels.ts';
import type { Rule } from './types.ts';

interface Values {
  code: string;
  ruleType: string;
  label: string;
  enabled: boolean;
  paramsJson: string;
}

/** Problems of the parameters JSON, each naming the parameter in Chinese. */
function checkParams(type: string, json: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return [`参数不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`];
  }
  if (!isRuleType(type)) return ['请先选择规则类型'];
  const r = parseRuleParams(type, parsed);
  if (r.ok) return [];
  return r.issues.map(
    (i) => `${i.path ? `${paramLabel(i.path.split('.')[0] ?? i.path)}（${i.path}）` : '参数'}：${i.message}`,
  );
}

/**
 * 编辑规则 / 新增规则: a rule is its type (what it looks for) and parameters (data, checked by the type's
 * schema as they are typed and again by the server). A county adds its own rules beside the defaults.
 */
export function RuleModal({
  rule,
  existingCodes,
  onClose,
  onSaved,
}: {
  rule: Rule | null;
  existingCodes: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('ruleType', form) ?? rule?.type;
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const def = type && isRuleType(type) ? RULE_TYPES[type] : null;

  const save = async (v: Values) => {
    setSaving(true);
    setError(null);
    const params = JSON.parse(v.paramsJson) as Record<string, unknown>;
    try {
      if (rule) {
        await api.put(`/api/v1/campaigns/rules/${encodeURIComponent(rule.code)}`, {
          version: rule.version,
          label: v.label,
          enabled: v.enabled,
          params,
        });
      } else {
        await api.post('/api/v1/campaigns/rules', {
          code: v.code,
          type: v.ruleType,
          label: v.label,
          enabled: v.enabled,
          params,
        });
      }
      onSaved();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, { message: String(e) });
      setError(err);
      const byField = new Map<keyof Values, string[]>();
      for (const i of err.issues) {
        const f = i.field.startsWith('params')
          ? 'paramsJson'
          : i.field === 'type'
            ? 'ruleType'
            : (i.field as keyof Values);
        if (['code', 'ruleType', 'label', 'paramsJson'].includes(f))
          byField.set(f, [...(byField.get(f) ?? []), i.message]);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={rule ? `编辑规则：${rule.label}` : '新增本县规则'}
      onCancel={onClose}
      okText="保存"
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'rule-save' } as ButtonProps}
      maskClosable={false}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          code: rule?.code ?? '',
          ruleType: rule?.type,
          label: rule?.label ?? '',
          enabled: rule?.enabled ?? true,
          paramsJson: JSON.stringify(rule?.params ?? {}, null, 2),
        }}
        data-testid="rule-form"
      >
        {!rule && (
          <>
            <Form.Item
              name="code"
              label="规则代码"
              extra="字母、数字、下划线，如 vehicle_strict；本县内不能重复。"
              rules={[
                { required: true, message: '请填写规则代码' },
                { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: '以小写字母开头，只含小写字母、数字、下划线' },
                {
                  validator: (_, v: string) =>
                    existingCodes.includes(v)
                      ? Promise.reject(new Error('该规则代码已存在'))
                      : Promise.resolve(),
                },
              ]}
            >
              <Input maxLength={40} data-testid="rule-code" />
            </Form.Item>
            <Form.Item
              name="ruleType"
              label="规则类型"
              rules={[{ required: true, message: '请选择规则类型' }]}
            >
              <Select
                options={RULE_TYPE_CODES.map((t) => ({
                  value: t,
                  label: `${RULE_TYPES[t].label}（${categoryLabel(RULE_TYPES[t].category)}）`,
                }))}
                onChange={(t: string) => {
                  if (isRuleType(t)) {
                    form.setFieldValue('paramsJson', JSON.stringify(RULE_TYPES[t].defaults, null, 2));
                    if (!form.getFieldValue('label')) form.setFieldValue('label', RULE_TYPES[t].label);
                  }
                }}
                data-testid="rule-type"
              />
            </Form.Item>
          </>
        )}
        {def && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {def.description}
          </Typography.Paragraph>
        )}
        <Form.Item name="label" label="规则名称" rules={[{ required: true, message: '请填写规则名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="paramsJson"
          label="参数（JSON）"
          extra={def ? `默认值：${JSON.stringify(def.defaults)}` : undefined}
          validateTrigger={['onChange', 'onBlur']}
          rules={[
            {
              validator: (_, v: string) => {
                const problems = checkParams(type ?? '', v ?? '');
                return problems.length === 0 ? Promise.resolve() : Promise.reject(problems);
              },
            },
          ]}
        >
          <Input.TextArea
            rows={8}
            className="tabular"
            style={{ fontFamily: 'monospace' }}
            data-testid="rule-params"
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error.message} data-testid="rule-error" />}
        {!rule && (
          <Button type="link" style={{ padding: 0 }} onClick={() => form.resetFields()}>
            清空重填
          </Button>
        )}
      </Form>
    </Modal>
  );
}
