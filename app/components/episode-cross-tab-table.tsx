import type { WarehouseSummary } from '~/models/warehouse-summary.server';
import { formatCount } from '~/utils/format';

/** Episodes with modalities as rows and locations as columns, totals in the last row and column. */
export function EpisodeCrossTabTable({ table }: { table: WarehouseSummary['episodesByModalityAndLocation'] }) {
  return (
    // A wide table scrolls inside its own region, which keyboard users can focus to scroll.
    <div className="table-scroll" role="region" aria-labelledby="episodes-caption" tabIndex={0}>
      <table className="numeric">
        <caption id="episodes-caption">Episodes of care by modality (rows) and location (columns)</caption>
        <thead>
          <tr>
            <th scope="col">Modality</th>
            {table.locations.map((location) => (
              <th scope="col" key={location}>
                {location}
              </th>
            ))}
            <th scope="col">All locations</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.modality}>
              <th scope="row">{row.modality}</th>
              {row.episodesByLocation.map((episodes, index) => (
                <td key={table.locations[index]}>{formatCount(episodes)}</td>
              ))}
              <td className="total">{formatCount(row.episodes)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All modalities</th>
            {table.episodesByLocation.map((episodes, index) => (
              <td key={table.locations[index]}>{formatCount(episodes)}</td>
            ))}
            <td className="total">{formatCount(table.episodes)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
