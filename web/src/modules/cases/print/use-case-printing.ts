import { useEffect } from 'react';
import './print.css';

/** Marks the body while a case document is shown, so the app under the sheet is hidden. */
export function useCasePrinting(): void {
  useEffect(() => {
    document.body.classList.add('case-printing');
    return () => document.body.classList.remove('case-printing');
  }, []);
}
