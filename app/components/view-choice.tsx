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
  const current = params.get(name) ?? value;
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
