import type { StaffingInputProblem } from '~/utils/staffing-inputs';

/**
 * Each staffing input in the address the server could not use, named in an alert beside the inputs
 * with what it accepts and the value the page used instead (`subject`: "plan", "capacity").
 */
export function StaffingInputProblems({
  problems,
  subject,
}: {
  problems: readonly StaffingInputProblem[];
  subject: string;
}) {
  return (
    <>
      {problems.map((problem) => (
        <p key={problem.parameter} className="filter-problem" role="alert">
          The {subject} input{' '}
          <code>
            {problem.parameter}={problem.given}
          </code>{' '}
          in this address was not understood (expected {problem.allowed}), so the {subject} uses{' '}
          <code>
            {problem.parameter}={problem.used}
          </code>
          .
        </p>
      ))}
    </>
  );
}
