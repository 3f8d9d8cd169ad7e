package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Metadata bodies as registries and token services frame them, each read whole but never past the limit. */
@Timeout(value = 30, unit = SECONDS)
class MetadataBodyTest {
  private static final RegistryConnection.Settings SETTINGS = new RegistryConnection.Settings(Duration.ofSeconds(5),
      Duration.ofSeconds(5), (SSLSocketFactory) SSLSocketFactory.getDefault());

  @Test
  void chunkedBodiesAreDechunkedWithExtensionsAndTrailers() throws Exception {
    assertThat(body("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n", 64))
        .isEqualTo("hello world");
  }

  @Test
  void aLengthFramesTheBodyAndNoLengthMeansUntilTheConnectionCloses() throws Exception {
    assertThat(body("Content-Length: 5\r\n\r\nhelloTRAILING GARBAGE", 64)).isEqualTo("hello");
    assertThat(body("\r\nuntil the end", 64)).isEqualTo("until the end");
  }

  @Test
  void aBodyPastTheLimitIsRefusedHoweverItIsFramed() {
    for (String response : new String[] {"Content-Length: 11\r\n\r\nhello world", "\r\nhello world",
        "Transfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"}) {
      assertThatThrownBy(() -> body(response, 10)).as(response).isInstanceOfSatisfying(RegistryException.class,
          failure -> assertThat(failure.getMessage()).contains("larger than 10 bytes"));
    }
  }

  @Test
  void brokenChunkingIsAProtocolFailure() {
    assertThatThrownBy(() -> body("Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 64))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("chunk size");
    assertThatThrownBy(() -> body("Transfer-Encoding: chunked\r\n\r\n10\r\nhello", 64))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("ended early");
    assertThatThrownBy(() -> body("Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n", 64))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("chunk end");
  }

  /** The body a loopback server's "HTTP/1.1 200 OK\r\n" + {@code rest}, then a close, is read as. */
  private static String body(String rest, int limit) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket socket = listener.accept()) {
          socket.getOutputStream().write(("HTTP/1.1 200 OK\r\n" + rest).getBytes(ISO_8859_1));
        } catch (IOException ignored) {
          // the test fails on the client side
        }
      });
      server.start();
      URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v2/");
      try (RegistryConnection connection = RegistryConnection.open(uri, InetAddress.getLoopbackAddress(), Map.of(),
          SETTINGS)) {
        return new String(MetadataBody.read(connection, limit), ISO_8859_1);
      } finally {
        server.join();
      }
    }
  }
}
