import type { PageInputProblem } from '~/utils/page-inputs';

/**
 * Each page input in the address the server could not use, named in an alert beside the figures
 * with what it accepts and the value the page used instead (`subject`: "plan", "capacity",
 * "measurement audit").
 */
export function PageInputProblems({ problems, subject }: { problems: readonly PageInputProblem[]; subject: string }) {
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
