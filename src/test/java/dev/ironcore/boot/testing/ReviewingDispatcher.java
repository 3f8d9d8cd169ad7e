package dev.ironcore.boot.testing;

import dev.ironcore.boot.embedded.ExpiringWatchCrudDispatcher;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock API (use with {@code new MockCluster(dispatcher)}) that also answers TokenReviews and
 * SubjectAccessReviews as a real API server would for the tokens and users the test names: a known
 * token authenticates as its user, who is allowed {@code get /metrics} when listed as a reader.
 */
public final class ReviewingDispatcher extends ExpiringWatchCrudDispatcher {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Map<String, String> usersByToken;
  private final Set<String> metricsReaders;
  private final AtomicInteger reviews = new AtomicInteger();

  public ReviewingDispatcher(Map<String, String> usersByToken, Set<String> metricsReaders) {
    this.usersByToken = Map.copyOf(usersByToken);
    this.metricsReaders = Set.copyOf(metricsReaders);
  }

  /** TokenReviews and SubjectAccessReviews answered so far. */
  public int reviews() {
    return reviews.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    if ("POST".equals(request.getMethod()) && path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
      reviews.incrementAndGet();
      TokenReview review = JSON.unmarshal(request.getUtf8Body(), TokenReview.class);
      String user = usersByToken.get(review.getSpec().getToken());
      review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(user != null)
          .withUser(user == null ? null : new UserInfoBuilder().withUsername(user)
              .withGroups(List.of("system:authenticated")).build())
          .build());
      return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
    }
    if ("POST".equals(request.getMethod()) && path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
      reviews.incrementAndGet();
      SubjectAccessReview review = JSON.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
      var attributes = review.getSpec().getNonResourceAttributes();
      boolean allowed = metricsReaders.contains(review.getSpec().getUser()) && attributes != null
          && "/metrics".equals(attributes.getPath()) && "get".equals(attributes.getVerb());
      review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).build());
      return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
    }
    return super.dispatch(request);
  }
}
