/**
 * The dibao property test as a rule table (DOMAIN §3.5): each row of params.assets is one category with its
 * threshold and exemptions. Every failed row is a refusal that names the family's figure and the threshold.
 */
import { cmp, decimal, div, formatYuan, int, mul } from '../money/money.ts';
import { type AssetRule, VEHICLE_TYPES, type VehicleType } from '../policy/dibao.params.ts';
import type { Explainer } from './explanation.ts';
import { yuanText } from './income.ts';

export const RULE_ASSETS = '社会救助暂行办法 第9条、第10条；审核确认办法 第14条（DOMAIN §3.5）';
export const RULE_VEHICLES = '民发〔2012〕220号 第17条；审核确认办法 第14条（DOMAIN §3.5）';

export interface DibaoAssets {
  /** Deposits, securities, funds, commercial insurance, claims, internet finance (market value). */
  financialAssetsFen: number;
  residentialProperties: number;
  /** Shops, garages and parking spaces, offices. */
  nonResidentialProperties: number;
  vehicles: { type: VehicleType }[];
  businessRegistrations: { smallFamilyShop: boolean }[];
}

export interface AssetRefusal {
  code: AssetRule['category'];
  rule: string;
  text: string;
}

export interface AssetTestContext {
  /** Household members counted: the per-person financial-asset limit is multiplied by this. */
  persons: number;
  standardFen: number;
  /** The local urban standard, for rules measured against it (Guangdong, DOMAIN §3.5). */
  urbanStandardFen?: number | undefined;
}

export class DibaoRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DibaoRuleError';
  }
}

/** Runs every rule of the table; passed = no refusal. Lines are added for passed rows too. */
export function testDibaoAssets(
  rules: readonly AssetRule[],
  assets: DibaoAssets,
  ctx: AssetTestContext,
  ex: Explainer,
): { passed: boolean; refusals: AssetRefusal[] } {
  const refusals: AssetRefusal[] = [];
  const note = (code: AssetRule['category'], rule: string, text: string, failed: boolean, param: string) => {
    if (failed) refusals.push({ code, rule, text });
    ex.add({ step: '财产核查', text: failed ? text : `${text}，符合规定`, rule, param });
  };
  rules.forEach((r, i) => {
    const param = `assets[${i}]`;
    switch (r.category) {
      case 'financial_assets': {
        const basisFen =
          r.standardBasis === 'urban' ? (ctx.urbanStandardFen ?? r.urbanStandardFen) : ctx.standardFen;
        if (basisFen === undefined) {
          throw new DibaoRuleError(
            '金融资产规则以城市低保标准计算，但未提供城市低保标准（urbanStandardFen）',
          );
        }
        const basisName = r.standardBasis === 'urban' ? '城市低保标准' : '低保标准';
        const perPersonLimit = mul(decimal(r.perPersonMaxMonthsOfStandard), int(basisFen));
        const perPerson = div(int(assets.financialAssetsFen), int(ctx.persons));
        const failed = cmp(perPerson, perPersonLimit) > 0;
        note(
          r.category,
          RULE_ASSETS,
          `家庭金融资产 ${formatYuan(assets.financialAssetsFen)} 元 ÷ ${ctx.persons} 人 = 人均 ${yuanText(perPerson)} 元，` +
            `${failed ? '超过' : '未超过'}人均上限 ${yuanText(perPersonLimit)} 元（${r.perPersonMaxMonthsOfStandard} 个月 × ${basisName} ${formatYuan(basisFen)} 元）`,
          failed,
          `${param}.perPersonMaxMonthsOfStandard`,
        );
        break;
      }
      case 'residential_property': {
        const failed = assets.residentialProperties > r.maxCount;
        note(
          r.category,
          RULE_ASSETS,
          `家庭拥有住房 ${assets.residentialProperties} 套，${failed ? '超过' : '未超过'}规定的 ${r.maxCount} 套`,
          failed,
          `${param}.maxCount`,
        );
        break;
      }
      case 'non_residential_property': {
        const failed = assets.nonResidentialProperties > r.maxCount;
        note(
          r.category,
          RULE_ASSETS,
          `家庭拥有非住宅类房产（商铺、车库车位、写字楼等）${assets.nonResidentialProperties} 处，${failed ? '超过' : '未超过'}规定的 ${r.maxCount} 处`,
          failed,
          `${param}.maxCount`,
        );
        break;
      }
      case 'motor_vehicle': {
        const exempt = assets.vehicles.filter((v) => r.exemptTypes.includes(v.type));
        const counted = assets.vehicles.filter((v) => !r.exemptTypes.includes(v.type));
        const failed = counted.length > r.maxCount;
        const names = (vs: { type: VehicleType }[]) => vs.map((v) => VEHICLE_TYPES[v.type]).join('、');
        note(
          r.category,
          RULE_VEHICLES,
          `家庭拥有机动车辆 ${counted.length} 辆${counted.length > 0 ? `（${names(counted)}）` : ''}` +
            (exempt.length > 0 ? `，另有${names(exempt)} ${exempt.length} 辆不计` : '') +
            `，${failed ? '超过' : '未超过'}规定的 ${r.maxCount} 辆`,
          failed,
          `${param}.maxCount`,
        );
        break;
      }
      case 'business_registration': {
        const shops = r.exemptSmallFamilyShop
          ? assets.businessRegistrations.filter((b) => b.smallFamilyShop).length
          : 0;
        const counted = assets.businessRegistrations.length - shops;
        const failed = counted > r.maxCount;
        note(
          r.category,
          RULE_ASSETS,
          `家庭成员有工商登记 ${counted} 户` +
            (shops > 0 ? `（另有无雇工的夫妻小店 ${shops} 户视同无登记）` : '') +
            `，${failed ? '超过' : '未超过'}规定的 ${r.maxCount} 户`,
          failed,
          `${param}.maxCount`,
        );
        break;
      }
    }
  });
  return { passed: refusals.length === 0, refusals };
}
