/** Form rules for a resident ID number, checked as the clerk types (GB 11643 via the shared domain code). */
import type { FormRule } from 'antd';
import { validateResidentId } from '../../../../../src/domain/identity/resident-id.ts';
import { todayInChina } from './labels.ts';

/** Every problem with the number, in the domain's Chinese messages; empty = valid. */
export function residentIdProblems(value: string): string[] {
  const result = validateResidentId(value, { asOf: todayInChina() });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

const reject = (messages: string[]) => Promise.reject(new Error(messages.join('；')));

/**
 * While typing: wrong characters at once, everything else once 18 characters are there (a shorter
 * number is probably still being typed). On leaving the field and on saving: everything.
 */
export function residentIdRules(required = true): FormRule[] {
  return [
    { required, whitespace: true, message: '请输入身份证号码' },
    {
      validateTrigger: 'onChange',
      validator: (_, raw: string | undefined) => {
        const value = (raw ?? '').trim();
        if (value === '') return Promise.resolve();
        if (!/^\d*[Xx]?$/.test(value) || (/[Xx]$/.test(value) && value.length < 18)) {
          return reject(['身份证号码只能由数字组成，最后一位可以是X']);
        }
        if (value.length < 18) return Promise.resolve();
        const problems = residentIdProblems(value);
        return problems.length > 0 ? reject(problems) : Promise.resolve();
      },
    },
    {
      validateTrigger: 'onBlur',
      validator: (_, raw: string | undefined) => {
        const value = (raw ?? '').trim();
        if (value === '') return Promise.resolve();
        const problems = residentIdProblems(value);
        return problems.length > 0 ? reject(problems) : Promise.resolve();
      },
    },
  ];
}

/** Removes spaces people paste in, keeps what was typed otherwise. */
export function normalizeResidentId(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, '');
}
