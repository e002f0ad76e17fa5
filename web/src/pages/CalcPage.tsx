import { CalcWorkbench } from '../modules/calc/CalcWorkbench.tsx';

export default function CalcPage() {
  return <CalcWorkbench />;
}
