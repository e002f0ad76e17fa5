/**
 * Chinese names and ethnicity for the demo county, 乳源瑶族自治县 (a Yao autonomous county in
 * northern Guangdong, DOMAIN §12). Han surnames follow their rough frequency in northern Guangdong;
 * the Yao surnames are those common among Ruyuan's 过山瑶. Given names lean on the characters popular
 * in each generation, so a grandmother and her granddaughter do not sound alike.
 */
import type { Rng } from './random.ts';

export type Sex = 'M' | 'F';

export const HAN = '汉族';
export const YAO = '瑶族';

const HAN_SURNAMES: readonly (readonly [string, number])[] = [
  ['李', 8],
  ['黄', 7],
  ['陈', 7],
  ['张', 5],
  ['刘', 5],
  ['邓', 4.5],
  ['何', 3],
  ['周', 3],
  ['曾', 3],
  ['林', 3],
  ['朱', 2.5],
  ['赵', 2],
  ['吴', 3],
  ['罗', 3],
  ['邱', 2.5],
  ['谢', 2.5],
  ['梁', 2.5],
  ['叶', 2],
  ['钟', 2],
  ['温', 1.5],
  ['廖', 2],
  ['杨', 2.5],
  ['王', 2.5],
  ['欧阳', 0.8],
  ['范', 1],
  ['徐', 1.5],
  ['胡', 1.5],
  ['郭', 1.5],
  ['许', 1],
  ['冯', 1.5],
  ['潘', 1],
  ['唐', 1],
  ['余', 1.5],
  ['赖', 1.5],
  ['蓝', 0.5],
  ['侯', 0.5],
  ['华', 0.5],
  ['龚', 0.5],
  ['巫', 0.5],
  ['骆', 0.5],
  ['宋', 0.5],
  ['严', 0.5],
  ['丘', 0.4],
];

/** Yao surnames common in Ruyuan (盘 first: the 盘王 lineage). */
const YAO_SURNAMES: readonly (readonly [string, number])[] = [
  ['盘', 20],
  ['赵', 16],
  ['邓', 14],
  ['冯', 8],
  ['李', 6],
  ['唐', 6],
  ['沈', 5],
  ['房', 5],
  ['雷', 4],
];

const MALE = {
  old: '富贵财发石水生金福旺桂树来昌有根保元寿添炳球松林德荣'.split(''),
  common:
    '伟强军明华建国平志勇杰文辉海东林光荣德俊超斌鹏新祥成庆春锋永家振雄忠兵进运福亮坚贤才良胜学彬峰波卫'.split(
      '',
    ),
  young: '浩宇轩俊杰子梓涵睿博霖晨嘉豪鑫航铭泽锦煜诚昊然凯毅骏宏'.split(''),
};

const FEMALE = {
  old: '妹娣英秀凤莲桂娇好彩银金满容玉兰珍'.split(''),
  common: '芳丽英秀红梅兰娟玉燕霞艳萍琴珍凤莲敏静婷丹玲桂群月美云华春雪慧'.split(''),
  young: '欣怡诗佳雨萱涵梓琪嘉颖婷悦晴思蕾璐菲可馨妍婉'.split(''),
};

const ORDINALS = '二三四五六七'.split('');

/** Share of households that are Yao, by town: the Yao live mostly in the mountain towns. */
const YAO_SHARE_BY_TOWN: Record<string, number> = { 必背镇: 0.6, 东坪镇: 0.45, 游溪镇: 0.3 };
const YAO_SHARE_ELSEWHERE = 0.03;

export function yaoShare(townName: string): number {
  return YAO_SHARE_BY_TOWN[townName] ?? YAO_SHARE_ELSEWHERE;
}

export function surname(rng: Rng, yao: boolean): string {
  return rng.weighted(yao ? YAO_SURNAMES : HAN_SURNAMES);
}

function generationPool(
  pools: { old: string[]; common: string[]; young: string[] },
  birthYear: number,
): string[] {
  if (birthYear < 1965) return [...pools.old, ...pools.common];
  if (birthYear >= 1990) return [...pools.young, ...pools.common.slice(0, 12)];
  return pools.common;
}

/** A given name of one or two characters suited to the sex and the generation. */
export function givenName(rng: Rng, sex: Sex, birthYear: number, yao: boolean): string {
  // Older Yao women were often named by birth order: 二妹, 三妹…
  if (yao && sex === 'F' && birthYear < 1965 && rng.chance(0.3)) return `${rng.pick(ORDINALS)}妹`;
  const pool = generationPool(sex === 'M' ? MALE : FEMALE, birthYear);
  // The 亚 prefix of the older Cantonese-speaking generation.
  if (birthYear < 1960 && rng.chance(0.08)) return `亚${rng.pick(pool)}`;
  if (rng.chance(0.2)) return rng.pick(pool);
  const first = rng.pick(pool);
  if (sex === 'F' && birthYear >= 1985 && rng.chance(0.05)) return first + first;
  let second = rng.pick(pool);
  while (second === first) second = rng.pick(pool);
  return first + second;
}

export function fullName(
  rng: Rng,
  input: { surname: string; sex: Sex; birthYear: number; yao: boolean },
): string {
  return input.surname + givenName(rng, input.sex, input.birthYear, input.yao);
}
