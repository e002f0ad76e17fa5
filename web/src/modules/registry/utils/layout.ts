import type { CSSProperties } from 'react';

/**
 * The root of a registry page. Its own stacking context keeps the tables' sticky (fixed) columns, whose
 * z-index is above the shell's sticky header, underneath that header when the page scrolls.
 */
export const PAGE_STYLE: CSSProperties = { width: '100%', position: 'relative', zIndex: 0 };
