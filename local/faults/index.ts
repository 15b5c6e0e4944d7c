export { FaultInjector, type FaultInjectorOptions } from './fault-injector.js';
export {
  type FaultedService,
  type FaultRule,
  FaultSpecError,
  type FunctionFaultKind,
  formatFaultRules,
  functionFaultKinds,
  parseFaultRules,
  type ServiceFaultKind,
  serviceFaultKinds,
} from './fault-rules.js';
export { withFunctionFaults } from './function-faults.js';
export { answerWithFault, type InjectedCall } from './service-faults.js';
