import type { PageInputProblem } from '~/utils/page-inputs';

/**
 * A page's input in the address (the staffing plan's `spw`, `weeks`, `missed`, `growth_<modality>`,
 * the measurement audit's `target`, a list's `page`): its parameter, what it accepts (in words, for
 * the page's alert and the file's 400), its default, how its text reads (undefined: not usable) and
 * how a value is written back into an address. Every such input is read by readInput, so each one
 * the server cannot use is reported the same way.
 */
export interface PageInput<T> {
  parameter: string;
  allowed: string;
  fallback: T;
  read: (text: string) => T | undefined;
  write: (value: T) => string;
}

/** A number in the address within a range: decimals allowed unless `whole`; no exponents, hex or Infinity. */
export function numberInput(
  parameter: string,
  {
    fallback,
    range,
    whole,
    allowed,
  }: { fallback: number; range: { min: number; max: number }; whole: boolean; allowed: string },
): PageInput<number> {
  const form = whole ? /^-?\d+$/ : /^-?(\d+(\.\d*)?|\.\d+)$/;
  return {
    parameter,
    allowed,
    fallback,
    read: (text) => {
      const value = form.test(text) ? Number(text) : Number.NaN;
      return value >= range.min && value <= range.max ? value : undefined;
    },
    write: String,
  };
}

/**
 * An input's value from the address: its default when absent or empty; when given but not usable,
 * its default too, and the input named in `problems` with what it accepts and the value used.
 */
export function readInput<T>(url: URL, input: PageInput<T>, problems: PageInputProblem[]): T {
  const text = url.searchParams.get(input.parameter)?.trim() ?? '';
  if (text === '') return input.fallback;
  const value = input.read(text);
  if (value !== undefined) return value;
  problems.push({ parameter: input.parameter, given: text, allowed: input.allowed, used: input.write(input.fallback) });
  return input.fallback;
}

/** A 400 for an address the server will not answer, in one line of text that names the parameter. */
export function addressRefused(message: string): Response {
  return new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** A page's inputs for a file: one the server cannot use is a 400 naming it (a file does not show a notice). */
export function inputsOrRefuse<Inputs extends { problems: PageInputProblem[] }>(inputs: Inputs): Inputs {
  const problem = inputs.problems[0];
  if (problem) throw addressRefused(`${problem.parameter}: ${problem.allowed}, not "${problem.given}".`);
  return inputs;
}
