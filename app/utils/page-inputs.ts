/**
 * A page's input in the address the server cannot use (the staffing plan's `spw`, `weeks`, `missed`,
 * `growth_<modality>`, the measurement audit's `target`; read in app/utils/page-inputs.server.ts):
 * named, with what it accepts and the value used instead. The page names it in an alert
 * (PageInputProblems), its CSV file refuses it with a 400 (inputsOrRefuse), and the page's
 * Download CSV links carry the value used (withInputsApplied), so a file is the figures shown.
 */
export interface PageInputProblem {
  parameter: string;
  given: string;
  allowed: string;
  used: string;
}

/** The address's parameters with each input the server could not use replaced by the value it used. */
export function withInputsApplied(params: URLSearchParams, problems: readonly PageInputProblem[] = []) {
  for (const problem of problems) params.set(problem.parameter, problem.used);
  return params;
}
