package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file sent between prepare and restore arrives whole, corked and with bounded unsent bytes while it goes,
 * and the socket set back after, on real sockets.
 */
class SendfileSocketTest {
  private static final long UNSENT_BYTES = 64 * 1024;

  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void aFileIsSentCorkedWithBoundedUnsentBytesAndTheSocketIsSetBackAfterwards() throws Exception {
    // The service's Linux builds carry Netty's native transport: without it there would be no cork
    assertThat(vertx.isNativeTransportEnabled()).isTrue();
    byte[] bytes = new byte[3 * 1024 * 1024 + 5];
    new Random(1).nextBytes(bytes);
    Path file = Files.write(dir.resolve("blob"), bytes);
    List<String> whileSending = new CopyOnWriteArrayList<>();
    List<String> afterwards = new CopyOnWriteArrayList<>();
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
      EpollSocketChannelConfig config = ((EpollSocketChannel) ((ConnectionBase) request.connection()).channel()).config();
      long kernelDefault = config.getTcpNotSentLowAt();
      Runnable restore = SendfileSocket.prepare(request.connection(), UNSENT_BYTES);
      whileSending.add(config.isTcpCork() + " " + config.getTcpNotSentLowAt());
      request.response().sendFile(file.toString()).onComplete(sent -> {
        restore.run();
        afterwards.add(config.isTcpCork() + " " + (config.getTcpNotSentLowAt() == kernelDefault));
      });
    }).listen(0, "127.0.0.1"));

    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    for (int request = 0; request < 2; request++) { // the second on the same, set back connection
      HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.body()).isEqualTo(bytes);
    }
    assertThat(whileSending).containsExactly("true " + UNSENT_BYTES, "true " + UNSENT_BYTES);
    assertThat(afterwards).containsExactly("false true", "false true");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
