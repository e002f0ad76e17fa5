import { AutoComplete, Col, Form, Input, Radio, Row, Select } from 'antd';
import type { ReactNode } from 'react';
import { isIsoDate } from '../../../../../src/domain/calendar/dates.ts';
import {
  DISABILITY_CATEGORIES,
  EMPLOYMENT_STATUS,
  ETHNICITIES,
  HUKOU_TYPES,
  LABOUR_CAPACITY,
  SCHOOL_STATUS,
  SELF_CARE,
} from '../../../../../src/domain/household/person-attributes.ts';
import type { NamePath } from '../utils/form-errors.ts';
import { options, todayInChina } from '../utils/labels.ts';

/** The values of a person's form (create, add member, edit). Empty strings mean "not filled". */
export interface PersonFormValues {
  name?: string;
  relation?: string;
  idNumber?: string;
  ethnicity?: string;
  hukouType?: 'urban' | 'rural';
  disabilityCategory?: string | null;
  disabilityGrade?: number | null;
  labourCapacity?: string;
  seriousIllness?: boolean;
  selfCare?: string;
  schoolStatus?: string;
  employmentStatus?: string;
  deathDate?: string;
  phone?: string;
}

/** The names of the fields this component renders, to place server errors (`members[1].phone`…). */
export const PERSON_FIELD_NAMES = new Set([
  'name',
  'relation',
  'idNumber',
  'ethnicity',
  'hukouType',
  'disabilityCategory',
  'disabilityGrade',
  'labourCapacity',
  'seriousIllness',
  'selfCare',
  'schoolStatus',
  'employmentStatus',
  'deathDate',
  'phone',
]);

const PHONE = /^[0-9+\- ]{5,20}$/;
const NAME = /^[\p{L}·• ]+$/u;

interface Props {
  /** Prefix of the field names as Form.Items see them ([] on a plain form, [field.name] in a Form.List). */
  prefix?: NamePath;
  /** The ID number and what it encodes: three grid columns (IdNumberField or a read-only display). */
  idSlot: ReactNode;
  relation?: { options: readonly string[]; disabled?: boolean; extra?: ReactNode } | null;
  /** 'create': blank choices take the server's defaults (by age, the household's hukou…). */
  mode: 'create' | 'edit';
  showDeathDate?: boolean;
  phone?: { placeholder?: string; extra?: ReactNode };
  testId?: string;
}

const col = { xs: 24, sm: 12, lg: 8 } as const;
/** 姓名, 与户主关系, 民族: short, three to a row from tablet width up. */
const short = { xs: 24, sm: 8 } as const;

/** All person fields in a responsive grid: 3 columns on a laptop, 2 on a tablet, 1 on a phone. */
export function PersonFields({
  prefix = [],
  idSlot,
  relation,
  mode,
  showDeathDate = false,
  phone,
  testId = 'person',
}: Props) {
  const n = (field: string): NamePath => [...prefix, field];
  const blank = mode === 'create';
  return (
    <Row gutter={16}>
      <Col {...short}>
        <Form.Item
          name={n('name')}
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '姓名不能超过50字' },
            { pattern: NAME, message: '姓名只能包含文字和间隔号“·”' },
          ]}
        >
          <Input autoComplete="off" data-testid={`${testId}-name`} />
        </Form.Item>
      </Col>
      {relation && (
        <Col {...short}>
          <Form.Item
            name={n('relation')}
            label="与户主关系"
            rules={[{ required: true, message: '请选择与户主关系' }]}
            extra={relation.extra}
          >
            <Select
              disabled={relation.disabled}
              options={relation.options.map((r) => ({ value: r, label: r }))}
              placeholder="请选择"
              data-testid={`${testId}-relation`}
            />
          </Form.Item>
        </Col>
      )}
      <Col {...short}>
        <Form.Item name={n('ethnicity')} label="民族">
          <AutoComplete
            options={ETHNICITIES.map((e) => ({ value: e }))}
            placeholder="如 汉族、瑶族"
            allowClear
            filterOption={(input, option) => (option?.value ?? '').includes(input)}
          />
        </Form.Item>
      </Col>
      {/* The number and what it encodes always share one row, whatever the screen width. */}
      <Col span={24}>
        <Row gutter={16}>{idSlot}</Row>
      </Col>
      <Col {...col}>
        <Form.Item name={n('hukouType')} label="户口性质">
          <Select
            options={options(HUKOU_TYPES)}
            placeholder={blank ? '同家庭户口性质' : '请选择'}
            allowClear={blank}
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('labourCapacity')} label="劳动能力">
          <Select
            options={options(LABOUR_CAPACITY)}
            placeholder={blank ? '按年龄（16–59岁为有劳动能力）' : '请选择'}
            allowClear={blank}
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('selfCare')} label="生活自理能力">
          <Select options={options(SELF_CARE)} placeholder={blank ? '全自理' : '请选择'} allowClear={blank} />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('disabilityCategory')} label="残疾类别">
          <Select
            options={DISABILITY_CATEGORIES.map((c) => ({ value: c, label: c }))}
            placeholder="无残疾"
            allowClear
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item
          name={n('disabilityGrade')}
          label="残疾等级"
          dependencies={[n('disabilityCategory')]}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, grade: number | null | undefined) => {
                const category = getFieldValue(n('disabilityCategory')) as string | null | undefined;
                return Boolean(category) === (grade !== null && grade !== undefined)
                  ? Promise.resolve()
                  : Promise.reject(new Error('残疾类别和残疾等级须同时填写或同时为空'));
              },
            }),
          ]}
        >
          <Select
            options={[1, 2, 3, 4].map((g) => ({ value: g, label: `${'一二三四'[g - 1]}级` }))}
            placeholder="无残疾"
            allowClear
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('seriousIllness')} label="重病">
          <Radio.Group
            optionType="button"
            options={[
              { value: false, label: '否' },
              { value: true, label: '是' },
            ]}
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('schoolStatus')} label="在学情况">
          <Select
            options={options(SCHOOL_STATUS)}
            placeholder={blank ? '不在学' : '请选择'}
            allowClear={blank}
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item name={n('employmentStatus')} label="就业状况">
          <Select
            options={options(EMPLOYMENT_STATUS)}
            placeholder={blank ? '无业' : '请选择'}
            allowClear={blank}
            data-testid={`${testId}-employment`}
          />
        </Form.Item>
      </Col>
      <Col {...col}>
        <Form.Item
          name={n('phone')}
          label="联系电话"
          rules={[{ pattern: PHONE, message: '电话号码格式不正确' }]}
          extra={phone?.extra}
        >
          <Input
            placeholder={phone?.placeholder ?? '手机或固定电话'}
            autoComplete="off"
            data-testid={`${testId}-phone`}
          />
        </Form.Item>
      </Col>
      {showDeathDate && (
        <Col {...col}>
          <Form.Item
            name={n('deathDate')}
            label="死亡日期"
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  if (!v) return Promise.resolve();
                  if (!isIsoDate(v))
                    return Promise.reject(new Error('日期格式应为 YYYY-MM-DD，如 2026-01-31'));
                  if (v > todayInChina()) return Promise.reject(new Error('死亡日期不能晚于今天'));
                  return Promise.resolve();
                },
              },
            ]}
          >
            <Input placeholder="YYYY-MM-DD（在世请留空）" allowClear autoComplete="off" />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}

/** Turns the form's values into the API's person fields for a new person (blank = server default). */
export function newPersonBody(v: PersonFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: (v.name ?? '').trim(),
    idNumber: (v.idNumber ?? '').trim().toUpperCase(),
  };
  if (v.relation) body.relation = v.relation;
  if (v.ethnicity?.trim()) body.ethnicity = v.ethnicity.trim();
  if (v.hukouType) body.hukouType = v.hukouType;
  if (v.disabilityCategory) body.disabilityCategory = v.disabilityCategory;
  if (v.disabilityGrade) body.disabilityGrade = v.disabilityGrade;
  if (v.labourCapacity) body.labourCapacity = v.labourCapacity;
  if (v.seriousIllness !== undefined) body.seriousIllness = v.seriousIllness;
  if (v.selfCare) body.selfCare = v.selfCare;
  if (v.schoolStatus) body.schoolStatus = v.schoolStatus;
  if (v.employmentStatus) body.employmentStatus = v.employmentStatus;
  if (v.deathDate?.trim()) body.deathDate = v.deathDate.trim();
  if (v.phone?.trim()) body.phone = v.phone.trim();
  return body;
}
