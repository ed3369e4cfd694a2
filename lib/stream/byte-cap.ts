// A pass-through stream that fails once more than `max` bytes went through it: the cap on a
// request body proxied as it arrives, or on an archive as it inflates, where the size is known
// only while reading.
import { Transform, type TransformCallback } from 'node:stream';

export class ByteCap extends Transform {
  private seen = 0;

  /** `tooLarge` makes the error the stream fails with, in the words of its caller. */
  constructor(
    private readonly max: number,
    private readonly tooLarge: (max: number) => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      done(this.tooLarge(this.max));
      return;
    }
    done(null, chunk);
  }
}
