import { useViewParams } from '~/utils/use-view-params';

/**
 * A choice of the page's own (which dimension, which metric) kept in the URL like the filters.
 * The first option is the default and leaves the URL without the parameter.
 */
export function ViewChoice({
  name,
  label,
  options,
  value,
}: {
  name: string;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** The value the server used (after defaults). */
  value: string;
}) {
  const [params, setView] = useViewParams();
  // The address leads (so the choice turns as soon as it is made), unless it names a value not
  // offered here (Compare's baseline band under the combined definition): then the server's.
  const asked = params.get(name);
  const current = options.some((option) => option.value === asked) ? asked! : value;
  return (
    <label className="view-choice">
      {label}{' '}
      <select
        name={name}
        value={current}
        onChange={(event) => {
          const next = new URLSearchParams(params);
          const chosen = event.currentTarget.value;
          if (chosen === options[0]?.value) next.delete(name);
          else next.set(name, chosen);
          setView(next);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
