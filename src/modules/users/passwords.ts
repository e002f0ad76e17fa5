import { hash, verify } from '@node-rs/argon2';
import { validationError } from '../errors/app-error.ts';

// OWASP's argon2id baseline (19 MiB, 2 iterations) keeps a login well under a second on a laptop-class server.
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum, not importable under verbatimModuleSyntax) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Password policy: at least 8 characters with letters and digits. */
export function assertPasswordPolicy(password: string, field = 'password'): void {
  if (password.length < 8) throw validationError(field, '密码至少需要8位');
  if (password.length > 128) throw validationError(field, '密码不能超过128位');
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw validationError(field, '密码必须同时包含字母和数字');
  }
}
