import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { INCOME_TYPES, VEHICLE_TYPES } from '../../../../src/domain/policy/dibao.params.ts';
import { MEMBER_FLAGS, type MemberValues } from './scenario.ts';

const INCOME_OPTIONS = Object.entries(INCOME_TYPES).map(([value, label]) => ({ value, label }));
const VEHICLE_OPTIONS = Object.entries(VEHICLE_TYPES).map(([value, label]) => ({ value, label }));
const LABOUR_OPTIONS = [
  { value: 'full', label: '有劳动能力' },
  { value: 'partial', label: '部分丧失劳动能力' },
  { value: 'none', label: '无劳动能力' },
];

export const NEW_MEMBER: MemberValues = { sex: 'M', flags: [], incomes: [] };

/** Money in 元 (strings keep it exact until it becomes fen). */
function YuanInput(props: { 'aria-label'?: string; placeholder?: string; width?: number }) {
  const { width = 160, ...rest } = props;
  return <InputNumber<string> stringMode min="0" precision={2} style={{ width }} suffix="元" {...rest} />;
}

/** Income rows of a member (or of the household): 类型 + 金额 over the reference period. */
function IncomeRows({ name, hint }: { name: (string | number)[]; hint: string }) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          {fields.map((f) => (
            <Space key={f.key} wrap align="start" data-testid="income-row">
              <Form.Item
                name={[f.name, 'type']}
                noStyle
                rules={[{ required: true, message: '请选择收入类型' }]}
              >
                <Select
                  aria-label="收入类型"
                  placeholder="收入类型"
                  options={INCOME_OPTIONS}
                  style={{ width: 200 }}
                  showSearch={{ optionFilterProp: 'label' }}
                />
              </Form.Item>
              <Form.Item
                name={[f.name, 'amountYuan']}
                noStyle
                rules={[{ required: true, message: '请填写金额' }]}
              >
                <YuanInput aria-label="收入金额" placeholder="计算期合计" />
              </Form.Item>
              <Form.Item name={[f.name, 'note']} noStyle>
                <Input placeholder="备注（如 零工 400 元/月 × 6）" style={{ width: 240 }} maxLength={200} />
              </Form.Item>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label="删除收入"
                onClick={() => remove(f.name)}
              />
            </Space>
          ))}
          <Button size="small" icon={<PlusOutlined />} onClick={() => add({})}>
            {hint}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

/**
 * The 低保 household: members with age, sex, categories, work ability and incomes (totals over the policy's
 * reference period), the household's common incomes, and its property.
 */
export function DibaoHouseholdForm({
  referenceMonths,
  bands,
}: {
  referenceMonths: number | null;
  bands: { code: string; label: string }[] | null;
}) {
  const form = Form.useFormInstance();
  const members = (Form.useWatch(['dibao', 'members'], form) as MemberValues[] | undefined) ?? [];
  const period = referenceMonths ? `${referenceMonths} 个月` : '计算期';

  return (
    <>
      <Typography.Title level={5}>家庭成员</Typography.Title>
      <Typography.Paragraph type="secondary">
        收入填写{period}的合计（如每月 400 元、计算期 6 个月，填 2400）。年龄与出生日期填一项即可。
      </Typography.Paragraph>
      <Form.List name={['dibao', 'members']}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                title={`成员${i + 1}${members[i]?.name ? `：${members[i]?.name}` : ''}`}
                style={{ marginBottom: 12 }}
                data-testid={`member-${i}`}
                extra={
                  fields.length > 1 && (
                    <Button type="link" danger size="small" onClick={() => remove(f.name)}>
                      删除成员
                    </Button>
                  )
                }
              >
                <Row gutter={12}>
                  <Col xs={24} sm={12} md={6}>
                    <Form.Item name={[f.name, 'name']} label="姓名">
                      <Input maxLength={50} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} md={4}>
                    <Form.Item
                      name={[f.name, 'sex']}
                      label="性别"
                      rules={[{ required: true, message: '请选择性别' }]}
                    >
                      <Radio.Group
                        options={[
                          { value: 'M', label: '男' },
                          { value: 'F', label: '女' },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={6} md={3}>
                    <Form.Item
                      name={[f.name, 'age']}
                      label="年龄"
                      dependencies={[['dibao', 'members', f.name, 'birthDate']]}
                      rules={[
                        ({ getFieldValue }) => ({
                          validator: (_, v) =>
                            v !== undefined && v !== null
                              ? Promise.resolve()
                              : getFieldValue(['dibao', 'members', f.name, 'birthDate'])
                                ? Promise.resolve()
                                : Promise.reject(new Error('请填写年龄或出生日期')),
                        }),
                      ]}
                    >
                      <InputNumber min={0} max={130} precision={0} style={{ width: '100%' }} suffix="岁" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={6} md={5}>
                    <Form.Item name={[f.name, 'birthDate']} label="或出生日期">
                      <DatePicker style={{ width: '100%' }} placeholder="YYYY-MM-DD" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} md={6}>
                    <Form.Item name={[f.name, 'labourCapacity']} label="劳动能力">
                      <Select allowClear options={LABOUR_OPTIONS} placeholder="未评定" />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name={[f.name, 'flags']} label="人员类别与情况">
                  <Checkbox.Group options={MEMBER_FLAGS.map((x) => ({ value: x.value, label: x.label }))} />
                </Form.Item>
                <Form.Item label={`个人收入（${period}合计）`} style={{ marginBottom: 0 }}>
                  <IncomeRows name={[f.name, 'incomes']} hint="添加收入" />
                </Form.Item>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ ...NEW_MEMBER })} data-testid="add-member">
              添加成员
            </Button>
          </>
        )}
      </Form.List>

      <Typography.Title level={5} style={{ marginTop: 20 }}>
        家庭共同收入
      </Typography.Title>
      <Form.Item extra="家庭经营、种养殖、出租房屋等不属于某一成员的收入，填写计算期合计。">
        <IncomeRows name={['dibao', 'householdIncomes']} hint="添加家庭收入" />
      </Form.Item>

      <Typography.Title level={5}>家庭财产</Typography.Title>
      <Row gutter={12}>
        <Col xs={24} sm={12} md={6}>
          <Form.Item name={['dibao', 'financialYuan']} label="存款等金融资产">
            <YuanInput aria-label="存款等金融资产" width={180} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} md={4}>
          <Form.Item name={['dibao', 'residential']} label="住房（套）">
            <InputNumber min={0} max={99} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} md={5}>
          <Form.Item name={['dibao', 'nonResidential']} label="非住宅房产（处）">
            <InputNumber min={0} max={99} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} md={4}>
          <Form.Item name={['dibao', 'businesses']} label="工商登记（户）">
            <InputNumber min={0} max={20} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={6} md={5}>
          <Form.Item name={['dibao', 'smallShops']} label="其中无雇工夫妻小店">
            <InputNumber min={0} max={20} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="车辆">
        <Form.List name={['dibao', 'vehicles']}>
          {(fields, { add, remove }) => (
            <Space wrap>
              {fields.map((f) => (
                <Space.Compact key={f.key}>
                  <Form.Item name={[f.name, 'type']} noStyle>
                    <Select aria-label="车辆类型" options={VEHICLE_OPTIONS} style={{ width: 170 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label="删除车辆" onClick={() => remove(f.name)} />
                </Space.Compact>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => add({ type: 'car' })}>
                添加车辆
              </Button>
            </Space>
          )}
        </Form.List>
      </Form.Item>

      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name={['dibao', 'singlePerson']}
            label="单人保"
            extra="家庭收入不符合条件、但重病或重度残疾成员可单独纳入的，选择该成员。"
          >
            <Select
              options={[
                { value: 'none', label: '不适用（全家计算）' },
                ...members.map((m, i) => ({
                  value: i,
                  label: `成员${i + 1}${m?.name ? `：${m.name}` : ''}`,
                })),
              ]}
            />
          </Form.Item>
        </Col>
        {bands && (
          <Col xs={24} sm={12}>
            <Form.Item
              name={['dibao', 'bandCode']}
              label="分档"
              rules={[{ required: true, message: '该政策按档次补助，请选择家庭所属档次' }]}
            >
              <Select options={bands.map((b) => ({ value: b.code, label: b.label }))} />
            </Form.Item>
          </Col>
        )}
      </Row>
    </>
  );
}
