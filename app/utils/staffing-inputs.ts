/**
 * A staffing input in the address the server cannot use (`spw`, `weeks`, `missed`, `growth_<modality>`):
 * named, with what it accepts and the value used instead. The page names it in an alert
 * (StaffingInputProblems), its CSV file refuses it with a 400 (app/models/staffing.server.ts), and
 * the page's Download CSV links carry the value used (withInputsApplied), so a file is the figures shown.
 */
export interface StaffingInputProblem {
  parameter: string;
  given: string;
  allowed: string;
  used: string;
}

/** The address's parameters with each input the server could not use replaced by the value it used. */
export function withInputsApplied(params: URLSearchParams, problems: readonly StaffingInputProblem[] = []) {
  for (const problem of problems) params.set(problem.parameter, problem.used);
  return params;
}
