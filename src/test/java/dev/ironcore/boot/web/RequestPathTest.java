package dev.ironcore.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {
  @ParameterizedTest
  @CsvSource({
      "/httpboot/registry.example%3A5000/os/uki, /httpboot/registry.example:5000/os/uki",
      "/httpboot/registry.example%3a5000/os, /httpboot/registry.example:5000/os",
      "/ipxe/%38a1b2c3d, /ipxe/8a1b2c3d",
      "/httpboot/a%253A5000/b, /httpboot/a%3A5000/b",
      "/httpboot/%C3%BCber, /httpboot/\u00fcber",
      "/httpboot/plain/path, /httpboot/plain/path"})
  void decodesEveryEscapeExactlyOnce(String raw, String decoded) {
    assertThat(RequestPath.decodeOnce(raw)).isEqualTo(decoded);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/httpboot/a%2Fb", "/httpboot/a%2fb", "/httpboot/%2F..%2Fetc"})
  void refusesAnEncodedSlash(String raw) {
    assertRefused(raw, 404, "Not Found: percent-encoded '/'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/httpboot/a%zz", "/httpboot/a%4", "/httpboot/a%", "/httpboot/%%41", "/httpboot/a%G0"})
  void refusesMalformedEscapes(String raw) {
    assertRefused(raw, 400, "Bad Request: malformed percent-encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/httpboot/a%00b", "/httpboot/a%0Ab", "/httpboot/a%0d%0aHost:x", "/httpboot/a%7F", "/httpboot/a\tb"})
  void refusesControlCharactersEncodedOrNot(String raw) {
    assertRefused(raw, 400, "Bad Request: control character in the path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/httpboot/%C3", "/httpboot/%FF%FE"})
  void refusesBytesThatAreNotUtf8(String raw) {
    assertRefused(raw, 400, "Bad Request: the path does not decode to UTF-8");
  }

  @ParameterizedTest
  @ValueSource(ints = {RequestPath.MAX_LENGTH + 1, 100_000})
  void refusesAnOverlongPathBeforeDecodingIt(int length) {
    String raw = "/httpboot/" + "%41".repeat(length / 3 + 1);
    assertRefused(raw, 414, "URI Too Long: path longer than " + RequestPath.MAX_LENGTH);
  }

  private static void assertRefused(String raw, int status, String reason) {
    assertThatThrownBy(() -> RequestPath.decodeOnce(raw))
        .isInstanceOf(HttpStatusException.class)
        .hasMessageStartingWith(reason)
        .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(status));
  }
}
