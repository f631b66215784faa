import { formatCount } from '~/utils/format';

export interface RunFile {
  file: string;
  sha256: string;
  bytes: number;
  read: number;
  loaded: number;
  rejected: number;
}

/** The files of one ETL run: checksum (sha256, in full: it is what the data team compares), size and row counts. */
export function RunFilesList({ files }: { files: readonly RunFile[] }) {
  if (files.length === 0) return <span className="detail">no file recorded</span>;
  return (
    <ul className="files">
      {files.map((file) => (
        <li key={file.file}>
          <span className="file-name">{file.file}</span> ({formatCount(file.bytes)} bytes): {formatCount(file.read)}{' '}
          read, {formatCount(file.loaded)} loaded,{' '}
          <span className={file.rejected > 0 ? 'rejected' : undefined}>{formatCount(file.rejected)} rejected</span>
          <br />
          <span className="detail">
            sha256 <code className="checksum">{file.sha256}</code>
          </span>
        </li>
      ))}
    </ul>
  );
}
