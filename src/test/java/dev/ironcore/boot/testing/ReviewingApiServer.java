package dev.ironcore.boot.testing;

import dev.ironcore.boot.embedded.ExpiringWatchCrudDispatcher;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock API that also answers TokenReviews and SubjectAccessReviews as a real API server
 * would for the tokens and users the test names: a known token authenticates as its user, who is
 * allowed {@code get /metrics} when listed as a reader.
 */
public final class ReviewingApiServer implements AutoCloseable {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Map<String, String> usersByToken;
  private final Set<String> metricsReaders;
  private final AtomicInteger reviews = new AtomicInteger();
  private final KubernetesMockServer server;

  public ReviewingApiServer(Map<String, String> usersByToken, Set<String> metricsReaders) {
    this.usersByToken = Map.copyOf(usersByToken);
    this.metricsReaders = Set.copyOf(metricsReaders);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Reviewer(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** TokenReviews and SubjectAccessReviews answered so far. */
  public int reviews() {
    return reviews.get();
  }

  @Override
  public void close() {
    server.destroy();
  }

  private final class Reviewer extends ExpiringWatchCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if ("POST".equals(request.getMethod()) && path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
        reviews.incrementAndGet();
        TokenReview review = JSON.unmarshal(request.getUtf8Body(), TokenReview.class);
        String user = usersByToken.get(review.getSpec().getToken());
        review.setStatus(new io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder()
            .withAuthenticated(user != null)
            .withUser(user == null ? null : new io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder()
                .withUsername(user).withGroups(List.of("system:authenticated")).build())
            .build());
        return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
      }
      if ("POST".equals(request.getMethod())
          && path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
        reviews.incrementAndGet();
        SubjectAccessReview review = JSON.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
        var attributes = review.getSpec().getNonResourceAttributes();
        boolean allowed = metricsReaders.contains(review.getSpec().getUser()) && attributes != null
            && "/metrics".equals(attributes.getPath()) && "get".equals(attributes.getVerb());
        review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder()
            .withAllowed(allowed).build());
        return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
      }
      return super.dispatch(request);
    }
  }
}
