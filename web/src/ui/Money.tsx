/** Money is integer fen everywhere; it becomes 元 only here, in tabular digits. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('zh-CN');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

export function Money({ fen, unit = true }: { fen: number; unit?: boolean }) {
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatYuan(fen)}
      {unit ? ' 元' : ''}
    </span>
  );
}
