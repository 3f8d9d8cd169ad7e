package dev.ironcore.boot.blobcache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.function.LongConsumer;

/**
 * An upstream body passed through with its flow control, hashed on the way; only the requested
 * range is emitted and its last byte is held back until the whole blob matched its digest.
 */
final class VerifyingPassThrough implements ReadStream<Buffer> {
  private final DigestVerifier verifier;
  private final UpstreamBlob upstream;
  private final long offset;
  private final long end;
  private Runnable onMismatch = () -> {};
  private LongConsumer onServed = bytes -> {};
  private Buffer heldBack = Buffer.buffer();
  private boolean done;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  VerifyingPassThrough(DigestVerifier verifier, UpstreamBlob upstream, long offset, long length) {
    this.verifier = verifier;
    this.upstream = upstream;
    this.offset = offset;
    this.end = offset + length;
  }

  VerifyingPassThrough onMismatch(Runnable onMismatch) {
    this.onMismatch = onMismatch;
    return this;
  }

  VerifyingPassThrough onServed(LongConsumer onServed) {
    this.onServed = onServed;
    return this;
  }

  @Override
  public VerifyingPassThrough handler(Handler<Buffer> handler) {
    this.handler = handler;
    ReadStream<Buffer> body = upstream.body();
    body.exceptionHandler(this::fail).endHandler(v -> upstreamEnded());
    body.handler(handler == null ? null : this::chunk);
    return this;
  }

  private void chunk(Buffer chunk) {
    long chunkStart = verifier.bytes();
    if (done) {
      return;
    }
    if (chunkStart + chunk.length() > upstream.size()) {
      mismatch("longer than its announced size");
      return;
    }
    verifier.update(chunk);
    long from = Math.max(offset, chunkStart);
    long to = Math.min(end, verifier.bytes());
    if (from < to) {
      Buffer slice = chunk.slice((int) (from - chunkStart), (int) (to - chunkStart));
      emit(to == end ? holdBackLastByte(slice) : slice);
    }
    if (verifier.bytes() == upstream.size()) {
      verified();
    }
  }

  private Buffer holdBackLastByte(Buffer slice) {
    heldBack = slice.slice(slice.length() - 1, slice.length());
    return slice.slice(0, slice.length() - 1);
  }

  private void verified() {
    if (!verifier.matches()) {
      mismatch("does not match its digest");
      return;
    }
    done = true;
    emit(heldBack);
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void upstreamEnded() {
    if (!done && upstream.size() == 0) {
      verified();
    } else if (!done) {
      mismatch("ended after " + verifier.bytes() + " of " + upstream.size() + " bytes");
    }
  }

  private void emit(Buffer bytes) {
    if (bytes.length() > 0) {
      onServed.accept(bytes.length());
      handler.handle(bytes);
    }
  }

  private void mismatch(String what) {
    onMismatch.run();
    fail(new BlobVerificationException("blob " + what));
  }

  private void fail(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    upstream.cancel().run();
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  @Override
  public Future<Void> pipeTo(WriteStream<Buffer> destination) {
    // Nobody else reads this download: a client that went away stops it.
    return pipe().endOnFailure(false).to(destination).onFailure(failure -> {
      done = true;
      upstream.cancel().run();
    });
  }

  @Override
  public void pipeTo(WriteStream<Buffer> destination, Handler<AsyncResult<Void>> completion) {
    pipeTo(destination).onComplete(completion);
  }

  @Override
  public VerifyingPassThrough pause() {
    upstream.body().pause();
    return this;
  }

  @Override
  public VerifyingPassThrough resume() {
    upstream.body().resume();
    return this;
  }

  @Override
  public VerifyingPassThrough fetch(long amount) {
    upstream.body().fetch(amount);
    return this;
  }

  @Override
  public VerifyingPassThrough endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public VerifyingPassThrough exceptionHandler(Handler<Throwable> exceptionHandler) {
    this.exceptionHandler = exceptionHandler;
    return this;
  }
}
