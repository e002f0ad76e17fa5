import { Col, Form, Input, InputNumber, type InputNumberProps, Radio, Row, Select } from 'antd';
import { MEDICAL_CATEGORIES } from '../../../../src/domain/policy/medical-aid.params.ts';
import { PRICE_SUBSIDY_GROUPS } from '../../../../src/domain/policy/price-subsidy.params.ts';
import { SELF_CARE_LABELS } from '../../../../src/domain/policy/tekun.params.ts';
import { AID_TYPE_LABELS, yuan } from '../policy/format.ts';

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

/** Money in 元; Form.Item passes value and onChange through. */
function Yuan({ label, ...rest }: { label: string } & InputNumberProps<string>) {
  return (
    <InputNumber<string>
      stringMode
      min="0"
      precision={2}
      style={{ width: '100%' }}
      suffix="元"
      aria-label={label}
      {...rest}
    />
  );
}

const DIBAO_PROGRAM_OPTIONS = [
  { value: 'rural_dibao', label: '农村低保标准' },
  { value: 'urban_dibao', label: '城市低保标准' },
];

/** 特困供养: 供养方式 and 生活自理能力. */
export function TekunForm() {
  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item
          name={['tekun', 'supportMode']}
          label="供养方式"
          rules={[{ required: true, message: '请选择供养方式' }]}
        >
          <Radio.Group
            options={[
              { value: 'dispersed', label: '分散供养' },
              { value: 'concentrated', label: '集中供养' },
            ]}
          />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item
          name={['tekun', 'selfCare']}
          label="生活自理能力"
          rules={[{ required: true, message: '请选择生活自理能力' }]}
        >
          <Select options={options(SELF_CARE_LABELS)} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 临时救助: the band, the household size, what was asked for and what was paid this year. */
export function TemporaryAidForm({
  bands,
  householdBasis,
}: {
  bands: {
    code: string;
    label: string;
    type: string;
    monthsOfStandard: string;
    perPerson: boolean;
    capFen?: number;
  }[];
  householdBasis: boolean;
}) {
  return (
    <Row gutter={12}>
      <Col xs={24} md={12}>
        <Form.Item
          name={['temporary_aid', 'bandCode']}
          label="救助档次"
          rules={[{ required: true, message: '请选择救助档次' }]}
        >
          <Select
            options={bands.map((b) => ({
              value: b.code,
              label: `${b.label}（${AID_TYPE_LABELS[b.type] ?? b.type}，${b.monthsOfStandard} 个月标准${b.perPerson ? ' × 人数' : ''}${
                b.capFen !== undefined ? `，最高 ${yuan(b.capFen)} 元` : ''
              }）`,
            }))}
          />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item
          name={['temporary_aid', 'persons']}
          label="家庭人口数"
          rules={[{ required: true, message: '请填写家庭人口数' }]}
        >
          <InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} suffix="人" />
        </Form.Item>
      </Col>
      {householdBasis && (
        <Col xs={12} md={6}>
          <Form.Item
            name={['temporary_aid', 'dibaoProgram']}
            label="家庭所在地"
            rules={[{ required: true, message: '请选择按城市还是农村低保标准' }]}
          >
            <Select options={DIBAO_PROGRAM_OPTIONS} />
          </Form.Item>
        </Col>
      )}
      <Col xs={12} md={8}>
        <Form.Item name={['temporary_aid', 'requestedYuan']} label="申请金额（可不填）">
          <Yuan label="申请金额" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={['temporary_aid', 'paidThisYearYuan']} label="本年度已救助金额">
          <Yuan label="本年度已救助金额" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={['temporary_aid', 'timesThisYear']} label="本年度已救助次数">
          <InputNumber min={0} max={50} precision={0} style={{ width: '100%' }} suffix="次" />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 医疗救助: one hospital bill as the settlement slip gives it. */
export function MedicalAidForm() {
  return (
    <Row gutter={12}>
      <Col xs={24} md={8}>
        <Form.Item
          name={['medical_aid', 'category']}
          label="人员类别"
          rules={[{ required: true, message: '请选择人员类别' }]}
        >
          <Select options={options(MEDICAL_CATEGORIES)} />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item
          name={['medical_aid', 'billYuan']}
          label="医疗总费用"
          rules={[{ required: true, message: '请填写医疗总费用' }]}
        >
          <Yuan label="医疗总费用" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item
          name={['medical_aid', 'eligibleYuan']}
          label="政策范围内费用"
          rules={[{ required: true, message: '请填写政策范围内费用' }]}
        >
          <Yuan label="政策范围内费用" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={['medical_aid', 'basicInsuranceYuan']} label="基本医保已支付（结算单）">
          <Yuan label="基本医保已支付" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={['medical_aid', 'criticalIllnessYuan']} label="大病保险已支付（结算单）">
          <Yuan label="大病保险已支付" />
        </Form.Item>
      </Col>
      <Col xs={12} md={8}>
        <Form.Item name={['medical_aid', 'assistanceThisYearYuan']} label="本年度已获医疗救助">
          <Yuan label="本年度已获医疗救助" />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 价格临时补贴: the person's group and the month's published indices. */
export function PriceSubsidyForm({ group }: { group: string | undefined }) {
  const needsProgram = group !== undefined && !/_(dibao|tekun)$/.test(group);
  const pct = { pattern: /^-?\d+(\.\d+)?$/, message: '请填写数字，如 3.6 或 -0.4' };
  return (
    <Row gutter={12}>
      <Col xs={24} md={8}>
        <Form.Item
          name={['price_subsidy', 'group']}
          label="保障对象类别"
          rules={[{ required: true, message: '请选择保障对象类别' }]}
        >
          <Select options={options(PRICE_SUBSIDY_GROUPS)} />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name={['price_subsidy', 'cpiYoY']} label="CPI 同比涨幅" rules={[pct]}>
          <Input suffix="%" placeholder="如 3.6" />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name={['price_subsidy', 'foodYoY']} label="食品价格同比涨幅" rules={[pct]}>
          <Input suffix="%" placeholder="如 7.4" />
        </Form.Item>
      </Col>
      {needsProgram && (
        <Col xs={24} md={6}>
          <Form.Item
            name={['price_subsidy', 'dibaoProgram']}
            label="按哪个低保标准"
            rules={[{ required: true, message: '请选择城市或农村低保标准' }]}
          >
            <Select options={DIBAO_PROGRAM_OPTIONS} />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}
