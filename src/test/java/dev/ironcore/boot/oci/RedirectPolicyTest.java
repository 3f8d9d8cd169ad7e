package dev.ironcore.boot.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectPolicyTest {
  private static final URI BLOB = URI.create("https://registry.example/v2/a/blobs/sha256:00");
  private static final Map<String, String> HEADERS = Map.of(
      "Authorization", "Bearer secret", "cookie", "session=1", "Proxy-Authorization", "Basic x",
      "Accept", "*/*", "Range", "bytes=0-9");

  @ParameterizedTest
  @CsvSource({
      "/v2/a/blobs/other,                            https://registry.example/v2/a/blobs/other",
      "https://registry.example:443/cdn/x?sig=1,     https://registry.example:443/cdn/x?sig=1",
      "HTTPS://REGISTRY.EXAMPLE/cdn,                 HTTPS://REGISTRY.EXAMPLE/cdn"})
  void keepsCredentialsOnTheSameOrigin(String location, String expected) {
    RedirectPolicy.Redirect next = RedirectPolicy.next(BLOB, HEADERS, location);

    assertThat(next.uri()).hasToString(expected);
    assertThat(next.headers()).isEqualTo(HEADERS);
  }

  @ParameterizedTest
  @CsvSource({
      "https://cdn.example/blob?sig=abc",
      "https://registry.example:8443/blob",
      "http://registry.example/blob",
      "http://registry.example:443/blob"})
  void dropsCredentialsWhenHostPortChangesOrHttpsDowngrades(String location) {
    RedirectPolicy.Redirect next = RedirectPolicy.next(BLOB, HEADERS, location);

    assertThat(next.uri()).hasToString(location);
    assertThat(next.headers()).containsOnlyKeys("Accept", "Range");
  }

  @Test
  void anUpgradeToHttpsOnTheDefaultPortsIsAnotherOrigin() {
    URI plain = URI.create("http://127.0.0.1:5000/v2/a/blobs/x");

    assertThat(RedirectPolicy.next(plain, HEADERS, "https://127.0.0.1:5000/x").headers()).containsKey("Authorization");
    assertThat(RedirectPolicy.next(plain, HEADERS, "https://127.0.0.1/x").headers()).doesNotContainKey("Authorization");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "ftp://cdn.example/blob", "file:///etc/passwd", "javascript:alert(1)",
      "https://cdn.example/a b", "https:///no-host"})
  void refusesLocationsThatAreNotHttpUrls(String location) {
    assertThatThrownBy(() -> RedirectPolicy.next(BLOB, HEADERS, location))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.BAD_RESPONSE));
  }

  @Test
  void recognisesRedirectStatuses() {
    assertThat(RedirectPolicy.isRedirect(301)).isTrue();
    assertThat(RedirectPolicy.isRedirect(302)).isTrue();
    assertThat(RedirectPolicy.isRedirect(303)).isTrue();
    assertThat(RedirectPolicy.isRedirect(307)).isTrue();
    assertThat(RedirectPolicy.isRedirect(308)).isTrue();
    assertThat(RedirectPolicy.isRedirect(304)).isFalse();
    assertThat(RedirectPolicy.isRedirect(200)).isFalse();
  }
}
