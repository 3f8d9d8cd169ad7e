package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A typical node config (also the benchmark's input) against its reviewed expected output. */
class NodeConfigFixtureTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = NodeConfigFixtureTest.class.getResourceAsStream("/butane/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void the_node_config_translates_to_the_expected_ignition() throws IOException {
    Translation translation = Butane.translate(resource("node.bu"));
    assertThat(Butane.json(translation.ignitionJson())).isEqualTo(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(resource("node.ign.json")));
    assertThat(translation.warnings()).containsExactly("warning at $.ignition.proxy.https_proxy, line 8 column 18: "
        + "insecure plaintext HTTP proxy specified for HTTPS resources");
  }

  @Test
  void the_translator_is_thread_safe() throws Exception {
    byte[] input = resource("node.bu").getBytes(StandardCharsets.UTF_8);
    ButaneTranslator shared = new ButaneTranslator();
    String expected = shared.translate(input).ignitionJson();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var results = pool.invokeAll(java.util.Collections.nCopies(40,
          (java.util.concurrent.Callable<String>) () -> shared.translate(input).ignitionJson()));
      for (var result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
