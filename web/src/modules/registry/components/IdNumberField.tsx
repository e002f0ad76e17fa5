import { Col, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { sexLabel, validateResidentId } from '../../../../../src/domain/identity/resident-id.ts';
import type { NamePath } from '../utils/form-errors.ts';
import { todayInChina } from '../utils/labels.ts';
import { normalizeResidentId, residentIdRules } from '../utils/resident-id-rules.ts';

interface Props {
  /** The field's name as the Form.Item sees it (relative inside a Form.List). */
  name: NamePath;
  /** The field's full path in the form, to watch its value. */
  path: NamePath;
  testId?: string;
  extra?: ReactNode;
  autoFocus?: boolean;
}

/**
 * 身份证号码 with the check as the clerk types, and beside it the 出生日期 and 性别 the number encodes
 * (read-only: they always follow the number). Renders three grid columns.
 */
export function IdNumberField({ name, path, testId = 'id-number', extra, autoFocus }: Props) {
  const form = Form.useFormInstance();
  const value = Form.useWatch(path, form) as string | undefined;
  const result =
    value && value.trim().length >= 15 ? validateResidentId(value, { asOf: todayInChina() }) : null;
  const derived = result?.valid ? result : null;
  return (
    <>
      <Col xs={24} sm={24} md={12} lg={12}>
        <Form.Item
          name={name}
          label="身份证号码"
          validateTrigger={['onChange', 'onBlur']}
          validateFirst
          rules={residentIdRules()}
          normalize={normalizeResidentId}
          extra={extra}
        >
          <Input
            maxLength={18}
            placeholder="18位公民身份号码"
            autoComplete="off"
            className="tabular"
            data-testid={testId}
            autoFocus={autoFocus}
          />
        </Form.Item>
      </Col>
      <DerivedColumns
        birthDate={derived?.birthDate ?? null}
        sex={derived ? sexLabel(derived.sex) : null}
        testId={testId}
      />
    </>
  );
}

/** 出生日期 and 性别 shown read-only (from the ID number). */
export function DerivedColumns({
  birthDate,
  sex,
  testId = 'id-number',
}: {
  birthDate: string | null;
  sex: string | null;
  testId?: string;
}) {
  return (
    <>
      <Col xs={12} sm={12} md={6} lg={6}>
        <Form.Item label="出生日期" tooltip="由身份证号码自动得出">
          <Input
            readOnly
            variant="filled"
            value={birthDate ?? ''}
            placeholder="—"
            data-testid={`${testId}-birth-date`}
          />
        </Form.Item>
      </Col>
      <Col xs={12} sm={12} md={6} lg={6}>
        <Form.Item label="性别" tooltip="由身份证号码自动得出">
          <Input readOnly variant="filled" value={sex ?? ''} placeholder="—" data-testid={`${testId}-sex`} />
        </Form.Item>
      </Col>
    </>
  );
}
