package dev.ironcore.boot.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAndChallengeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void readsTheChallengeAsDistributionWritesIt() {
    assertThat(BearerChallenge.parse(
        "Bearer realm=\"http://127.0.0.1:5101/token\",service=\"test-registry\",scope=\"repository:a/b:pull\""))
        .contains(new BearerChallenge("http://127.0.0.1:5101/token", "test-registry"));
  }

  @Test
  void readsLowerCaseSchemeUnquotedValuesAndCommasInsideQuotes() {
    assertThat(BearerChallenge.parse("bearer service=reg, realm=https://auth.example/token?x=1"))
        .contains(new BearerChallenge("https://auth.example/token?x=1", "reg"));
    assertThat(BearerChallenge.parse("Bearer realm=\"https://a.example/t\",service=\"a,b\""))
        .contains(new BearerChallenge("https://a.example/t", "a,b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic realm=\"registry\"", "Bearer service=\"x\"", "Bearer realm=\"\"", "Bearerrealm=\"x\""})
  void ignoresChallengesThatAreNotUsableBearerOnes(String header) {
    assertThat(BearerChallenge.parse(header)).isEmpty();
  }

  @Test
  void prefersAccessTokenOverToken() {
    RegistryToken token = RegistryToken.parse(
        "{\"token\":\"old\",\"access_token\":\"new\",\"expires_in\":300}".getBytes(UTF_8), NOW);

    assertThat(token.value()).isEqualTo("new");
    assertThat(token.authorizationHeader()).isEqualTo("Bearer new");
    assertThat(token.usableUntil()).isEqualTo(NOW.plusSeconds(300 - 30));
  }

  @Test
  void fallsBackToTokenAndToSixtySecondsWithASafetyMargin() {
    RegistryToken token = RegistryToken.parse("{\"token\":\"t\"}".getBytes(UTF_8), NOW);

    assertThat(token.value()).isEqualTo("t");
    assertThat(token.usableUntil()).isEqualTo(NOW.plusSeconds(60 - 15));
    assertThat(token.toString()).doesNotContain("t\"").doesNotContain("=t");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "{}", "{\"token\":\"\"}", "{\"access_token\":42}"})
  void refusesAnswersWithoutAToken(String body) {
    assertThatThrownBy(() -> RegistryToken.parse(body.getBytes(UTF_8), NOW))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.AUTH_FAILED));
  }

  @Test
  void theCacheForgetsExpiredAndLeastRecentlyUsedEntries() {
    MutableClock clock = new MutableClock();
    ExpiringCache<String, String> cache = new ExpiringCache<>(2, clock);
    cache.put("a", "1", NOW.plusSeconds(10));
    cache.putForever("b", "2");
    cache.get("a");
    cache.putForever("c", "3");

    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).contains("1");
    clock.now = NOW.plusSeconds(10);
    assertThat(cache.get("a")).isEmpty();
    assertThat(cache.get("c")).contains("3");
  }

  static final class MutableClock extends Clock {
    Instant now = NOW;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
