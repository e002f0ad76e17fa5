import { useSearchParams } from 'react-router-dom';
import { IntakeList } from '../modules/intake/IntakeList.tsx';
import { RegisterForm } from '../modules/intake/RegisterForm.tsx';

/** 受理登记: the list, or the one-form registration (/intake?register=1). */
export default function IntakePage() {
  const [params] = useSearchParams();
  return params.get('register') ? <RegisterForm /> : <IntakeList />;
}
