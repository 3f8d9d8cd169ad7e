package dev.ironcore.boot.health;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may scrape {@code /metrics}, decided as controller-runtime's
 * {@code filters.WithAuthenticationAndAuthorization} does: the bearer token is checked with a
 * TokenReview, and its user must be allowed {@code get} on the non-resource URL {@code /metrics} by a
 * SubjectAccessReview. No token or a rejected one: 401; not allowed: 403; the API server not
 * answering: 503 — never an open answer. Decisions are cached by the token's hash (as
 * controller-runtime's delegating authenticator and authoriser cache theirs), so a scrape every few
 * seconds costs no API call: allowed for a minute, refused for ten seconds, at most
 * {@value #MAX_CACHED} tokens.
 */
public final class MetricsAccess implements Handler<RoutingContext>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsAccess.class);
  static final int MAX_CACHED = 256;
  static final Duration ALLOWED_TTL = Duration.ofMinutes(1);
  static final Duration REFUSED_TTL = Duration.ofSeconds(10);
  private static final String PATH = "/metrics";
  private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(3);

  /** An answer for a token: the status (200 lets the request through) and, for a refusal, why. */
  record Decision(int status, String reason, long expiresAtMillis) {}

  private final KubernetesClient client;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Map<String, Decision> decisions = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Decision> eldest) {
      return size() > MAX_CACHED;
    }
  };

  /**
   * Reviews go through a client of their own on {@code cluster}'s configuration, without retries and
   * with short timeouts: a scraper waits seconds, not the minutes of the main client's back-off.
   */
  public MetricsAccess(Config cluster, MeterRegistry metrics, Clock clock) {
    this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster)
        .withRequestRetryBackoffLimit(0)
        .withConnectionTimeout((int) REVIEW_TIMEOUT.toMillis())
        .withRequestTimeout((int) REVIEW_TIMEOUT.toMillis())
        .build()).build();
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext context) {
    String authorization = context.request().getHeader("Authorization");
    String client = context.request().remoteAddress() == null ? "-" : context.request().remoteAddress().hostAddress();
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.substring(7).isBlank()) {
      refuse(context, client, new Decision(401, "Unauthorized: send a bearer token of an identity allowed to get "
          + PATH + " (e.g. a ServiceAccount bound to the metrics-reader ClusterRole)", 0));
      return;
    }
    String token = authorization.substring(7).trim();
    context.vertx().<Decision>executeBlocking(() -> decide(token), false).onComplete(done -> {
      Decision decision = done.succeeded() ? done.result()
          : new Decision(503, "Service Unavailable: cannot review the token with the Kubernetes API; try again", 0);
      if (decision.status() == 200) {
        metrics.counter("boot_metrics_access_total", "result", "allowed").increment();
        context.next();
      } else {
        refuse(context, client, decision);
      }
    });
  }

  /** The cached or newly made decision for {@code token}; a failing API call throws (503 above). */
  Decision decide(String token) {
    String key = sha256(token);
    long now = clock.millis();
    synchronized (decisions) {
      Decision cached = decisions.get(key);
      if (cached != null && cached.expiresAtMillis() > now) {
        return cached;
      }
    }
    Decision decision = review(token, now);
    synchronized (decisions) {
      decisions.put(key, decision);
    }
    return decision;
  }

  private Decision review(String token, long now) {
    TokenReview review = client.authentication().v1().tokenReviews().create(
        new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null) {
      return new Decision(401, "Unauthorized: the Kubernetes API did not accept the bearer token",
          now + REFUSED_TTL.toMillis());
    }
    UserInfo user = review.getStatus().getUser();
    SubjectAccessReview access = client.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec()
            .withUser(user.getUsername()).withUid(user.getUid()).withGroups(user.getGroups())
            .withExtra(user.getExtra() == null ? null : extra(user))
            .withNewNonResourceAttributes().withPath(PATH).withVerb("get").endNonResourceAttributes()
            .endSpec().build());
    if (access.getStatus() == null || !Boolean.TRUE.equals(access.getStatus().getAllowed())) {
      return new Decision(403, "Forbidden: " + user.getUsername() + " may not get " + PATH
          + "; bind it to the boot-operator-metrics-reader ClusterRole", now + REFUSED_TTL.toMillis());
    }
    return new Decision(200, "", now + ALLOWED_TTL.toMillis());
  }

  /** The user's extra attributes for the access review; a key without values gets an empty list. */
  private static Map<String, List<String>> extra(UserInfo user) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    user.getExtra().forEach((key, values) -> extra.put(key, values == null ? List.of() : values));
    return extra;
  }

  private void refuse(RoutingContext context, String client, Decision decision) {
    metrics.counter("boot_metrics_access_total", "result", String.valueOf(decision.status())).increment();
    LOG.warn("Metrics scrape refused: client={} status={} reason={}", client, decision.status(), decision.reason());
    context.response().setStatusCode(decision.status()).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(decision.reason() + "\n");
  }

  @Override
  public void close() {
    client.close();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
