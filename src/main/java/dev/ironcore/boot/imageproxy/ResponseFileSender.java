package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.FileSender;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Optional;

/**
 * File regions sent into a response's body by sendfile, as Vert.x's own {@code sendFile} does, but in
 * the middle of the response: after its head and whatever was written before, any number of times,
 * and the response still ends with {@code end()}. Only on a plain HTTP/1.1 connection without
 * compression: the bytes then go through the HTTP encoder untouched (it passes file regions on), and
 * Vert.x writes each region in 1 MiB pieces, the next once the socket took the last.
 *
 * <p>{@link Http1xServerConnection} is Vert.x's internal HTTP/1.x connection: the public API has no way to
 * write a file region after the head.
 */
final class ResponseFileSender implements FileSender {
  private final BlobExchange exchange;
  private final HttpServerResponse response;
  private final Http1xServerConnection connection;

  private ResponseFileSender(BlobExchange exchange, Http1xServerConnection connection) {
    this.exchange = exchange;
    this.response = exchange.response();
    this.connection = connection;
  }

  /** The exchange's sender, or empty when its bytes must pass through the JVM (TLS, HTTP/2, compression). */
  static Optional<FileSender> of(BlobExchange exchange) {
    if (exchange.request().connection() instanceof Http1xServerConnection connection && !connection.isSsl()
        && connection.channel().pipeline().get(HttpContentCompressor.class) == null) {
      return Optional.of(new ResponseFileSender(exchange, connection));
    }
    return Optional.empty();
  }

  @Override
  public Future<Void> sendFile(RandomAccessFile file, long offset, long length) {
    Promise<Void> sent = Promise.promise();
    try {
      if (!response.headWritten()) {
        response.writeHead();
      }
      connection.sendFile(file, offset, length).addListener(done -> {
        if (done.isSuccess()) {
          exchange.sentByKernel(length);
          sent.complete();
        } else {
          sent.fail(done.cause());
        }
      });
    } catch (IOException | RuntimeException refused) { // a response closed meanwhile refuses its head
      closeQuietly(file);
      sent.fail(refused);
    }
    return sent.future();
  }

  private static void closeQuietly(RandomAccessFile file) {
    try {
      file.close();
    } catch (IOException ignored) {
      // a read-only handle: nothing is lost
    }
  }
}
