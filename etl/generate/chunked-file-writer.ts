import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** Bytes gathered before they are handed to the stream: large enough that per-write costs vanish. */
const CHUNK_BYTES = 1024 * 1024;
/** The most bytes UTF-8 needs for one UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;

/**
 * Writes a text file in large chunks with backpressure: rows are appended synchronously (no await
 * per row), and the caller awaits `flushIfFull` now and then, which waits for the disk only when
 * the stream's buffer is full. Memory stays flat however large the file.
 *
 * Rows are encoded straight into a byte buffer rather than gathered as strings: millions of small
 * strings kept alive until a flush made garbage collection most of the run time.
 */
export class ChunkedFileWriter {
  private readonly stream: WriteStream;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly filled: Buffer[] = [];
  private failure: Error | null = null;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  append(text: string): void {
    if (this.used + text.length * MAX_BYTES_PER_CHAR > this.buffer.length) {
      if (this.used > 0) this.filled.push(this.buffer.subarray(0, this.used));
      this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * MAX_BYTES_PER_CHAR));
      this.used = 0;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Hands the filled chunks to the stream; resolves when the stream can take more. */
  async flushIfFull(): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.filled.length > 0) {
      if (!this.stream.write(this.filled.shift()!)) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    if (this.used > 0) this.filled.push(this.buffer.subarray(0, this.used));
    this.used = 0;
    await this.flushIfFull();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  /** On failure the stream is destroyed so that no file handle is left open. */
  abort(): void {
    this.stream.destroy();
  }
}

/** RFC 4180: a field holding a comma, quote or line break is quoted, with quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
