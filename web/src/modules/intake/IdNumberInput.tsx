import { Form, Input, Typography } from 'antd';
import { sexLabel, validateResidentId } from '../../../../src/domain/identity/resident-id.ts';
import { todayInChina } from '../registry/utils/labels.ts';
import { normalizeResidentId, residentIdRules } from '../registry/utils/resident-id-rules.ts';

interface Props {
  name: string;
  label: string;
  required: boolean;
  testId: string;
  extra?: string;
}

/**
 * 身份证号码 checked as the clerk types (GB 11643, the same domain code as the server), with the birth
 * date and sex it encodes shown underneath once the number is valid.
 */
export function IdNumberInput({ name, label, required, testId, extra }: Props) {
  const form = Form.useFormInstance();
  const value = Form.useWatch(name, form) as string | undefined;
  const result =
    value && value.trim().length >= 15 ? validateResidentId(value, { asOf: todayInChina() }) : null;
  const derived = result?.valid ? `出生日期 ${result.birthDate}，性别 ${sexLabel(result.sex)}` : null;
  return (
    <Form.Item
      name={name}
      label={label}
      validateTrigger={['onChange', 'onBlur']}
      validateFirst
      rules={residentIdRules(required)}
      normalize={normalizeResidentId}
      extra={
        derived ? (
          <Typography.Text type="success" data-testid={`${testId}-derived`}>
            {derived}
          </Typography.Text>
        ) : (
          extra
        )
      }
    >
      <Input
        maxLength={18}
        placeholder="18位公民身份号码"
        autoComplete="off"
        className="tabular"
        data-testid={testId}
      />
    </Form.Item>
  );
}
