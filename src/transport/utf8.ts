// Input must be UTF-8. A decoder that quietly turns bad bytes into U+FFFD would store a
// different text than the one sent, so both front doors check the bytes first: the HTTP API
// refuses a body that is not UTF-8 and names the first bad byte, the command line rejects a
// file's line that is not UTF-8 and reads on.
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** The offset of the first byte of the first sequence that is not valid UTF-8, or -1 if there is none. */
export function invalidUtf8Offset(b: Uint8Array): number {
  if (isUtf8(b)) return -1;
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    // RFC 3629 section 4: the lead byte fixes how many bytes follow and the second one's range.
    const [n, lo, hi] = c >= 0xc2 && c <= 0xdf ? [1, 0x80, 0xbf]
      : c === 0xe0 ? [2, 0xa0, 0xbf]
        : (c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef ? [2, 0x80, 0xbf]
          : c === 0xed ? [2, 0x80, 0x9f]
            : c === 0xf0 ? [3, 0x90, 0xbf]
              : c >= 0xf1 && c <= 0xf3 ? [3, 0x80, 0xbf]
                : c === 0xf4 ? [3, 0x80, 0x8f] : [0, 0, 0];
    if (n === 0 || i + n > b.length - 1) return i;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/**
 * Splits a byte stream into lines (on LF; a CR before it stays), checks each line's bytes and
 * passes the text on decoded. A line that is not UTF-8 is passed on with U+FFFD for its bad
 * bytes (so that line numbers stay right for what reads the text) and its number is added
 * to `invalidLines` (1-based) before the text is pushed.
 */
export class Utf8Lines extends Transform {
  readonly invalidLines = new Set<number>();
  private pending: Buffer[] = [];
  private line = 1;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true });
    this.setEncoding('utf8');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      this.pending.push(chunk.subarray(from, nl + 1));
      this.emitLine();
      from = nl + 1;
    }
    if (from < chunk.length) this.pending.push(chunk.subarray(from));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pending.length > 0) this.emitLine();
    done();
  }

  private emitLine(): void {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    if (!isUtf8(bytes)) this.invalidLines.add(this.line);
    this.line++;
    this.push(bytes);
  }
}
