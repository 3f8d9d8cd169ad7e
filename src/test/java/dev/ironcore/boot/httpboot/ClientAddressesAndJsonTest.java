package dev.ironcore.boot.httpboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressesAndJsonTest {
  @Test
  void forwardedForIsSplitTrimmedAndEmptiesDropped() {
    assertThat(ClientAddresses.fromHeader(" 10.0.0.1 ,,10.0.0.2, ")).containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  void severalHeaderLinesAreReadAsOneList() {
    assertThat(ClientAddresses.fromHeader(List.of("10.0.0.1, 10.0.0.2", "10.0.0.3")))
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
  }

  @Test
  void aMissingHeaderGivesNoAddresses() {
    assertThat(ClientAddresses.fromHeader(null)).isEmpty();
    assertThat(ClientAddresses.fromHeader(" , ")).isEmpty();
  }

  @Test
  void anAbsurdlyLongChainIsCut() {
    String header = String.join(",", java.util.Collections.nCopies(1000, "10.0.0.1"));
    assertThat(ClientAddresses.fromHeader(header)).hasSize(ClientAddresses.MAX_ENTRIES);
  }

  @Test
  void jsonIsWrittenAsGoWritesAStringMap() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("UKIURL", "http://x/a?b=1&c=<2>");
    fields.put("ClientIPs", "10.0.0.1");
    fields.put("SystemUUID", "q\"\\\n\u0001\u2028");

    assertThat(GoJson.object(fields)).isEqualTo("{\"ClientIPs\":\"10.0.0.1\","
        + "\"SystemUUID\":\"q\\\"\\\\\\n\\u0001\\u2028\",\"UKIURL\":\"http://x/a?b=1\\u0026c=\\u003c2\\u003e\"}");
  }
}
